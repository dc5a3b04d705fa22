-- title: Customer lifetime value (margin)
-- description: CLV × gross margin over the same 12 months ending at the period's end. CLV exactly as the clv KPI:
-- description: average order value × orders per customer per year × expected lifespan in years (order value =
-- description: revenue ÷ orders; frequency = orders ÷ distinct ordering customers; lifespan = 1 ÷ annual logo
-- description: churn of the customers active 12 months before the end; NULL when that churn is 0). Gross margin
-- description: = (Σ amount − Σ cost) ÷ Σ amount of the orders in those 12 months that have a cost. Alongside:
-- description: clv and gross_margin.
-- unit: money
-- direction: up
-- window: 12 months
-- needs: orders.customer_id, orders.ordered_at, orders.amount, orders.cost, customers.acquired_at, customers.churned_at
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
         sum(o.amount) AS revenue, count(o.order_id) AS orders, count(DISTINCT o.customer_id) AS customers,
         sum(o.amount) FILTER (o.cost IS NOT NULL) AS costed_revenue, sum(o.cost) AS cost
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
),
v AS (
  SELECT p.period_start, p.period_end, k.breakdown,
         ord.revenue::DOUBLE / nullif(ord.customers, 0) * cohort.active_then / nullif(cohort.churned, 0) AS clv,
         (ord.costed_revenue - ord.cost)::DOUBLE / nullif(ord.costed_revenue, 0) AS gross_margin
  FROM p
  LEFT JOIN keys k ON k.period_start = p.period_start
  LEFT JOIN ord ON ord.period_start = k.period_start AND ord.breakdown IS NOT DISTINCT FROM k.breakdown
  LEFT JOIN cohort ON cohort.period_start = k.period_start AND cohort.breakdown IS NOT DISTINCT FROM k.breakdown
)
SELECT period_start, period_end, breakdown, clv * gross_margin AS value, clv, gross_margin
FROM v
