// The period series every KPI joins to: `FROM periods($start, $end, $grain) p`.
// Bounds are local calendar days (the session time zone is the report's); the TIMESTAMPTZ
// columns are those days' local midnights, so timestamp columns compare as instants.
//   period_start, period_end   TIMESTAMPTZ  [start, end) for timestamp columns
//   start_day, end_day         DATE         [start, end) for date columns
//   prev_start, prev_end       TIMESTAMPTZ  the period before, same length
//   prev_start_day             DATE
// Grain `range` makes [$start, $end) one period.
//   local_date_before(ts, day)   ts::DATE < day (ts's local date is before `day`), without turning
//     every row's instant into a local date, an ICU call each: an instant more than two days
//     from day's UTC midnight is decided by comparing microseconds (no zone is 16 hours off
//     UTC), and only the few near it are converted.
export const PERIOD_MACROS = `
CREATE OR REPLACE TEMP MACRO pulse_step(g) AS CASE g
  WHEN 'week' THEN INTERVAL 7 DAY WHEN 'month' THEN INTERVAL 1 MONTH
  WHEN 'quarter' THEN INTERVAL 3 MONTH WHEN 'year' THEN INTERVAL 1 YEAR END;
CREATE OR REPLACE TEMP MACRO periods(s, e, g) AS TABLE
  WITH days AS (
    SELECT t.d::DATE AS start_day,
      CASE WHEN g = 'range' THEN e::DATE ELSE (t.d + pulse_step(g))::DATE END AS end_day,
      CASE WHEN g = 'range' THEN s::DATE - (e::DATE - s::DATE)::INTEGER ELSE (t.d - pulse_step(g))::DATE END AS prev_start_day
    FROM generate_series(
      date_trunc(CASE WHEN g = 'range' THEN 'day' ELSE g END, s::DATE)::TIMESTAMP,
      e::DATE::TIMESTAMP - INTERVAL 1 DAY,
      coalesce(pulse_step(g), INTERVAL 3660000 DAY)) AS t(d)
  )
  SELECT start_day::TIMESTAMPTZ AS period_start, end_day::TIMESTAMPTZ AS period_end,
    start_day, end_day,
    prev_start_day::TIMESTAMPTZ AS prev_start, start_day::TIMESTAMPTZ AS prev_end, prev_start_day
  FROM days;
CREATE OR REPLACE TEMP MACRO local_date_before(ts, day) AS CASE
  WHEN epoch_us(ts) < epoch_us(day::TIMESTAMP) - 172800000000 THEN true
  WHEN epoch_us(ts) >= epoch_us(day::TIMESTAMP) + 172800000000 THEN false
  ELSE ts::DATE < day END;
`;
