// Which KPIs an export cannot give because a table it has lacks a column they need (a deals
// export without closed_at): said by `pulse check` before the report says "not available".
// Whole tables absent are said on their own, with the KPIs that need one; breakdowns are left out
// (the KPI itself still runs).

import type { Dataset } from '../data/dataset.ts';
import type { Catalog } from './catalog.ts';

export interface AbsentColumn {
  /** `table.column`, as the KPIs' `needs:` name it. */
  readonly need: string;
  /** The ids of the KPIs that need it, in catalog order. */
  readonly kpis: readonly string[];
}

export function absentColumns(dataset: Pick<Dataset, 'has'>, catalog: Pick<Catalog, 'kpis'>): AbsentColumn[] {
  const byNeed = new Map<string, string[]>();
  for (const kpi of catalog.kpis) {
    // A KPI that needs an absent table waits for that table first: said with the tables.
    if (!kpi.needs.every((need) => dataset.has(need.split('.')[0] ?? ''))) continue;
    for (const need of kpi.needs) {
      const [table = '', column] = need.split('.');
      if (!column || !dataset.has(table) || dataset.has(table, column)) continue;
      byNeed.set(need, [...(byNeed.get(need) ?? []), kpi.id]);
    }
  }
  return [...byNeed].sort(([a], [b]) => a.localeCompare(b)).map(([need, kpis]) => ({ need, kpis }));
}
