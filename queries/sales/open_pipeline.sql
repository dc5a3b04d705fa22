-- title: Open pipeline
-- description: Amount of the deals open at the end of the period: created before the end and not closed
-- description: before it (closed_at at or after the end, or no closed_at and status open); their number
-- description: alongside. The change from one period to the next is the change in pipeline over time.
-- unit: money
-- direction: up
-- needs: opportunities.created_at, opportunities.closed_at, opportunities.status, opportunities.amount
-- by: owner = o.owner_id [opportunities.owner_id]
-- by: product = o.product [opportunities.product]
-- by: channel = o.channel [opportunities.channel]
-- by: kind = o.kind [opportunities.kind]
-- by: segment = c.segment [opportunities.customer_id, customers.segment]
-- known: amount of open deals
-- source: seeds 001, 004
SELECT p.period_start, p.period_end, {by} AS breakdown,
       -- No deal: 0. Deals whose amounts are all blank: unknown (null), never 0.
       CASE WHEN count(o.opportunity_id) = 0 THEN 0 ELSE sum(o.amount) END AS value,
       count(o.opportunity_id) AS deals,
       count(o.amount) AS value_known,
       count(o.opportunity_id) AS value_of
FROM periods($start, $end, $grain) p
LEFT JOIN opportunities o
  ON o.created_at < p.period_end
  AND coalesce(o.closed_at, CASE WHEN o.status = 'open' THEN 'infinity'::TIMESTAMPTZ END) >= p.period_end
LEFT JOIN customers c ON c.customer_id = o.customer_id
GROUP BY ALL
