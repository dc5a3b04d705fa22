-- title: Close rate
-- description: Deals won ÷ deals closed (won + lost) with closed_at in the period.
-- description: Open deals are not counted: dividing by all deals is the common error.
-- unit: ratio
-- direction: up
-- needs: opportunities.status, opportunities.closed_at
-- by: owner = o.owner_id [opportunities.owner_id]
-- by: rep = coalesce(u.name, o.owner_id) [opportunities.owner_id]
-- by: product = o.product [opportunities.product]
-- by: channel = o.channel [opportunities.channel]
-- by: kind = o.kind [opportunities.kind]
-- by: segment = c.segment [opportunities.customer_id, customers.segment]
-- source: seeds 001 #1, 002 §1, 003 §4
SELECT p.period_start, p.period_end, {by} AS breakdown,
       count(o.opportunity_id) FILTER (o.status = 'won') AS numerator,
       count(o.opportunity_id) FILTER (o.status IN ('won', 'lost')) AS denominator
FROM periods($start, $end, $grain) p
LEFT JOIN opportunities o
  ON o.closed_at >= p.period_start AND o.closed_at < p.period_end AND o.status IN ('won', 'lost')
LEFT JOIN customers c ON c.customer_id = o.customer_id
LEFT JOIN users u ON u.user_id = o.owner_id
GROUP BY ALL
