-- title: Sales cycle
-- description: Mean days from created_at to closed_at of the deals won in the period; the median and the
-- description: number of deals alongside. By channel: time to close by channel.
-- unit: days
-- direction: down
-- needs: opportunities.status, opportunities.created_at, opportunities.closed_at
-- by: owner = o.owner_id [opportunities.owner_id]
-- by: product = o.product [opportunities.product]
-- by: channel = o.channel [opportunities.channel]
-- by: kind = o.kind [opportunities.kind]
-- by: segment = c.segment [opportunities.customer_id, customers.segment]
-- source: seeds 000, 001 #4, 002 §5
SELECT p.period_start, p.period_end, {by} AS breakdown,
       -- Elapsed time from epochs: TIMESTAMPTZ subtraction follows the local clock across DST.
       avg((epoch(o.closed_at) - epoch(o.created_at)) / 86400.0)::DOUBLE AS value,
       median((epoch(o.closed_at) - epoch(o.created_at)) / 86400.0)::DOUBLE AS median_days,
       count(o.opportunity_id) AS deals
FROM periods($start, $end, $grain) p
LEFT JOIN opportunities o
  ON o.closed_at >= p.period_start AND o.closed_at < p.period_end AND o.status = 'won'
LEFT JOIN customers c ON c.customer_id = o.customer_id
GROUP BY ALL
