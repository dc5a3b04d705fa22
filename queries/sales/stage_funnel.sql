-- title: Pipeline funnel
-- description: How far the deals closed in the period (won or lost) got. One row per stage, in the order deals
-- description: move through them (each stage's mean position in its deals' histories), with the deals that
-- description: reached it: entered it or any later stage (a deal that skipped a stage has passed it). A final
-- description: row "won". conversion_rate = deals ÷ deals of the row before (NULL for the first row);
-- description: reached_share = deals ÷ deals closed in the period.
-- unit: table
-- direction: up
-- needs: opportunities.status, opportunities.closed_at, opportunity_stages.stage, opportunity_stages.entered_at
-- source: seeds 002 §4, 001
WITH closed AS (
  SELECT p.period_start, o.opportunity_id, o.status
  FROM periods($start, $end, $grain) p
  JOIN opportunities o
    ON o.closed_at >= p.period_start AND o.closed_at < p.period_end AND o.status IN ('won', 'lost')
),
history AS (
  SELECT c.period_start, c.opportunity_id, s.stage,
         row_number() OVER (PARTITION BY c.period_start, c.opportunity_id ORDER BY s.entered_at) AS position
  FROM closed c JOIN opportunity_stages s ON s.opportunity_id = c.opportunity_id
),
stage_order AS (
  SELECT period_start, stage, row_number() OVER (PARTITION BY period_start ORDER BY avg(position), stage) AS rank
  FROM history GROUP BY period_start, stage
),
furthest AS (
  SELECT h.period_start, h.opportunity_id, max(r.rank) AS rank
  FROM history h JOIN stage_order r ON r.period_start = h.period_start AND r.stage = h.stage
  GROUP BY ALL
),
rows AS (
  SELECT r.period_start, r.stage, r.rank, count(f.opportunity_id) AS deals
  FROM stage_order r LEFT JOIN furthest f ON f.period_start = r.period_start AND f.rank >= r.rank
  GROUP BY ALL
  UNION ALL
  SELECT period_start, 'won', 1e9, count(*) FILTER (status = 'won') FROM closed GROUP BY ALL
),
totals AS (SELECT period_start, count(*) AS closed FROM closed GROUP BY ALL)
SELECT p.period_start, p.period_end, x.stage, x.deals,
       x.deals / nullif(lag(x.deals) OVER (PARTITION BY p.period_start ORDER BY x.rank), 0) AS conversion_rate,
       x.deals / t.closed AS reached_share
FROM periods($start, $end, $grain) p
JOIN rows x ON x.period_start = p.period_start
JOIN totals t ON t.period_start = p.period_start
ORDER BY p.period_start, x.rank
