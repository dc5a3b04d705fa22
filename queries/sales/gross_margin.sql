-- title: Gross margin
-- description: (Σ amount − Σ cost) ÷ Σ amount of the orders in the period that have a cost; orders without
-- description: a cost are left out of both sums and counted alongside (orders_without_cost).
-- unit: ratio
-- direction: up
-- needs: orders.ordered_at, orders.amount, orders.cost
-- by: product = r.product [orders.product]
-- by: segment = c.segment [customers.segment]
-- by: region = c.region [customers.region]
-- by: industry = c.industry [customers.industry]
-- by: channel = c.acquisition_channel [customers.acquisition_channel]
-- by: owner = c.owner_id [customers.owner_id]
-- source: seed 001 (margin)
SELECT p.period_start, p.period_end, {by} AS breakdown,
       coalesce(sum(r.amount) FILTER (r.cost IS NOT NULL), 0) - coalesce(sum(r.cost), 0) AS numerator,
       coalesce(sum(r.amount) FILTER (r.cost IS NOT NULL), 0) AS denominator,
       count(r.order_id) FILTER (r.cost IS NOT NULL) AS orders,
       count(r.order_id) FILTER (r.cost IS NULL) AS orders_without_cost
FROM periods($start, $end, $grain) p
LEFT JOIN orders r ON r.ordered_at >= p.period_start AND r.ordered_at < p.period_end
LEFT JOIN customers c ON c.customer_id = r.customer_id
GROUP BY ALL
