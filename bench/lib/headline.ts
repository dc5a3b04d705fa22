// The ten headline KPIs the peers compute: the monthly report's eight headline tiles plus won
// revenue and new customers, each for the report's month, with no breakdown.

import type { ComparedRow } from '../../lib/kpi/compare.ts';
import type { KpiDefinition } from '../../lib/kpi/definition.ts';

export const HEADLINE_TEN = [
  'revenue',
  'close_rate',
  'open_pipeline',
  'cac',
  'churn_rate',
  'nrr',
  'nps',
  'csat',
  'won_revenue',
  'new_customers',
] as const;

export type HeadlineValues = Record<string, number | null>;

/** The whole-business value of each KPI for the month starting `periodStart`. */
export function headlineValues(
  rows: readonly ComparedRow[],
  periodStart: string,
  kpiOf: (id: string) => KpiDefinition,
): HeadlineValues {
  const values: HeadlineValues = {};
  for (const id of HEADLINE_TEN) {
    const breakdowns = kpiOf(id).breakdowns.map((b) => b.name);
    const row = rows.find(
      (r) => r.id === id && r.period_start === periodStart && breakdowns.every((name) => !(name in r)),
    );
    values[id] = row ? row.value : null;
  }
  return values;
}

export interface Mismatch {
  readonly kpi: string;
  readonly ours: number | null;
  readonly theirs: number | null;
}

/** KPIs whose values differ by more than a relative 1e-9 (or are missing on one side). */
export function compareHeadline(ours: HeadlineValues, theirs: HeadlineValues): Mismatch[] {
  const out: Mismatch[] = [];
  for (const kpi of HEADLINE_TEN) {
    const a = ours[kpi] ?? null;
    const b = theirs[kpi] ?? null;
    const same =
      a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
    if (!same) out.push({ kpi, ours: a, theirs: b });
  }
  return out;
}
