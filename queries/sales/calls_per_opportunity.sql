-- title: Calls per opportunity
-- description: Activities of kind call linked to the deals closed (won or lost) in the period, whenever the
-- description: call happened, ÷ those deals.
-- unit: count
-- direction: down
-- needs: opportunities.status, opportunities.closed_at, activities.kind, activities.opportunity_id
-- by: owner = o.owner_id [opportunities.owner_id]
-- by: product = o.product [opportunities.product]
-- by: channel = o.channel [opportunities.channel]
-- by: kind = o.kind [opportunities.kind]
-- by: segment = c.segment [opportunities.customer_id, customers.segment]
-- by: status = o.status
-- source: seed 001
SELECT p.period_start, p.period_end, {by} AS breakdown,
       coalesce(sum(k.calls), 0) AS numerator,
       count(o.opportunity_id) AS denominator
FROM periods($start, $end, $grain) p
LEFT JOIN opportunities o
  ON o.closed_at >= p.period_start AND o.closed_at < p.period_end AND o.status IN ('won', 'lost')
LEFT JOIN (
  SELECT a.opportunity_id, count(*) AS calls
  FROM activities a
  WHERE a.kind = 'call' AND a.opportunity_id IS NOT NULL
  GROUP BY a.opportunity_id
) k ON k.opportunity_id = o.opportunity_id
LEFT JOIN customers c ON c.customer_id = o.customer_id
GROUP BY ALL
