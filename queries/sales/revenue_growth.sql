-- title: Revenue growth
-- description: Order revenue in the period ÷ order revenue in the previous period of the same grain, − 1:
-- description: numerator = revenue − previous revenue, denominator = previous revenue (null when it is 0).
-- description: Both revenues alongside.
-- unit: ratio
-- direction: up
-- needs: orders.ordered_at, orders.amount
-- by: product = r.product [orders.product]
-- by: segment = c.segment [customers.segment]
-- by: region = c.region [customers.region]
-- by: industry = c.industry [customers.industry]
-- by: channel = c.acquisition_channel [customers.acquisition_channel]
-- by: owner = c.owner_id [customers.owner_id]
-- source: seed 004 (sales growth)
SELECT p.period_start, p.period_end, {by} AS breakdown,
       coalesce(sum(r.amount) FILTER (r.ordered_at >= p.period_start), 0)
         - coalesce(sum(r.amount) FILTER (r.ordered_at >= p.prev_start AND r.ordered_at < p.prev_end), 0)
         AS numerator,
       coalesce(sum(r.amount) FILTER (r.ordered_at >= p.prev_start AND r.ordered_at < p.prev_end), 0)
         AS denominator,
       coalesce(sum(r.amount) FILTER (r.ordered_at >= p.period_start), 0) AS revenue,
       coalesce(sum(r.amount) FILTER (r.ordered_at >= p.prev_start AND r.ordered_at < p.prev_end), 0)
         AS previous_revenue
FROM periods($start, $end, $grain) p
LEFT JOIN orders r ON r.ordered_at >= p.prev_start AND r.ordered_at < p.period_end
LEFT JOIN customers c ON c.customer_id = r.customer_id
GROUP BY ALL
