-- title: Resolution time distribution
-- description: Tickets resolved in the period by how long they took (created_at → resolved_at, elapsed hours):
-- description: one row per bucket (under 1 h, 1–4 h, 4–8 h, 8–24 h, 1–3 days, 3–7 days, over 7 days), every
-- description: bucket present, with bucket_order, tickets and share of the period's resolved tickets.
-- unit: table
-- direction: none
-- needs: tickets.created_at, tickets.resolved_at
-- source: seeds 001, 003 §8
WITH buckets(bucket_order, bucket_label, low_hours, high_hours) AS (
  VALUES (1, 'under 1 h', 0, 1), (2, '1–4 h', 1, 4), (3, '4–8 h', 4, 8), (4, '8–24 h', 8, 24),
         (5, '1–3 days', 24, 72), (6, '3–7 days', 72, 168), (7, 'over 7 days', 168, 'infinity'::DOUBLE)
),
resolved AS (
  SELECT p.period_start, (epoch(t.resolved_at) - epoch(t.created_at)) / 3600.0 AS hours
  FROM periods($start, $end, $grain) p
  JOIN tickets t ON t.resolved_at >= p.period_start AND t.resolved_at < p.period_end
),
counted AS (
  SELECT p.period_start, p.period_end, b.bucket_order, b.bucket_label, count(r.hours) AS tickets
  FROM periods($start, $end, $grain) p
  CROSS JOIN buckets b
  LEFT JOIN resolved r
    ON r.period_start = p.period_start AND greatest(r.hours, 0) >= b.low_hours AND greatest(r.hours, 0) < b.high_hours
  GROUP BY p.period_start, p.period_end, b.bucket_order, b.bucket_label
)
SELECT period_start, period_end, bucket_label, bucket_order, tickets,
       tickets / nullif(sum(tickets) OVER (PARTITION BY period_start), 0) AS share
FROM counted
ORDER BY period_start, bucket_order
