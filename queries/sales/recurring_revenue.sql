-- title: Recurring revenue
-- description: Order revenue in the period that is not new revenue: from customers past their first 12
-- description: months (the order's local date is on or after acquired_at + 12 months), or from a customer_id
-- description: missing from customers. new_revenue + recurring_revenue = all order revenue. The number of
-- description: orders and of ordering customers alongside.
-- unit: money
-- direction: up
-- needs: orders.ordered_at, orders.amount, orders.customer_id, customers.acquired_at
-- by: product = r.product [orders.product]
-- by: segment = c.segment [customers.segment]
-- by: region = c.region [customers.region]
-- by: industry = c.industry [customers.industry]
-- by: channel = c.acquisition_channel [customers.acquisition_channel]
-- by: owner = c.owner_id [customers.owner_id]
-- source: seeds 002 §3, 001
SELECT p.period_start, p.period_end, {by} AS breakdown,
       coalesce(sum(r.amount), 0) AS value,
       count(r.order_id) AS orders,
       count(DISTINCT r.customer_id) AS customers
FROM periods($start, $end, $grain) p
LEFT JOIN (orders r LEFT JOIN customers c ON c.customer_id = r.customer_id)
  ON r.ordered_at >= p.period_start AND r.ordered_at < p.period_end
  AND NOT coalesce(local_date_before(r.ordered_at, (c.acquired_at + INTERVAL 12 MONTH)::DATE), false)
GROUP BY ALL
