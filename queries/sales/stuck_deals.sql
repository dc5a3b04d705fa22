-- title: Stuck deals
-- description: Deals open at the end of the period that have been in their current stage longer than usual:
-- description: more than $factor × the median days of that stage over the 12 months before the end (from
-- description: the stage exits of opportunity_stages). One row per deal: opportunity_id, rep, stage,
-- description: age_days (days in the stage so far), usual_days, amount; the largest amounts first, at most $limit.
-- unit: table
-- direction: down
-- needs: opportunities.status, opportunities.created_at, opportunities.closed_at, opportunity_stages.stage, opportunity_stages.entered_at, opportunity_stages.exited_at
-- param: factor number = 2 how many times the usual stage duration counts as stuck
-- param: limit number = 25 the most deals listed per period
-- source: seeds 002 §4, report-content.md (weekly)
WITH p AS (SELECT * FROM periods($start, $end, $grain)),
usual AS (
  SELECT p.period_start, s.stage,
         median((epoch(s.exited_at) - epoch(s.entered_at)) / 86400.0) AS usual_days
  FROM p JOIN opportunity_stages s
    ON s.exited_at < p.period_end AND s.exited_at >= (p.end_day - INTERVAL 12 MONTH)::TIMESTAMPTZ
  GROUP BY ALL
),
current_stage AS (
  SELECT p.period_start, p.period_end, o.opportunity_id, o.amount, coalesce(u.name, o.owner_id) AS rep,
         s.stage, (epoch(p.period_end) - epoch(s.entered_at)) / 86400.0 AS age_days
  FROM p
  JOIN opportunities o
    ON o.created_at < p.period_end AND coalesce(o.closed_at, 'infinity'::TIMESTAMPTZ) >= p.period_end
    AND (o.closed_at IS NOT NULL OR o.status = 'open')
  JOIN opportunity_stages s
    ON s.opportunity_id = o.opportunity_id AND s.entered_at < p.period_end
    AND coalesce(s.exited_at, 'infinity'::TIMESTAMPTZ) >= p.period_end
  LEFT JOIN users u ON u.user_id = o.owner_id
)
SELECT c.period_start, c.period_end, c.opportunity_id, c.rep, c.stage, c.age_days, u.usual_days, c.amount
FROM current_stage c
JOIN usual u ON u.period_start = c.period_start AND u.stage = c.stage
WHERE c.age_days > $factor * u.usual_days
QUALIFY row_number() OVER (PARTITION BY c.period_start ORDER BY c.amount DESC NULLS LAST, c.opportunity_id) <= $limit
ORDER BY c.period_start, c.amount DESC NULLS LAST, c.opportunity_id
