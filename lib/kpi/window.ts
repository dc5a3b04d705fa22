// KPIs computed over a fixed trailing window (`-- window: 12 months`): CLV, repeat purchase
// rate and the like look back from each period's end, whatever the period's length. Their rows
// say so (window_start, window_end) and their labels name the window, not the period asked for,
// which would be wrong for any period that is not 12 months long.

import { lexSql } from '../data/sql-lexer.ts';
import type { KpiDefinition } from './definition.ts';
import { addDays, addMonths, type Grain, step } from './period.ts';

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

/**
 * The days a row's value is computed from, when more than its period: a window's 12 months, or
 * the period before as well when the SQL reads `prev_start` / `prev_end` (growth against the
 * previous period). Undefined when the value reads its own period only.
 */
export function valueSpan(
  kpi: Pick<KpiDefinition, 'window' | 'sql'>,
  period: { readonly start: string; readonly end: string; readonly grain: Grain | 'range' },
): { start: string; end: string; reads: 'window' | 'previous' } | undefined {
  if (kpi.window)
    return { start: addMonths(period.end, -kpi.window.months), end: period.end, reads: 'window' };
  if (!readsPreviousPeriod(kpi.sql)) return undefined;
  const start =
    period.grain === 'range'
      ? addDays(period.start, -daysBetween(period.start, period.end))
      : step(period.start, period.grain, -1);
  return { start, end: period.end, reads: 'previous' };
}

const readsPrevious = new Map<string, boolean>();

/** Whether the SQL names the periods() columns of the period before (not in a comment or string). */
export function readsPreviousPeriod(sql: string): boolean {
  let found = readsPrevious.get(sql);
  if (found === undefined) {
    found = lexSql(sql).statements.some((statement) =>
      statement.tokens.some(
        (t) => (t.kind === 'word' || t.kind === 'identifier') && /^prev_(start|end|start_day)$/i.test(t.text),
      ),
    );
    if (readsPrevious.size > 1000) readsPrevious.clear();
    readsPrevious.set(sql, found);
  }
  return found;
}

function daysBetween(start: string, end: string): number {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);
}
