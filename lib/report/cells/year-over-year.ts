// The board's table: each KPI this period against the same period a year earlier.

import type { ReportContext } from '../context.ts';

/** One row per KPI: now, a year earlier, the change, and whether it is better or worse. */
export async function yearOverYear(r: ReportContext, ids: readonly string[], history = 8): Promise<void> {
  const series = await r.kpis(ids, history);
  r.table({
    title: `${r.periodLabel} against the same ${r.period.grain} last year`,
    columns: [
      { header: 'KPI' },
      { header: r.periodLabel, align: 'right' },
      { header: 'A year earlier', align: 'right' },
      { header: 'Change', align: 'right' },
      { header: 'Better or worse' },
    ],
    rows: series.map((s) => {
      if (!s.available || !s.current)
        return [s.kpi.title, 'n/a', '', '', s.available ? '' : `needs ${s.missing.join(', ')}`];
      const row = s.current;
      return [
        s.kpi.title,
        r.format.value(row.value, s.kpi.unit),
        r.format.value(row.year_ago_value, s.kpi.unit),
        r.format.change(row.yoy_change, row.yoy_relative_change, s.kpi.unit),
        row.yoy_is_good === null ? '' : row.yoy_is_good ? 'better' : 'worse',
      ];
    }),
  });
}
