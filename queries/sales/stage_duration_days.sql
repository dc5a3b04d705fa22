-- title: Stage duration
-- description: Mean days from entered_at to exited_at of the stage exits in the period (opportunity_stages),
-- description: over all stages; by stage it is per stage, and the longest stage is the bottleneck. The
-- description: median and the number of exits alongside.
-- unit: days
-- direction: down
-- needs: opportunity_stages.entered_at, opportunity_stages.exited_at
-- by: stage = s.stage
-- by: owner = o.owner_id [opportunities.owner_id]
-- by: product = o.product [opportunities.product]
-- by: channel = o.channel [opportunities.channel]
-- by: kind = o.kind [opportunities.kind]
-- by: segment = c.segment [opportunities.customer_id, customers.segment]
-- source: seeds 002 §4, 001
SELECT p.period_start, p.period_end, {by} AS breakdown,
       -- Elapsed time from epochs: TIMESTAMPTZ subtraction follows the local clock across DST.
       avg((epoch(s.exited_at) - epoch(s.entered_at)) / 86400.0)::DOUBLE AS value,
       median((epoch(s.exited_at) - epoch(s.entered_at)) / 86400.0)::DOUBLE AS median_days,
       count(s.opportunity_id) AS exits
FROM periods($start, $end, $grain) p
LEFT JOIN opportunity_stages s ON s.exited_at >= p.period_start AND s.exited_at < p.period_end
LEFT JOIN opportunities o ON o.opportunity_id = s.opportunity_id
LEFT JOIN customers c ON c.customer_id = o.customer_id
GROUP BY ALL
