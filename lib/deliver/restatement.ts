// "September close rate was 31.2 % when sent, now 29.8 % after late data": a past period's
// numbers compared with what was sent, so a restated number is said, not silently changed.
// Pure: rows in, findings out.

import { formatKpiValue } from '../format/values.ts';
import type { Unit } from '../kpi/definition.ts';
import { ROW_NOTE_FIELDS } from '../kpi/run.ts';

/** A kpis.json row: id, period_start, value, and breakdown columns. */
export type NumberRow = Readonly<Record<string, unknown>>;

export interface Restatement {
  readonly kpi: string;
  readonly periodStart: string;
  /** Breakdown values of the row ("channel=partner"), empty for the whole business. */
  readonly breakdown: string;
  readonly sentValue: number;
  readonly currentValue: number;
  readonly sentence: string;
}

export interface RestatementOptions {
  /** The period compared (its first day); rows of other periods are ignored. */
  readonly periodStart: string;
  /** How the period is called in the sentence: "September", "2026-Q3". */
  readonly periodName: string;
  /** Title and unit of a KPI; rows of unknown KPIs are skipped. */
  readonly describe: (id: string) => { readonly title: string; readonly unit: Unit } | undefined;
  /** Relative change below which a difference is rounding, not a restatement (default 0.1 %). */
  readonly tolerance?: number;
  readonly currency?: string;
  /** Digits and separators (default en-US): the report's own. */
  readonly locale?: string;
}

// `scope` says whose number a row is ("region EMEA"): the same for both sides, not a breakdown.
const NOT_BREAKDOWN = new Set(['id', 'period_start', 'period_end', 'scope']);

/** Rows of `periodStart` whose value differs between the sent numbers and the current ones. */
export function findRestatements(
  sent: readonly NumberRow[],
  current: readonly NumberRow[],
  options: RestatementOptions,
): Restatement[] {
  const tolerance = options.tolerance ?? 0.001;
  const now = new Map(
    current.filter((r) => r.period_start === options.periodStart).map((r) => [rowKey(r), r]),
  );
  const found: Restatement[] = [];
  const seen = new Set<string>();
  for (const row of sent) {
    if (row.period_start !== options.periodStart) continue;
    const key = rowKey(row);
    if (seen.has(key)) continue;
    seen.add(key);
    const other = now.get(key);
    const kpi = options.describe(String(row.id));
    const was = toNumber(row.value);
    const is = toNumber(other?.value);
    if (!other || !kpi || was === null || is === null) continue;
    const scale = Math.max(Math.abs(was), Math.abs(is));
    if (scale === 0 || Math.abs(is - was) / scale <= tolerance) continue;
    const breakdown = breakdownOf(row);
    const fmt = (v: number) =>
      formatKpiValue(v, kpi.unit, {
        currency: options.currency ?? 'USD',
        ...(options.locale ? { locale: options.locale } : {}),
      });
    found.push({
      kpi: String(row.id),
      periodStart: options.periodStart,
      breakdown,
      sentValue: was,
      currentValue: is,
      sentence: `${options.periodName} ${lowerFirst(kpi.title)}${breakdown ? ` (${breakdown})` : ''} was ${fmt(was)} when sent, now ${fmt(is)} after late data`,
    });
  }
  return found;
}

function rowKey(row: NumberRow): string {
  return `${String(row.id)}\u0000${String(row.period_start)}\u0000${breakdownOf(row)}`;
}

/** The text columns that tell rows of one KPI and period apart: "channel=partner". */
function breakdownOf(row: NumberRow): string {
  return Object.keys(row)
    .filter((k) => !NOT_BREAKDOWN.has(k) && !ROW_NOTE_FIELDS.has(k) && typeof row[k] === 'string')
    .sort()
    .map((k) => `${k}=${String(row[k])}`)
    .join(', ');
}

function toNumber(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** "Close rate" → "close rate", but "NPS" and "CSAT score" keep their capitals. */
function lowerFirst(title: string): string {
  return /^[A-Z][a-z]/.test(title) ? title[0]?.toLowerCase() + title.slice(1) : title;
}
