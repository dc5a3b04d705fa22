// Small adapters from KPI results to charts and tables, so report scripts stay one line a cell.
// A result that is not available becomes undefined; the script says so with r.unavailable.

import { buildBars } from '../../charts/bars.ts';
import type { Chart } from '../../charts/chart.ts';
import { buildTrend } from '../../charts/trend.ts';
import { type FormatOptions, formatExtra, formatKpiValue } from '../../format/values.ts';
import type { ComparedRow } from '../../kpi/compare.ts';
import { COMPARABLE_KNOWN_SHARE, drawnValues, evenlyRejected } from '../../kpi/compare.ts';
import type { Unit } from '../../kpi/definition.ts';
import { formatPeriod, grainOf } from '../../kpi/period.ts';
import { MIN_SAMPLE, sampleSize } from '../../kpi/sample-size.ts';
import { windowLabel } from '../../kpi/window.ts';
import type { KpiSeries, KpiTable, TableBlock } from '../../render/content.ts';
import { fromDataStart } from './data-start.ts';

type Available<T> = Extract<T, { available: true }>;

export function isAvailable<T extends KpiSeries | KpiTable>(result: T): result is Available<T> {
  return result.available;
}

/** The KPI's trailing periods with last year's values and the target. */
export function trendChart(
  series: KpiSeries,
  options: {
    /** The report's `r.format`. */
    format: FormatOptions;
    title?: string;
    id?: string;
    alongside?: { name: string; field: string }[];
    height?: number;
  },
): Chart | undefined {
  if (!series.available) return undefined;
  const { rows: history, note: startNote } = fromDataStart(series.history);
  const values = drawnValues(history);
  const drawnValue = (row: ComparedRow) => values[history.indexOf(row)] ?? null;
  // Every period's share of rejects is said once, in words; a gap is a period's own reason.
  const even = evenlyRejected(history);
  const ownRejects = (row: ComparedRow) => row.rejected_note !== undefined && row.rejected_note !== even;
  const note = [companyWideNote(series), startNote].filter(Boolean).join(' ');
  // "rose to" / "fell to" compares the last two points: not when the last one is partial.
  const last = history.at(-1);
  const partial = last && drawnValue(last) === null && last.value !== null;
  const named = options.title ?? (partial ? series.kpi.title : undefined);
  // Partial is of the days covered; a whole period whose amounts are partly unknown says that.
  const lastIs =
    last?.coverage === 'partial'
      ? 'the last period is partial'
      : last && ownRejects(last)
        ? 'the last period lost rows to data errors'
        : "the last period's value is partly unknown";
  const title = named && partial ? `${named}: ${lastIs}` : named;
  const gaps = unknownGaps(
    history
      .filter((row) => !(row === last && partial) && drawnValue(row) === null)
      .map((row) => (ownRejects(row) ? row : { ...row, rejected_note: null })),
  );
  // A column drawn beside the value is of the same rows: drawn where the value is.
  const drawn = (row: ComparedRow) => (row === last && partial) || drawnValue(row) !== null;
  const caption = [note, even && evenlyRejectedNote(even), gaps].filter(Boolean).join(' ');
  return buildTrend({
    id: options.id ?? `${series.kpi.id}-trend`,
    ...(title ? { title } : {}),
    ...(caption ? { caption } : {}),
    name: series.kpi.title,
    unit: series.kpi.unit,
    // Values that may be compared only (a partial window or mostly unknown amounts would draw a
    // climb the business never had), but the last period's, partial, under a title that says so.
    points: history.map((row) => ({
      period: row.period_start,
      value: row === last && partial ? row.value : drawnValue(row),
      yearAgo: row.year_ago_value,
      target: row.target,
    })),
    others: (options.alongside ?? []).map(({ name, field }) => ({
      name,
      points: history.map((row) => ({
        period: row.period_start,
        value: drawn(row) ? numberOrNull(row[field]) : null,
      })),
    })),
    ...(options.height ? { height: options.height } : {}),
    ...(last ? emptyReason(last) : {}),
    format: options.format,
  });
}

/**
 * Why the line has gaps where the data has values: periods whose amounts are partly unknown are
 * not drawn (their moves may be the blanks'), and a gap nobody explains reads as missing data.
 */
function unknownGaps(undrawn: readonly ComparedRow[]): string | undefined {
  const gaps = undrawn.filter((row) => row.value !== null && (row.unknown_note || row.rejected_note));
  const [only] = gaps;
  if (only === undefined) return undefined;
  const share = `${Math.round(COMPARABLE_KNOWN_SHARE * 100)} %`;
  const unknown = gaps.filter((row) => row.unknown_note).length;
  if (gaps.length === 1)
    return `Not drawn: ${rowPeriod(only)}, ${only.unknown_note ? `${String(only.unknown_note)} (under ${share} known)` : `computed ${String(only.rejected_note)}`}.`;
  const parts = [
    ...(unknown > 0 ? [`${unknown} periods whose amounts are known for under ${share} of their rows`] : []),
    ...(gaps.length > unknown
      ? [`${gaps.length - unknown} computed without rows rejected for data errors`]
      : []),
  ];
  return `Not drawn: ${parts.join('; ')} (kpis.csv has their values).`;
}

/** A line drawn though every period lost rows: how many, so a small move is not read as the business's. */
function evenlyRejectedNote(note: string): string {
  return `Every period is computed ${note} for data errors (pulse check lists them): a move within that share may be theirs.`;
}

/** "August 2026", "2026-Q3", "week of 2026-08-03": the row's period in words. */
function rowPeriod(row: ComparedRow): string {
  return formatPeriod({
    start: row.period_start,
    end: row.period_end,
    grain: grainOf(row.period_start, row.period_end),
  });
}

