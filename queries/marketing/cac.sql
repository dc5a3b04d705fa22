-- title: Customer acquisition cost
-- description: Marketing + sales expenses spent in the period ÷ customers acquired in it (N, acquired_at in
-- description: the period, including those who also churned in it). NULL when no customer was acquired.
-- description: The marketing and the sales spend alongside; service and retention expenses are left out.
-- unit: money
-- direction: down
-- needs: expenses.spent_on, expenses.category, expenses.amount, customers.acquired_at
-- source: seeds 002 §7, 003 §1
WITH p AS (
  SELECT * FROM periods($start, $end, $grain)
),
spend AS (
  SELECT p.period_start,
         sum(x.amount) FILTER (x.category = 'marketing') AS marketing,
         sum(x.amount) FILTER (x.category = 'sales') AS sales
  FROM p
  JOIN expenses x
    ON x.spent_on >= p.start_day AND x.spent_on < p.end_day AND x.category IN ('marketing', 'sales')
  GROUP BY ALL
),
acquired AS (
  SELECT p.period_start, count(c.customer_id) AS customers
  FROM p
  JOIN customers c ON c.acquired_at >= p.start_day AND c.acquired_at < p.end_day
  GROUP BY ALL
)
SELECT p.period_start, p.period_end,
       coalesce(spend.marketing, 0) + coalesce(spend.sales, 0) AS numerator,
       coalesce(acquired.customers, 0) AS denominator,
       coalesce(spend.marketing, 0) AS marketing_spend,
       coalesce(spend.sales, 0) AS sales_spend
FROM p
LEFT JOIN spend ON spend.period_start = p.period_start
LEFT JOIN acquired ON acquired.period_start = p.period_start
