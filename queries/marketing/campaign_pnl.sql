-- title: Campaign P&L
-- description: One row per campaign per period, for every campaign with cost, touches, leads or won deals in
-- description: the period: campaign_id, name, channel, cost (expenses in the period with that campaign_id, any
-- description: category), touches (campaign_touches in the period), responses (touches answered with click,
-- description: reply or purchase), purchases, leads (created in the period with that campaign_id), won_deals
-- description: and revenue (deals won in the period whose lead has that campaign_id: first-touch attribution),
-- description: roi = (revenue − cost) ÷ cost, cost_per_interaction = cost ÷ touches, cost_per_lead =
-- description: cost ÷ leads (each NULL when its divisor is 0). Ordered by period, then revenue, highest first.
-- description: A period without any campaign activity gives one row with no campaign_id and zeros.
-- unit: table
-- direction: up
-- needs: campaigns.name, campaigns.channel, expenses.spent_on, expenses.campaign_id, expenses.amount, campaign_touches.campaign_id, campaign_touches.touched_at, campaign_touches.response, leads.created_at, leads.campaign_id, opportunities.lead_id, opportunities.status, opportunities.closed_at, opportunities.amount
-- source: seeds 001 #2, 002 §8
WITH p AS (
  SELECT * FROM periods($start, $end, $grain)
),
spend AS (
  SELECT p.period_start, x.campaign_id, sum(x.amount) AS cost
  FROM p
  JOIN expenses x
    ON x.spent_on >= p.start_day AND x.spent_on < p.end_day AND x.campaign_id IS NOT NULL
  GROUP BY ALL
),
touched AS (
  SELECT p.period_start, t.campaign_id,
         count(*) AS touches,
         count(*) FILTER (t.response IN ('click', 'reply', 'purchase')) AS responses,
         count(*) FILTER (t.response = 'purchase') AS purchases
  FROM p
  JOIN campaign_touches t ON t.touched_at >= p.period_start AND t.touched_at < p.period_end
  GROUP BY ALL
),
created AS (
  SELECT p.period_start, l.campaign_id, count(*) AS leads
  FROM p
  JOIN leads l
    ON l.created_at >= p.period_start AND l.created_at < p.period_end AND l.campaign_id IS NOT NULL
  GROUP BY ALL
),
won AS (
  SELECT p.period_start, l.campaign_id, count(*) AS won_deals, sum(o.amount) AS revenue
  FROM p
  JOIN opportunities o
    ON o.closed_at >= p.period_start AND o.closed_at < p.period_end AND o.status = 'won'
  JOIN leads l ON l.lead_id = o.lead_id AND l.campaign_id IS NOT NULL
  GROUP BY ALL
),
keys AS (
  SELECT period_start, campaign_id FROM spend
  UNION SELECT period_start, campaign_id FROM touched
  UNION SELECT period_start, campaign_id FROM created
  UNION SELECT period_start, campaign_id FROM won
),
pnl AS (
  SELECT p.period_start, p.period_end, k.campaign_id, g.name, g.channel,
         coalesce(spend.cost, 0) AS cost,
         coalesce(touched.touches, 0) AS touches,
         coalesce(touched.responses, 0) AS responses,
         coalesce(touched.purchases, 0) AS purchases,
         coalesce(created.leads, 0) AS leads,
         coalesce(won.won_deals, 0) AS won_deals,
         coalesce(won.revenue, 0) AS revenue
  FROM p
  LEFT JOIN keys k ON k.period_start = p.period_start
  LEFT JOIN campaigns g ON g.campaign_id = k.campaign_id
  LEFT JOIN spend ON spend.period_start = k.period_start AND spend.campaign_id = k.campaign_id
  LEFT JOIN touched ON touched.period_start = k.period_start AND touched.campaign_id = k.campaign_id
  LEFT JOIN created ON created.period_start = k.period_start AND created.campaign_id = k.campaign_id
  LEFT JOIN won ON won.period_start = k.period_start AND won.campaign_id = k.campaign_id
)
SELECT pnl.period_start, pnl.period_end, pnl.campaign_id, pnl.name, pnl.channel,
       pnl.cost, pnl.touches, pnl.responses, pnl.purchases, pnl.leads, pnl.won_deals, pnl.revenue,
       (pnl.revenue - pnl.cost)::DOUBLE / nullif(pnl.cost, 0) AS roi,
       pnl.cost::DOUBLE / nullif(pnl.touches, 0) AS cost_per_interaction,
       pnl.cost::DOUBLE / nullif(pnl.leads, 0) AS cost_per_lead
FROM pnl
ORDER BY pnl.period_start, pnl.revenue DESC, pnl.campaign_id