/** Why a trend has nothing to draw, from its last period: "No data: first_response_at unknown for ...". */
function emptyReason(row: ComparedRow): { emptyMessage?: string } {
  const note = row.unknown_note ?? row.coverage_note;
  return typeof note === 'string' && note !== '' ? { emptyMessage: `No data: ${note}` } : {};
}

/** One bar per breakdown value of the report's period. */
export function breakdownBars(
  table: KpiTable,
  options: {
    /** The report's `r.format`. */
    format: FormatOptions;
    title?: string;
    dimension: string;
    field?: string;
    unit?: Unit;
    highlight?: 'max' | 'min';
    limit?: number;
    sort?: 'descending' | 'ascending' | 'none';
  },
): Chart | undefined {
  if (!table.available || !table.by) return undefined;
  const by = table.by;
  const note = companyWideNote(table);
  const field = options.field ?? 'value';
  const bars = table.rows
    .map((row) => ({
      label: row[by] === null ? '(none)' : prettify(String(row[by])),
      value: numberOrNull(row[field]),
      sample: sampleSize(row),
    }))
    .filter((bar) => bar.value !== null)
    .sort((a, b) => (b.value ?? 0) - (a.value ?? 0))
    .slice(0, options.limit ?? 12);
  // Only a group with enough items may be the one highlighted as best or worst.
  const eligible = bars.filter((b) => b.sample === null || b.sample >= MIN_SAMPLE);
  const extreme =
    options.highlight === 'min' ? eligible.at(-1) : options.highlight === 'max' ? eligible[0] : undefined;
  const good = table.kpi.direction === 'up' ? options.highlight === 'max' : options.highlight === 'min';
  return buildBars({
    id: `${table.kpi.id}-by-${by}`,
    ...(options.title ? { title: options.title } : {}),
    ...(note ? { caption: note } : {}),
    name: table.kpi.title,
    dimension: options.dimension,
    unit: options.unit ?? table.kpi.unit,
    bars,
    ...(options.sort ? { sort: options.sort } : {}),
    ...(extreme
      ? { highlight: extreme.label, highlightTone: good ? ('good' as const) : ('bad' as const) }
      : {}),
    format: options.format,
  });
}

export interface ColumnSpec {
  readonly field: string;
  readonly header: string;
  /** How to show it; default by the field's name. */
  readonly unit?: Unit | 'text';
  /** A change: always with its sign (+, −). */
  readonly signed?: boolean;
}

/** Rows of a KPI table as a report table. */
export function rowsTable(
  table: KpiTable,
  columns: readonly ColumnSpec[],
  options: {
    /** The report's `r.format`. */
    format: FormatOptions;
    title?: string;
    caption?: string;
    limit?: number;
    rows?: readonly ComparedRow[];
  },
): Omit<TableBlock, 'kind'> | undefined {
  if (!table.available) return undefined;
  const rows = (options.rows ?? table.rows).slice(0, options.limit ?? 50);
  const caption = [windowNote(table, rows), options.caption, companyWideNote(table)]
    .filter(Boolean)
    .join(' ');
  return {
    ...(options.title ? { title: options.title } : {}),
    ...(caption ? { caption } : {}),
    columns: columns.map((c) => ({ header: c.header, align: isTextColumn(rows, c) ? 'left' : 'right' })),
    rows: rows.map((row) => columns.map((c) => cell(row[c.field], c, table.kpi.unit, options.format))),
  };
}

function cell(value: unknown, column: ColumnSpec, kpiUnit: Unit, options: FormatOptions): string {
  if (value === null || value === undefined) return '–';
  if (column.unit === 'text' || typeof value !== 'number') return prettify(String(value));
  const shown = column.unit
    ? formatKpiValue(value, column.unit, options)
    : formatExtra(column.field, value, kpiUnit, options);
  return column.signed ? signed(value, shown) : shown;
}

// "+$1,200", "−$2,160" (a minus sign, as every change in the report), "±$0".
function signed(value: number, shown: string): string {
  const magnitude = shown.replace(/^[-−]|(?<=^[^\d]*)[-−]/, '');
  return `${value > 0 ? '+' : value < 0 ? '−' : '±'}${magnitude}`;
}

function isTextColumn(rows: readonly ComparedRow[], column: ColumnSpec): boolean {
  return column.unit === 'text' || rows.some((row) => typeof row[column.field] === 'string');
}

/**
 * "Over the 12 months to 2026-10-31." under a table of a KPI computed over a fixed window, and
 * "(partial: the 12-month window starts before the data, ...)" when the data is shorter.
 */
function windowNote(table: KpiTable, rows: readonly ComparedRow[]): string | undefined {
  const end = rows[0]?.period_end;
  const label = end === undefined ? undefined : windowLabel(table.kpi, end);
  const partial = rows.find((row) => row.coverage === 'partial')?.coverage_note;
  return label ? `Over the ${label}${typeof partial === 'string' ? ` (${partial})` : ''}.` : undefined;
}

/**
 * "Company-wide, not region EMEA's: ..." under a chart or table of a scoped report whose KPI
 * cannot be split by the scope; undefined otherwise (and always in an unscoped report).
 */
export function companyWideNote(result: KpiSeries | KpiTable): string | undefined {
  if (!result.available || result.companyWide === undefined) return undefined;
  return `Company-wide: ${result.companyWide}, so this cannot be split like the rest of the report.`;
}

/** snake_case ids read as words: true_friends → true friends. */
export function prettify(text: string): string {
  return /^[a-z]+(_[a-z]+)+$/.test(text) ? text.replaceAll('_', ' ') : text;
}

export function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
