// A KPI tile as the templates need it: every string formatted, every colour decided. Pure.

import { type FormatOptions, formatChange, formatKpiValue } from '../format/values.ts';
import type { ComparedRow } from '../kpi/compare.ts';
import { addMonths, type Grain } from '../kpi/period.ts';
import { windowLabel } from '../kpi/window.ts';
import type { KpiSeries } from './content.ts';

export interface TileView {
  readonly id: string;
  readonly title: string;
  readonly unavailable: boolean;
  readonly missing: string;
  readonly value: string;
  readonly changeText: string;
  readonly changeClass: string;
  readonly changeArrow: string;
  readonly yoyText: string;
  readonly yoyClass: string;
  readonly yoyArrow: string;
  readonly previousLabel: string;
  readonly targetText: string;
  readonly targetClass: string;
  /** "company-wide" for a KPI a scoped report cannot split; '' otherwise. */
  readonly scopeNote: string;
  /** Why it is company-wide (a tooltip). */
  readonly scopeWhy: string;
  /** "12 months to 2026-10-31" for a KPI over a fixed window (not the period); '' otherwise. */
  readonly windowText: string;
  /** One sentence with the numbers, for alt text and the plain-text e-mail. */
  readonly sentence: string;
  /** "partial: the data ends 2026-10-15" or "no data for ...: the data ends ..."; '' when whole. */
  readonly coverageNote: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function buildTileView(series: KpiSeries, grain: Grain, options: FormatOptions): TileView {
  const { kpi } = series;
  const empty = {
    id: kpi.id,
    title: kpi.title,
    value: 'n/a',
    changeText: '',
    changeClass: 'neutral',
    changeArrow: '',
    yoyText: '',
    yoyClass: 'neutral',
    yoyArrow: '',
    previousLabel: '',
    targetText: '',
    targetClass: 'neutral',
    scopeNote: '',
    scopeWhy: '',
    coverageNote: '',
    windowText: '',
  };
  if (!series.available) {
    const missing = series.missing.join(', ');
    return {
      ...empty,
      unavailable: true,
      missing,
      sentence: `${kpi.title}: not available (needs ${missing})`,
    };
  }
  const row = series.current;
  if (!row)
    return {
      ...empty,
      unavailable: true,
      missing: 'data for this period',
      sentence: `${kpi.title}: no data`,
    };
  const coverageNote = rowCaveat(row);
  if (row.coverage === 'none')
    return {
      ...empty,
      value: 'no data',
      unavailable: true,
      missing: '',
      coverageNote,
      sentence: `${kpi.title}: ${coverageNote}`,
    };
  const value =
    row.value === null && row.unknown_note ? 'unknown' : formatKpiValue(row.value, kpi.unit, options);
  const change = describeChange(
    row.change,
    row.relative_change,
    row.change_is_good,
    kpi.unit,
    options,
    row.comparison_note,
  );
  const yoy = describeChange(
    row.yoy_change,
    row.yoy_relative_change,
    row.yoy_is_good,
    kpi.unit,
    options,
    row.yoy_note,
  );
  const target = describeTarget(row, kpi.unit, options);
  const previousLabel =
    grain === 'month'
      ? (MONTHS[Number(addMonths(row.period_start, -1).slice(5, 7)) - 1] ?? '')
      : `previous ${grain}`;
  const windowText = windowLabel(kpi, row.period_end) ?? '';
  const sentence = [
    `${kpi.title} ${value}${windowText ? ` (${windowText})` : ''}${coverageNote ? ` (${coverageNote})` : ''}`,
    row.change === null ? '' : `${change.text} vs ${previousLabel}`,
    row.yoy_change === null ? '' : `${yoy.text} vs last year`,
    target.text,
  ]
    .filter(Boolean)
    .join(', ');
  const wide = series.companyWide !== undefined;
  return {
    ...empty,
    unavailable: false,
    missing: '',
    value,
    changeText: change.text,
    changeClass: change.className,
    changeArrow: change.arrow,
    yoyText: yoy.text,
    yoyClass: yoy.className,
    yoyArrow: yoy.arrow,
    previousLabel,
    targetText: target.text,
    targetClass: target.className,
    coverageNote,
    windowText,
    ...(wide ? { scopeNote: 'company-wide', scopeWhy: series.companyWide ?? '' } : {}),
    sentence: wide ? `${sentence} (company-wide)` : sentence,
  };
}

/**
 * What the data leaves out of a row's value: a period covered in part, or amounts left blank in
 * the export ("amount known for 305 of 358 open deals only"); '' when nothing. The tile and the
 * report's summary sentence both say it, in these words.
 */
export function rowCaveat(row: ComparedRow): string {
  // What the data leaves out: a period covered in part, amounts left blank in the export, or
  // rows rejected in such numbers that the value is shown without comparisons (rejected-reads.ts).
  return [row.coverage_note, row.unknown_note, row.rejected_note]
    .filter((n) => typeof n === 'string')
    .join('; ');
}

export function describeChange(
  change: number | null,
  relative: number | null,
  good: boolean | null,
  unit: KpiSeries['kpi']['unit'],
  options: Partial<FormatOptions> = {},
  note?: string,
): { text: string; className: string; arrow: string } {
  if (change === null)
    return { text: note ? `n/a (${note})` : 'no comparison', className: 'neutral', arrow: '' };
  const text = formatChange(change, relative, unit, options);
  if (text.startsWith('±')) return { text, className: 'neutral', arrow: '●' };
  return {
    text,
    className: good === null ? 'neutral' : good ? 'good' : 'bad',
    arrow: change > 0 ? '▲' : '▼',
  };
}

function describeTarget(row: ComparedRow, unit: KpiSeries['kpi']['unit'], options: FormatOptions) {
  if (row.target === null) return { text: '', className: 'neutral' };
  const target = formatKpiValue(row.target, unit, options);
  if (row.on_track === null) return { text: `target ${target}`, className: 'neutral' };
  return row.on_track
    ? { text: `on target (${target})`, className: 'good' }
    : { text: `off target (${target})`, className: 'bad' };
}
