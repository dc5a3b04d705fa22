-- title: Pipeline created
-- description: Amount of the deals created in the period (opportunities.created_at in the period), whatever
-- description: their status now; their number alongside. With won_revenue it says what came in and what closed.
-- unit: money
-- direction: up
-- needs: opportunities.created_at, opportunities.amount
-- by: owner = o.owner_id [opportunities.owner_id]
-- by: rep = coalesce(u.name, o.owner_id) [opportunities.owner_id]
-- by: product = o.product [opportunities.product]
-- by: channel = o.channel [opportunities.channel]
-- by: kind = o.kind [opportunities.kind]
-- known: amount of deals created
-- source: seeds 001, 004 (change in pipeline over time)
SELECT p.period_start, p.period_end, {by} AS breakdown,
       -- No deal: 0. Deals whose amounts are all blank: unknown (null), never 0.
       CASE WHEN count(o.opportunity_id) = 0 THEN 0 ELSE sum(o.amount) END AS value,
       count(o.opportunity_id) AS deals,
       count(o.amount) AS value_known,
       count(o.opportunity_id) AS value_of
FROM periods($start, $end, $grain) p
LEFT JOIN opportunities o ON o.created_at >= p.period_start AND o.created_at < p.period_end
LEFT JOIN users u ON u.user_id = o.owner_id
GROUP BY ALL
