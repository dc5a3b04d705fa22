-- title: CAC payback
-- description: Months of margin-adjusted recurring revenue it takes to earn back the acquisition cost:
-- description: cac ÷ (mrr_per_new_customer × gross_margin). cac = marketing + sales expenses in the period ÷
-- description: customers acquired in it (N). mrr_per_new_customer = the MRR at the period's end of those N
-- description: customers ÷ N (a customer with no subscription active then counts as 0); a subscription is
-- description: active at t when started_at <= t < coalesce(cancelled_at, ends_at), t = the period's end day.
-- description: gross_margin = (Σ amount − Σ cost) ÷ Σ amount of the period's orders that have a cost. NULL
-- description: without new customers, MRR or cost data, and when the margin-adjusted MRR is not positive
-- description: (the cost is never paid back). The three parts alongside.
-- unit: months
-- direction: down
-- needs: expenses.spent_on, expenses.category, expenses.amount, customers.acquired_at, subscriptions.customer_id, subscriptions.mrr, subscriptions.started_at, subscriptions.ends_at, subscriptions.cancelled_at, orders.ordered_at, orders.amount, orders.cost
-- source: seed 000
WITH p AS (
  SELECT * FROM periods($start, $end, $grain)
),
spend AS (
  SELECT p.period_start, sum(x.amount) AS amount
  FROM p
  JOIN expenses x
    ON x.spent_on >= p.start_day AND x.spent_on < p.end_day AND x.category IN ('marketing', 'sales')
  GROUP BY ALL
),
acquired AS (
  SELECT p.period_start, count(DISTINCT c.customer_id) AS customers, coalesce(sum(m.end_mrr), 0) AS mrr
  FROM p
  JOIN customers c ON c.acquired_at >= p.start_day AND c.acquired_at < p.end_day
  LEFT JOIN customer_mrr($start, $end, $grain) m
    ON m.period_start = p.period_start AND m.customer_id = c.customer_id
  GROUP BY ALL
),
margin AS (
  SELECT p.period_start, (sum(r.amount) - sum(r.cost))::DOUBLE / nullif(sum(r.amount), 0) AS gross_margin
  FROM p
  JOIN orders r
    ON r.ordered_at >= p.period_start AND r.ordered_at < p.period_end AND r.cost IS NOT NULL
  GROUP BY ALL
),
parts AS (
  SELECT p.period_start, p.period_end,
         coalesce(spend.amount, 0)::DOUBLE / nullif(acquired.customers, 0) AS cac,
         acquired.mrr::DOUBLE / nullif(acquired.customers, 0) AS mrr_per_new_customer,
         margin.gross_margin
  FROM p
  LEFT JOIN spend ON spend.period_start = p.period_start
  LEFT JOIN acquired ON acquired.period_start = p.period_start
  LEFT JOIN margin ON margin.period_start = p.period_start
)
SELECT period_start, period_end,
       CASE WHEN mrr_per_new_customer * gross_margin > 0
         THEN cac / (mrr_per_new_customer * gross_margin) END AS value,
       cac, mrr_per_new_customer, gross_margin
FROM parts
