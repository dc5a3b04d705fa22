// A count or a sum broken down has no row for a value with nothing in a period: a rep with no
// won deal this month is simply absent, though the truth is $0 (lib/kpi/zero-when-empty.ts says
// which KPIs those are). For a run that follows each value over periods (an alert by rep), a
// value seen in a period of the span gets a 0 row in each later period the data covers where it
// has none; never before its first row (a new rep had no history of zeros). Rows without a value
// for `by` are a group of their own ("(none)"), followed like any other, with two exceptions:
// - a period with no row at all reads as one such row whose numbers are all 0 (the SQL's LEFT
//   JOIN from the periods): it is no group, and the values followed are 0 there;
// - a period where such rows hold something (deals without an owner) gets no 0s: a value
//   missing there may be among them, so it stays unknown.

import type { KpiRow } from './run.ts';

const NONE = '\u0000none';

export function carryZeros(rows: readonly KpiRow[], by: string, from: string): KpiRow[] {
  const byPeriod = new Map<string, KpiRow[]>();
  for (const row of rows) {
    if (row.period_start < from) continue;
    const own = byPeriod.get(row.period_start);
    if (own) own.push(row);
    else byPeriod.set(row.period_start, [row]);
  }
  const keyOf = (row: KpiRow) => (row[by] == null ? NONE : String(row[by]));
  // Every number of the row is 0 (count columns such as deals or competitive_deals included).
  const onNothing = (row: KpiRow) => Object.values(row).every((v) => typeof v !== 'number' || v === 0);
  const noRows = new Set(
    [...byPeriod]
      .filter(
        ([, own]) =>
          own.length === 1 &&
          own[0] !== undefined &&
          keyOf(own[0]) === NONE &&
          own[0].value === 0 &&
          onNothing(own[0]),
      )
      .map(([period]) => period),
  );
  const out = rows.filter((row) => !noRows.has(row.period_start));
  const seen = new Map<string, KpiRow>();
  for (const period of [...byPeriod.keys()].sort()) {
    const here = noRows.has(period) ? [] : (byPeriod.get(period) ?? []);
    const present = new Set(here.map(keyOf));
    const covered = (byPeriod.get(period) ?? []).some((row) => row.coverage === undefined);
    const unattributed = here.some((row) => keyOf(row) === NONE && row.value !== 0);
    const end = byPeriod.get(period)?.[0]?.period_end ?? period;
    if (covered && !unattributed)
      for (const [key, first] of seen)
        if (!present.has(key))
          out.push({
            id: first.id,
            period_start: period,
            period_end: end,
            [by]: first[by] ?? null,
            value: 0,
          });
    // A row without a value (before the data starts) shows no group.
    for (const row of here) if (row.value !== null && !seen.has(keyOf(row))) seen.set(keyOf(row), row);
  }
  return out;
}
