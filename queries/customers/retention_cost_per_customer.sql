-- title: Retention cost per customer
-- description: Retention and service expenses spent in the period ÷ customers active at its start (S).
-- description: Alongside: order revenue in the period from the customers of S still active at the end,
-- description: per such retained customer (revenue_per_retained_customer, with its parts).
-- unit: money
-- direction: down
-- needs: expenses.spent_on, expenses.category, expenses.amount, customers.acquired_at, customers.churned_at, orders.customer_id, orders.ordered_at, orders.amount
-- source: seed 002 §5
WITH p AS (
  SELECT * FROM periods($start, $end, $grain)
),
spend AS (
  SELECT p.period_start, sum(x.amount) AS amount
  FROM p
  JOIN expenses x
    ON x.spent_on >= p.start_day AND x.spent_on < p.end_day AND x.category IN ('retention', 'service')
  GROUP BY ALL
),
s AS (
  SELECT p.period_start, c.customer_id, (c.churned_at IS NULL OR c.churned_at >= p.end_day) AS retained
  FROM p
  JOIN customers c
    ON customer_active_on(c.acquired_at, c.churned_at, p.start_day)
),
bought AS (
  SELECT p.period_start, o.customer_id, sum(o.amount) AS amount
  FROM p
  JOIN orders o ON o.ordered_at >= p.period_start AND o.ordered_at < p.period_end
  GROUP BY ALL
),
cust AS (
  SELECT s.period_start,
         count(*) AS start_customers,
         count(*) FILTER (s.retained) AS retained_customers,
         coalesce(sum(b.amount) FILTER (s.retained), 0) AS retained_revenue
  FROM s
  LEFT JOIN bought b ON b.period_start = s.period_start AND b.customer_id = s.customer_id
  GROUP BY ALL
)
SELECT p.period_start, p.period_end,
       coalesce(spend.amount, 0) AS numerator,
       coalesce(cust.start_customers, 0) AS denominator,
       coalesce(cust.retained_customers, 0) AS retained_customers,
       coalesce(cust.retained_revenue, 0) AS retained_revenue,
       cust.retained_revenue::DOUBLE / nullif(cust.retained_customers, 0) AS revenue_per_retained_customer
FROM p
LEFT JOIN spend ON spend.period_start = p.period_start
LEFT JOIN cust ON cust.period_start = p.period_start
