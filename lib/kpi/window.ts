// KPIs computed over a fixed trailing window (`-- window: 12 months`): CLV, repeat purchase
// rate and the like look back from each period's end, whatever the period's length. Their rows
// say so (window_start, window_end) and their labels name the window, not the period asked for,
// which would be wrong for any period that is not 12 months long.

import type { KpiDefinition } from './definition.ts';
import { addDays, addMonths } from './period.ts';

/** The half-open window [start, end) a row's value was computed over: it ends with the period. */
export function windowOf(
  kpi: Pick<KpiDefinition, 'window'>,
  periodEnd: string,
): { start: string; end: string } | undefined {
  if (!kpi.window) return undefined;
  return { start: addMonths(periodEnd, -kpi.window.months), end: periodEnd };
}

/** Rows with their window: `window_start` (first day) and `window_end` (exclusive, = period_end). */
export function withWindow<T extends { readonly period_end: string }>(
  kpi: Pick<KpiDefinition, 'window'>,
  rows: T[],
): T[] {
  if (!kpi.window) return rows;
  return rows.map((row) => {
    const window = windowOf(kpi, row.period_end);
    return window ? { ...row, window_start: window.start, window_end: window.end } : row;
  });
}

/** "12 months to 1998-06-30" (the last day), or undefined for a KPI of the period itself. */
export function windowLabel(kpi: Pick<KpiDefinition, 'window'>, periodEnd: string): string | undefined {
  if (!kpi.window) return undefined;
  const { months } = kpi.window;
  return `${months} ${months === 1 ? 'month' : 'months'} to ${addDays(periodEnd, -1)}`;
}
