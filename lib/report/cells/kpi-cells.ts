// The generic notebook cells: a KPI's trend, its breakdown as bars, its rows as a table. Each
// takes the KPI by id (or a result already fetched), draws itself with the report's format, and
// when the data cannot answer says so itself ("… not available: needs tickets (resolved_at)"),
// so a report script never checks `.available`, coerces a value or names a currency.

import type { Unit } from '../../kpi/definition.ts';
import type { KpiSeries, KpiTable } from '../../render/content.ts';
import type { ReportContext, RowsOptions } from '../context.ts';
import { breakdownBars, type ColumnSpec, prettify, rowsTable, trendChart } from './kpi-charts.ts';

/** A KPI by id, or its series already fetched with `r.kpi`. */
export type SeriesRef = string | KpiSeries;
/** A KPI table by id, or one already fetched with `r.rows`. */
export type TableRef = string | KpiTable;

export interface TrendOptions {
  readonly title?: string;
  readonly id?: string;
  /** Other columns of the KPI drawn beside its value: `[{ name: 'Median', field: 'median_hours' }]`. */
  readonly alongside?: { name: string; field: string }[];
  readonly height?: number;
  /** Trailing periods (default 12). */
  readonly history?: number;
}

/** The KPI's trailing periods with last year's values and its target. */
export async function trend(r: ReportContext, kpi: SeriesRef, options: TrendOptions = {}): Promise<void> {
  const series = typeof kpi === 'string' ? await r.kpi(kpi, options.history) : kpi;
  if (!series.available) return r.unavailable(options.title ?? `${series.kpi.title} trend`, series.missing);
  r.chart(trendChart(series, { ...options, format: r.format }));
}

export interface BarsOptions extends Omit<RowsOptions, 'by'> {
  /** The breakdown, one of the KPI's `by:` names. */
  readonly by: string;
  /** The axis label; default the breakdown's name in words ("Channel"). */
  readonly dimension?: string;
  readonly title?: string;
  /** Another column than `value`. */
  readonly field?: string;
  readonly unit?: Unit;
  /** Mark the best ('max') or worst ('min') group with enough items. */
  readonly highlight?: 'max' | 'min';
  readonly limit?: number;
  readonly sort?: 'descending' | 'ascending' | 'none';
}

/** One bar per breakdown value of the report's period. */
export async function bars(r: ReportContext, kpi: TableRef, options: BarsOptions): Promise<void> {
  const { by, dimension, title, field, unit, highlight, limit, sort, ...rowsOptions } = options;
  const table = typeof kpi === 'string' ? await r.rows(kpi, { ...rowsOptions, by }) : kpi;
  if (!table.available) return r.unavailable(title ?? `${table.kpi.title} by ${prettify(by)}`, table.missing);
  r.chart(
    breakdownBars(table, {
      format: r.format,
      dimension: dimension ?? capitalise(prettify(by)),
      ...(title ? { title } : {}),
      ...(field ? { field } : {}),
      ...(unit ? { unit } : {}),
      ...(highlight ? { highlight } : {}),
      ...(limit ? { limit } : {}),
      ...(sort ? { sort } : {}),
    }),
  );
}

export interface KpiTableOptions extends RowsOptions {
  readonly title?: string;
  readonly caption?: string;
  /** At most this many rows (default 50). */
  readonly limit?: number;
  /** Which rows, in which order: e.g. drop the totals row, or sort by another column. */
  readonly select?: (rows: KpiTable & { available: true }) => KpiRowList;
  /** Said instead of an empty table: "No NPS detractor this week." Default: nothing. */
  readonly whenEmpty?: string;
}

type KpiRowList = Extract<KpiTable, { available: true }>['rows'];

/** The KPI's rows as a table with the given columns. */
export async function kpiTable(
  r: ReportContext,
  kpi: TableRef,
  columns: readonly ColumnSpec[],
  options: KpiTableOptions = {},
): Promise<void> {
  const { title, caption, limit, select, whenEmpty, ...rowsOptions } = options;
  const table = typeof kpi === 'string' ? await r.rows(kpi, rowsOptions) : kpi;
  if (!table.available) return r.unavailable(title ?? table.kpi.title, table.missing);
  const selected = select ? select(table) : table.rows;
  // A period the data cannot answer is one row holding only its reason: a list's unknown_note
  // (a column the export stopped filling), or a series row outside the data (coverage none).
  // The table is then unknown, never "every ticket answered" nor a row of dashes. (A series
  // row's unknown_note, "amount unknown for 2 of 2 deals", is about its value: it stays.)
  const reasonOf = (row: (typeof selected)[number]) =>
    table.kpi.unit === 'table' && typeof row.unknown_note === 'string' && onlyNote(row)
      ? row.unknown_note
      : row.coverage === 'none' && typeof row.coverage_note === 'string'
        ? row.coverage_note
        : undefined;
  const unknown = selected.filter((row) => reasonOf(row) !== undefined);
  const rows = selected.filter((row) => reasonOf(row) === undefined);
  const notesOf = unknown.map((row) => ({ start: String(row.period_start), reason: String(reasonOf(row)) }));
  const reasons = periodReasons(notesOf);
  if (rows.length === 0 && notesOf.length > 0)
    return r.unknown(
      title ?? table.kpi.title,
      notesOf.length === 1 ? String(notesOf[0]?.reason) : reasons.join(' '),
    );
  if (rows.length === 0) {
    if (whenEmpty) r.markdown(whenEmpty);
    return;
  }
  const notes = [caption, ...reasons].filter(Boolean);
  const block = rowsTable(table, columns, {
    format: r.format,
    rows,
    ...(title ? { title } : {}),
    ...(notes.length > 0 ? { caption: notes.join(' ') } : {}),
    ...(limit ? { limit } : {}),
  });
  if (block) r.table(block);
}

/**
 * A list the data does not cover for the report's period (its rows are only "no data" markers)
 * says why in place of its chart: "Resolution time: no data for March 2026: the data starts ...",
 * never "No tickets resolved". True when it was said.
 */
export function saidNoData(
  r: ReportContext,
  title: string,
  rows: readonly Readonly<Record<string, unknown>>[],
): boolean {
  const notes = rows.map((row) => (row.coverage === 'none' ? row.coverage_note : undefined));
  if (notes.length === 0 || !notes.every((note) => typeof note === 'string')) return false;
  r.unknown(title, [...new Set(notes)].join(' '));
  return true;
}

/**
 * The periods a table leaves out, said once per reason: "No data for 7 periods: the data starts
 * 2026-07-01 (...)." rather than the same sentence for every week; a list's own note keeps its day.
 */
function periodReasons(unknown: readonly { start: string; reason: string }[]): string[] {
  const byTail = new Map<string, string[]>();
  for (const { start, reason } of unknown) {
    const tail = /^no data for [^:]*: (.*)$/.exec(reason)?.[1];
    const key = tail === undefined ? `${start}: ${reason}` : tail;
    byTail.set(key, [...(byTail.get(key) ?? []), start]);
  }
  return [...byTail].map(([key, starts]) =>
    key.startsWith(`${starts[0]}: `)
      ? `Unknown for ${key}.`
      : `No data for ${starts.length === 1 ? 'one period' : `${starts.length} periods`} (from ${starts[0]}): ${key}.`,
  );
}

// A list row that is only its period and a note (a row about one item keeps its columns).
const PERIOD_FIELDS = new Set(['id', 'period_start', 'period_end', 'unknown_note', 'scope']);
function onlyNote(row: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(row).every(([field, value]) => PERIOD_FIELDS.has(field) || value === null);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
