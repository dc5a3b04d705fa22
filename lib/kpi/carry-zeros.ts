// A count or a sum broken down has no row for a value with nothing in a period: a rep with no
// won deal this month is simply absent, though the truth is $0 (lib/kpi/zero-when-empty.ts says
// which KPIs those are). For a run that follows each value over periods (an alert by rep), a
// value seen in a period of the span gets a 0 row in each later period the data covers where it
// has none. Never before its first row (a new rep had no history of zeros), never for rows
// without a value for `by` (no group to follow), and a period with no row at all, which reads as
// one such row of 0, keeps none of it.

import type { KpiRow } from './run.ts';

export function carryZeros(rows: readonly KpiRow[], by: string, from: string): KpiRow[] {
  const inSpan = rows.filter((row) => row.period_start >= from);
  const periods = [...new Set(inSpan.map((row) => row.period_start))].sort();
  const keyOf = (row: KpiRow) => row[by];
  const empty = (period: string) => {
    const own = inSpan.filter((row) => row.period_start === period);
    return own.length === 1 && own[0] !== undefined && keyOf(own[0]) == null && own[0].value === 0;
  };
  const covered = (period: string) =>
    inSpan.some((row) => row.period_start === period && row.coverage === undefined);
  const out = rows.filter((row) => !(row.period_start >= from && empty(row.period_start)));
  const seen = new Map<string, KpiRow>();
  for (const period of periods) {
    const here = inSpan.filter((row) => row.period_start === period);
    const present = new Set(here.map((row) => String(keyOf(row))));
    if (covered(period))
      for (const [key, first] of seen)
        if (!present.has(key))
          out.push({
            id: first.id,
            period_start: period,
            period_end: periodEnd(here, period),
            [by]: keyOf(first) ?? null,
            value: 0,
          });
    for (const row of here)
      if (keyOf(row) != null && !seen.has(String(keyOf(row)))) seen.set(String(keyOf(row)), row);
  }
  return out;
}

function periodEnd(rows: readonly KpiRow[], period: string): string {
  return rows.find((row) => row.period_start === period)?.period_end ?? period;
}
