-- title: Revenue
-- description: Order revenue in the period (Σ orders.amount with ordered_at in the period): new_revenue
-- description: plus recurring_revenue. The number of orders and of ordering customers alongside.
-- unit: money
-- direction: up
-- needs: orders.ordered_at, orders.amount
-- by: product = r.product [orders.product]
-- by: segment = c.segment [orders.customer_id, customers.segment]
-- by: region = c.region [orders.customer_id, customers.region]
-- by: industry = c.industry [orders.customer_id, customers.industry]
-- by: channel = c.acquisition_channel [orders.customer_id, customers.acquisition_channel]
-- source: seeds 001, 004 (sales growth)
SELECT p.period_start, p.period_end, {by} AS breakdown,
       coalesce(sum(r.amount), 0) AS value,
       count(r.order_id) AS orders,
       count(DISTINCT r.customer_id) AS customers
FROM periods($start, $end, $grain) p
LEFT JOIN orders r ON r.ordered_at >= p.period_start AND r.ordered_at < p.period_end
LEFT JOIN customers c ON c.customer_id = r.customer_id
GROUP BY ALL
