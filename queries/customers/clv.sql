-- title: Customer lifetime value
-- description: Average order value × orders per customer per year × expected lifespan in years, over the
-- description: 12 months ending at the period's end. Order value = revenue ÷ orders; frequency = orders ÷
-- description: distinct ordering customers; lifespan = 1 ÷ annual logo churn, where annual churn = customers
-- description: active 12 months before the end who churned within those 12 months ÷ customers active then.
-- description: NULL when that churn is 0 (the lifespan would be unbounded).
-- unit: money
-- direction: up
-- window: 12 months
-- needs: orders.customer_id, orders.ordered_at, orders.amount, customers.acquired_at, customers.churned_at
-- by: segment = c.segment [customers.segment]
-- by: region = c.region [customers.region]
-- by: industry = c.industry [customers.industry]
-- by: channel = c.acquisition_channel [customers.acquisition_channel]
-- by: owner = c.owner_id [customers.owner_id]
-- source: seeds 000, 001 #5, 002 §6, 003 §2
WITH p AS (
  SELECT *, (end_day - INTERVAL 12 MONTH)::DATE AS year_start_day FROM periods($start, $end, $grain)
),
ord AS (
  SELECT p.period_start, {by} AS breakdown,
         sum(o.amount) AS revenue, count(o.order_id) AS orders, count(DISTINCT o.customer_id) AS customers
  FROM p
  JOIN orders o ON o.ordered_at >= p.year_start_day::TIMESTAMPTZ AND o.ordered_at < p.period_end
  LEFT JOIN customers c ON c.customer_id = o.customer_id
  GROUP BY ALL
),
cohort AS (
  SELECT p.period_start, {by} AS breakdown,
         count(c.customer_id) AS active_then,
         count(c.customer_id) FILTER (c.churned_at < p.end_day) AS churned
  FROM p
  JOIN customers c
    ON customer_active_on(c.acquired_at, c.churned_at, p.year_start_day)
  GROUP BY ALL
),
keys AS (
  SELECT period_start, breakdown FROM ord UNION SELECT period_start, breakdown FROM cohort
)
SELECT p.period_start, p.period_end, k.breakdown,
       ord.revenue::DOUBLE / nullif(ord.customers, 0) * cohort.active_then / nullif(cohort.churned, 0) AS value,
       ord.revenue::DOUBLE / nullif(ord.orders, 0) AS avg_order_value,
       ord.orders::DOUBLE / nullif(ord.customers, 0) AS purchase_frequency,
       cohort.churned::DOUBLE / nullif(cohort.active_then, 0) AS annual_churn,
       cohort.active_then::DOUBLE / nullif(cohort.churned, 0) AS lifespan_years
FROM p
LEFT JOIN keys k ON k.period_start = p.period_start
LEFT JOIN ord ON ord.period_start = k.period_start AND ord.breakdown IS NOT DISTINCT FROM k.breakdown
LEFT JOIN cohort ON cohort.period_start = k.period_start AND cohort.breakdown IS NOT DISTINCT FROM k.breakdown
