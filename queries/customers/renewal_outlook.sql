-- title: Renewal outlook
-- description: Subscriptions whose term ends in the period after this one (as long as this one), as known at
-- description: its end: one row per product_type and a total row (product_type NULL): subscriptions, mrr,
-- description: renewed and not_renewed (decided already), undecided and undecided_mrr (still to win), and
-- description: cancelled (cancelled before the end of this period).
-- unit: table
-- direction: up
-- needs: subscriptions.ends_at, subscriptions.mrr
-- source: seeds 001, 002 §4, report-content.md (quarterly: renewal outlook)
WITH next AS (
  SELECT p.period_start, p.period_end, p.end_day AS next_start, (p.end_day + (p.end_day - p.start_day)::INTEGER) AS next_end
  FROM periods($start, $end, $grain) p
),
due AS (
  SELECT n.period_start, n.period_end, s.product_type, s.mrr, s.renewed,
         s.cancelled_at IS NOT NULL AND s.cancelled_at < n.next_start AS cancelled
  FROM next n JOIN subscriptions s ON s.ends_at >= n.next_start AND s.ends_at < n.next_end
)
SELECT period_start, period_end, product_type,
       count(*) AS subscriptions, sum(mrr) AS mrr,
       count(*) FILTER (renewed AND NOT cancelled) AS renewed,
       count(*) FILTER (renewed = false AND NOT cancelled) AS not_renewed,
       count(*) FILTER (renewed IS NULL AND NOT cancelled) AS undecided,
       coalesce(sum(mrr) FILTER (renewed IS NULL AND NOT cancelled), 0) AS undecided_mrr,
       count(*) FILTER (cancelled) AS cancelled
FROM due
GROUP BY GROUPING SETS ((period_start, period_end, product_type), (period_start, period_end))
ORDER BY period_start, product_type NULLS LAST
