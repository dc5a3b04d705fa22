-- title: Won revenue
-- description: Sum of the amounts of the deals won in the period (closed_at in the period); their
-- description: number alongside.
-- unit: money
-- direction: up
-- needs: opportunities.status, opportunities.closed_at, opportunities.amount
-- by: owner = o.owner_id [opportunities.owner_id]
-- by: rep = coalesce(u.name, o.owner_id) [opportunities.owner_id]
-- by: product = o.product [opportunities.product]
-- by: channel = o.channel [opportunities.channel]
-- by: kind = o.kind [opportunities.kind]
-- by: segment = c.segment [opportunities.customer_id, customers.segment]
-- source: seed 001
SELECT p.period_start, p.period_end, {by} AS breakdown,
       coalesce(sum(o.amount), 0) AS value,
       count(o.opportunity_id) AS deals
FROM periods($start, $end, $grain) p
LEFT JOIN opportunities o
  ON o.closed_at >= p.period_start AND o.closed_at < p.period_end AND o.status = 'won'
LEFT JOIN customers c ON c.customer_id = o.customer_id
LEFT JOIN users u ON u.user_id = o.owner_id
GROUP BY ALL
