-- title: Cohort retention
-- description: Heatmap of logo retention by acquisition month: for each cohort (customers whose acquired_at
-- description: falls in that calendar month) and each month since acquisition (month_index 0 = the acquisition
-- description: month), the share of the cohort still active at the end of that month (at instant t = the next
-- description: month's first day: churned_at NULL or on/after t). Cohorts: the acquisition months from 12 months
-- description: before the period's end (or from the period's start when it is longer, e.g. a range) up to the
-- description: end. Cells whose month has not ended by the period's end are absent (not 0); months without
-- description: acquisitions have no cohort. One row per cohort × month_index: cohort (YYYY-MM), month_index,
-- description: cohort_size, active, retention (= active ÷ cohort_size).
-- unit: table
-- direction: up
-- needs: customers.acquired_at, customers.churned_at
-- source: seed 000, ChartMogul (cohort analysis)
WITH p AS (
  SELECT *, date_trunc('month', least(start_day, (end_day - INTERVAL 12 MONTH)::DATE))::DATE AS first_cohort
  FROM periods($start, $end, $grain)
),
members AS (
  SELECT p.period_start, date_trunc('month', c.acquired_at)::DATE AS cohort_month, c.churned_at
  FROM p
  JOIN customers c ON c.acquired_at >= p.first_cohort AND c.acquired_at < p.end_day
),
cohorts AS (
  SELECT period_start, cohort_month, count(*) AS cohort_size
  FROM members
  GROUP BY ALL
),
cells AS (
  SELECT k.period_start, k.cohort_month, k.cohort_size, k.month_index,
         (k.cohort_month + to_months(k.month_index + 1))::DATE AS at_day
  FROM (
    SELECT h.period_start, h.cohort_month, h.cohort_size,
           unnest(range(0, date_diff('month', h.cohort_month, p.end_day))) AS month_index
    FROM cohorts h
    JOIN p ON p.period_start = h.period_start
  ) k
  JOIN p ON p.period_start = k.period_start
  WHERE (k.cohort_month + to_months(k.month_index + 1))::DATE <= p.end_day
),
counted AS (
  SELECT x.period_start, x.cohort_month, x.month_index, x.cohort_size,
         count(*) FILTER (m.churned_at IS NULL OR m.churned_at >= x.at_day) AS active
  FROM cells x
  JOIN members m ON m.period_start = x.period_start AND m.cohort_month = x.cohort_month
  GROUP BY ALL
)
SELECT p.period_start, p.period_end, strftime(x.cohort_month, '%Y-%m') AS cohort, x.month_index::INTEGER AS month_index,
       x.cohort_size, x.active, x.active::DOUBLE / x.cohort_size AS retention
FROM p
JOIN counted x ON x.period_start = p.period_start
ORDER BY p.period_start, cohort, month_index
