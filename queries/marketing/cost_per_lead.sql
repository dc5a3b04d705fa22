-- title: Cost per lead
-- description: Marketing expenses spent in the period ÷ leads created in it (NULL without leads). By campaign
-- description: (or by the campaign's channel): the marketing expenses with that campaign_id ÷ the leads with
-- description: that campaign_id; the row without a campaign holds the marketing spend and the leads that carry
-- description: none. No breakdown by lead source: expenses have no source, so its cost would be undefined.
-- unit: money
-- direction: down
-- needs: expenses.spent_on, expenses.category, expenses.amount, leads.created_at
-- by: campaign = a.campaign_id [expenses.campaign_id, leads.campaign_id]
-- by: channel = g.channel [expenses.campaign_id, leads.campaign_id, campaigns.channel]
-- source: seed 001
WITH p AS (
  SELECT * FROM periods($start, $end, $grain)
),
spend AS (
  SELECT p.period_start, {by} AS breakdown, sum(a.amount) AS amount
  FROM p
  JOIN expenses a
    ON a.spent_on >= p.start_day AND a.spent_on < p.end_day AND a.category = 'marketing'
  LEFT JOIN campaigns g ON g.campaign_id = a.campaign_id
  GROUP BY ALL
),
created AS (
  SELECT p.period_start, {by} AS breakdown, count(a.lead_id) AS leads
  FROM p
  JOIN leads a ON a.created_at >= p.period_start AND a.created_at < p.period_end
  LEFT JOIN campaigns g ON g.campaign_id = a.campaign_id
  GROUP BY ALL
),
keys AS (
  SELECT period_start, breakdown FROM spend UNION SELECT period_start, breakdown FROM created
)
SELECT p.period_start, p.period_end, k.breakdown,
       coalesce(spend.amount, 0) AS numerator,
       coalesce(created.leads, 0) AS denominator
FROM p
LEFT JOIN keys k ON k.period_start = p.period_start
LEFT JOIN spend ON spend.period_start = k.period_start AND spend.breakdown IS NOT DISTINCT FROM k.breakdown
LEFT JOIN created
  ON created.period_start = k.period_start AND created.breakdown IS NOT DISTINCT FROM k.breakdown
