-- title: Competitive knockouts
-- description: Deals won in the period that named a competitor. Alongside: competitive_deals = deals closed
-- description: (won or lost) in the period with a competitor, and win_rate = won ÷ those (null when none).
-- unit: count
-- direction: up
-- needs: opportunities.status, opportunities.closed_at, opportunities.competitor
-- by: competitor = o.competitor
-- by: owner = o.owner_id [opportunities.owner_id]
-- by: product = o.product [opportunities.product]
-- by: channel = o.channel [opportunities.channel]
-- by: kind = o.kind [opportunities.kind]
-- by: segment = c.segment [opportunities.customer_id, customers.segment]
-- source: seed 001
SELECT p.period_start, p.period_end, {by} AS breakdown,
       count(o.opportunity_id) FILTER (o.status = 'won') AS value,
       count(o.opportunity_id) AS competitive_deals,
       (count(o.opportunity_id) FILTER (o.status = 'won'))::DOUBLE
         / nullif(count(o.opportunity_id), 0) AS win_rate
FROM periods($start, $end, $grain) p
LEFT JOIN opportunities o
  ON o.closed_at >= p.period_start AND o.closed_at < p.period_end AND o.status IN ('won', 'lost')
  AND nullif(trim(o.competitor), '') IS NOT NULL
LEFT JOIN customers c ON c.customer_id = o.customer_id
GROUP BY ALL
