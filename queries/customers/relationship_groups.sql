-- title: Customer relationship groups
-- description: Reinartz & Kumar grid of the customers active at the period's end (acquired_at before the end's
-- description: day, churned_at NULL or on/after it). Loyalty = tenure in months at the end
-- description: (date_diff('month', acquired_at, end day): calendar-month boundaries crossed); profitability =
-- description: gross margin Σ (amount − cost) of their orders with a cost in the 12 months to the end (0 without
-- description: such orders). Long term = tenure >= the split, high profit = margin >= the split: ties at a
-- description: split go to long term / high profit. Splits are the medians over those customers unless the
-- description: params set them. One row per group, all four always present, true_friends (high profit, long
-- description: term), butterflies (high, short), barnacles (low, long), strangers (low, short): group,
-- description: customers, revenue (all their orders in the 12 months), margin, customer_share, revenue_share,
-- description: margin_share (of the active customers' totals; NULL when the total is 0), tenure_split_months,
-- description: margin_split (the splits used) and action (the relationship strategy of seed 002).
-- unit: table
-- direction: none
-- window: 12 months
-- needs: customers.acquired_at, customers.churned_at, orders.customer_id, orders.ordered_at, orders.amount, orders.cost
-- param: tenure_split_months number = null months of tenure that separate long from short term (tenure >= split is long term); null = the median
-- param: margin_split number = null gross margin over the 12 months that separates high from low profit (margin >= split is high); null = the median
-- source: seed 002 (Customer Relationship Groups)
WITH p AS (
  SELECT *, (end_day - INTERVAL 12 MONTH)::DATE AS year_start_day FROM periods($start, $end, $grain)
),
groups(grp, position, high_profit, long_term, action) AS (
  VALUES
    ('true_friends', 1, true, true,
     'Reward and keep: invest consistently in the relationship to turn them into true believers'),
    ('butterflies', 2, true, false,
     'Enjoy them while they last: harvest with quick profitable deals, then stop investing'),
    ('barnacles', 3, false, true,
     'Make them pay: sell to them more often, raise fees or cut the cost to serve; let go those who stay unprofitable'),
    ('strangers', 4, false, false,
     'Do not invest: transact at the lowest cost and let them go')
),
spend AS (
  SELECT p.period_start, o.customer_id, sum(o.amount) AS revenue, sum(o.amount - o.cost) AS margin
  FROM p
  JOIN orders o ON o.ordered_at >= p.year_start_day::TIMESTAMPTZ AND o.ordered_at < p.period_end
  GROUP BY ALL
),
cust AS (
  SELECT p.period_start, c.customer_id, date_diff('month', c.acquired_at, p.end_day) AS tenure,
         coalesce(s.revenue, 0) AS revenue, coalesce(s.margin, 0) AS margin
  FROM p
  JOIN customers c ON customer_active_on(c.acquired_at, c.churned_at, p.end_day)
  LEFT JOIN spend s ON s.period_start = p.period_start AND s.customer_id = c.customer_id
),
totals AS (
  SELECT period_start,
         coalesce($tenure_split_months::DOUBLE, median(tenure::DOUBLE)) AS tenure_split,
         coalesce($margin_split::DOUBLE, median(margin::DOUBLE)) AS margin_split,
         count(*) AS customers, sum(revenue) AS revenue, sum(margin) AS margin
  FROM cust
  GROUP BY ALL
),
grouped AS (
  SELECT x.period_start, x.margin >= t.margin_split AS high_profit, x.tenure >= t.tenure_split AS long_term,
         count(*) AS customers, sum(x.revenue) AS revenue, sum(x.margin) AS margin
  FROM cust x
  JOIN totals t ON t.period_start = x.period_start
  GROUP BY ALL
)
SELECT p.period_start, p.period_end, g.grp AS "group",
       coalesce(x.customers, 0) AS customers,
       coalesce(x.revenue, 0) AS revenue,
       coalesce(x.margin, 0) AS margin,
       coalesce(x.customers, 0)::DOUBLE / nullif(t.customers, 0) AS customer_share,
       coalesce(x.revenue, 0)::DOUBLE / nullif(t.revenue, 0) AS revenue_share,
       coalesce(x.margin, 0)::DOUBLE / nullif(t.margin, 0) AS margin_share,
       coalesce(t.tenure_split, $tenure_split_months::DOUBLE) AS tenure_split_months,
       coalesce(t.margin_split, $margin_split::DOUBLE) AS margin_split,
       g.action
FROM p
CROSS JOIN groups g
LEFT JOIN totals t ON t.period_start = p.period_start
LEFT JOIN grouped x
  ON x.period_start = p.period_start AND x.high_profit = g.high_profit AND x.long_term = g.long_term
ORDER BY p.period_start, g.position
