-- title: Campaign ROI
-- description: (Attributed revenue − campaign cost) ÷ campaign cost, both within the period, over all
-- description: campaigns or per campaign. Cost = expenses spent in the period that carry a campaign_id (any
-- description: category); expenses without a campaign are not campaign cost. Attributed revenue = amounts of
-- description: the deals won in the period whose lead has a campaign_id: first-touch attribution (the
-- description: campaign that produced the lead gets the whole deal, however long ago the lead came in).
-- description: NULL when the cost is 0. Cost and revenue alongside.
-- unit: ratio
-- direction: up
-- needs: expenses.spent_on, expenses.campaign_id, expenses.amount, leads.campaign_id, opportunities.lead_id, opportunities.status, opportunities.closed_at, opportunities.amount
-- by: campaign = a.campaign_id
-- by: channel = g.channel [campaigns.channel]
-- source: seeds 001 #2, 002 §8
WITH p AS (
  SELECT * FROM periods($start, $end, $grain)
),
spend AS (
  SELECT p.period_start, {by} AS breakdown, sum(a.amount) AS cost
  FROM p
  JOIN expenses a
    ON a.spent_on >= p.start_day AND a.spent_on < p.end_day AND a.campaign_id IS NOT NULL
  LEFT JOIN campaigns g ON g.campaign_id = a.campaign_id
  GROUP BY ALL
),
won AS (
  SELECT l.campaign_id, o.closed_at, o.amount
  FROM opportunities o
  JOIN leads l ON l.lead_id = o.lead_id
  WHERE o.status = 'won' AND l.campaign_id IS NOT NULL
),
attributed AS (
  SELECT p.period_start, {by} AS breakdown, sum(a.amount) AS revenue
  FROM p
  JOIN won a ON a.closed_at >= p.period_start AND a.closed_at < p.period_end
  LEFT JOIN campaigns g ON g.campaign_id = a.campaign_id
  GROUP BY ALL
),
keys AS (
  SELECT period_start, breakdown FROM spend UNION SELECT period_start, breakdown FROM attributed
)
SELECT p.period_start, p.period_end, k.breakdown,
       coalesce(attributed.revenue, 0) - coalesce(spend.cost, 0) AS numerator,
       coalesce(spend.cost, 0) AS denominator,
       coalesce(spend.cost, 0) AS cost,
       coalesce(attributed.revenue, 0) AS revenue
FROM p
LEFT JOIN keys k ON k.period_start = p.period_start
LEFT JOIN spend ON spend.period_start = k.period_start AND spend.breakdown IS NOT DISTINCT FROM k.breakdown
LEFT JOIN attributed
  ON attributed.period_start = k.period_start AND attributed.breakdown IS NOT DISTINCT FROM k.breakdown
