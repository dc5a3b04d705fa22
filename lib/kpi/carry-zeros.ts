// A count or a sum broken down has no row for a value with nothing in a period: a rep with no
// won deal this month is simply absent, though the truth is $0 (lib/kpi/zero-when-empty.ts says
// which KPIs those are). For a run that follows each value over periods (an alert by rep), a
// value seen in a period of the span gets a 0 row in each later period the data covers where it
// has none. Never before its first row (a new rep had no history of zeros), never for rows
// without a value for `by` (no group to follow), and a period with no row at all, which reads as
// one such row of 0, keeps none of it.

import type { KpiRow } from './run.ts';

export function carryZeros(rows: readonly KpiRow[], by: string, from: string): KpiRow[] {
  const byPeriod = new Map<string, KpiRow[]>();
  for (const row of rows) {
    if (row.period_start < from) continue;
    const own = byPeriod.get(row.period_start);
    if (own) own.push(row);
    else byPeriod.set(row.period_start, [row]);
  }
  const keyOf = (row: KpiRow) => row[by];
  const empty = new Set(
    [...byPeriod]
      .filter(
        ([, own]) => own.length === 1 && own[0] !== undefined && keyOf(own[0]) == null && own[0].value === 0,
      )
      .map(([period]) => period),
  );
  const out = rows.filter((row) => !empty.has(row.period_start));
  const seen = new Map<string, KpiRow>();
  for (const period of [...byPeriod.keys()].sort()) {
    const here = byPeriod.get(period) ?? [];
    const present = new Set(here.flatMap((row) => (keyOf(row) == null ? [] : [String(keyOf(row))])));
    const covered = here.some((row) => row.coverage === undefined);
    const end = here[0]?.period_end ?? period;
    if (covered)
      for (const [key, first] of seen)
        if (!present.has(key))
          out.push({
            id: first.id,
            period_start: period,
            period_end: end,
            [by]: keyOf(first) ?? null,
            value: 0,
          });
    for (const row of here) {
      const key = keyOf(row);
      if (key != null && !seen.has(String(key))) seen.set(String(key), row);
    }
  }
  return out;
}
