// How `pulse kpi` prints: exact JSON/CSV, or tables for people (one per KPI, or a scorecard).

import type { TableRejectShare } from '../data/rejects.ts';
import { objectsToCsv, renderTextTable } from '../format/table.ts';
import {
  type FormatOptions,
  formatChange,
  formatExtra,
  formatKpiValue,
  formatVerdict,
} from '../format/values.ts';
import type { ComparedRow } from '../kpi/compare.ts';
import { type PeriodSpan, periodLabel } from '../kpi/period.ts';
import type { ComparedResult } from '../kpi/run-compared.ts';
import { windowLabel } from '../kpi/window.ts';
import { rejectedNote } from '../report/rejected-reads.ts';
import type { OutputFormat } from './options.ts';

const COMPARISON_FIELDS = new Set([
  'previous_value',
  'change',
  'relative_change',
  'change_is_good',
  'year_ago_value',
  'yoy_change',
  'yoy_relative_change',
  'yoy_is_good',
  'target',
  'attainment',
  'on_track',
  'comparison_note',
  'yoy_note',
]);
// Shown in the value and comparison cells and under the table, not as columns of their own.
const COVERAGE_FIELDS = new Set(['coverage', 'coverage_note']);
// window_start/window_end are said by the period column of a windowed KPI.
const CORE_FIELDS = new Set(['id', 'period_start', 'period_end', 'value', 'window_start', 'window_end']);

/**
 * Rows left out (--allow-rejects) travel with every number computed without them: of the table
 * it reads that lost the largest share, its rows rejected and their share (a sum over tables
 * would count a file read into three tables three times); the note names every table's share.
 */
function leftOutFields(reads: readonly TableRejectShare[]): Record<string, unknown> {
  const worst = reads.reduce<TableRejectShare | undefined>(
    (most, r) => (most === undefined || r.share > most.share ? r : most),
    undefined,
  );
  if (worst === undefined) return {};
  return { rejected_rows: worst.rows, rejected_share: worst.share, rejected_note: rejectedNote(reads) };
}

export function renderKpiResults(
  results: readonly ComparedResult[],
  span: PeriodSpan,
  format: OutputFormat,
  options: FormatOptions,
  scorecard: boolean,
  rejected?: ReadonlyMap<string, readonly TableRejectShare[]>,
): string {
  if (format === 'json' || format === 'csv') {
    const flat = results.flatMap<Record<string, unknown>>((r) =>
      r.available
        ? r.compared
        : [
            {
              id: r.kpi.id,
              period_start: span.start,
              period_end: span.end,
              value: null,
              available: false,
              needs: r.missing,
            },
          ],
    );
    // A row's own note (a period that lost a material share of its rows) says more: it stays.
    const rows = flat.map((row) => {
      const fields = leftOutFields(rejected?.get(String(row.id)) ?? []);
      return { ...row, ...fields, ...(row.rejected_note ? { rejected_note: row.rejected_note } : {}) };
    });
    return format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : objectsToCsv(rows);
  }
  if (scorecard) return renderScorecard(results, span, options);
  return `${results.map((r) => renderOne(r, span, options)).join('\n\n')}\n`;
}

function renderOne(result: ComparedResult, span: PeriodSpan, options: FormatOptions): string {
  const title = `${result.kpi.title} (${result.kpi.id})`;
  if (!result.available) return `${title}\n  not available (needs: ${result.missing.join(', ')})`;
  const { unit } = result.kpi;
  const by = result.by;
  const isTable = unit === 'table';
  const extras = [...new Set(result.compared.flatMap((r) => Object.keys(r)))].filter(
    (k) =>
      !CORE_FIELDS.has(k) &&
      !COMPARISON_FIELDS.has(k) &&
      !COVERAGE_FIELDS.has(k) &&
      k !== by &&
      !(isTable && k === 'value'),
  );
  const comparisons = isTable
    ? []
    : [
        {
          header: 'vs previous',
          cell: (r: ComparedRow) =>
            change(r.change, r.relative_change, r.change_is_good, unit, options, r.comparison_note),
        },
        {
          header: 'vs last year',
          cell: (r: ComparedRow) =>
            change(r.yoy_change, r.yoy_relative_change, r.yoy_is_good, unit, options, r.yoy_note),
        },
        { header: 'target', cell: (r: ComparedRow) => target(r, unit, options) },
      ];
  const columns = [
    { header: 'period' },
    ...(by ? [{ header: by }] : []),
    ...(isTable && !result.compared.some((r) => r.value !== null)
      ? []
      : [{ header: 'value', align: 'right' as const }]),
    ...comparisons.map((c) => ({ header: c.header, align: 'right' as const })),
    ...extras.map((header) => ({
      header,
      align: numeric(result.compared, header) ? ('right' as const) : ('left' as const),
    })),
  ];
  const showValue = columns.some((c) => c.header === 'value');
  const rows = result.compared.map((row) => [
    windowLabel(result.kpi, row.period_end) ?? periodLabel(row.period_start, row.period_end, span.grain),
    ...(by ? [row[by] === null ? '(none)' : String(row[by])] : []),
    ...(showValue ? [coveredValue(row, formatKpiValue(row.value, isTable ? 'count' : unit, options))] : []),
    ...comparisons.map((c) => c.cell(row)),
    ...extras.map((name) => formatExtra(name, row[name], unit, options)),
  ]);
  const empty = rows.length === 0 ? '\n  (no rows)' : '';
  // One line per distinct reason: "no data before 2024-11-01", "partial: the data ends ...".
  const notes = [...new Set(result.compared.map((r) => coverageLine(r)).filter(Boolean))];
  const footer = notes.length > 0 ? `\n${notes.map((n) => `  ${n}`).join('\n')}` : '';
  return `${title}\n${renderTextTable(columns, rows)}${empty}${footer}`;
}

/** "no data" for a period outside the data, "$1,234 (partial)" for one covered in part. */
function coveredValue(row: ComparedRow, shown: string): string {
  if (row.coverage === 'none') return 'no data';
  if (row.coverage === 'partial') return `${shown} (partial)`;
  return shown;
}

function coverageLine(row: ComparedRow): string {
  const note = typeof row.coverage_note === 'string' ? row.coverage_note : '';
  if (row.coverage === 'none') return `no data: ${note.replace(/^no data for [^:]*: /, '')}`;
  if (row.coverage === 'partial') return `${periodLabel(row.period_start, row.period_end, 'range')} ${note}`;
  return '';
}

function renderScorecard(
  results: readonly ComparedResult[],
  span: PeriodSpan,
  options: FormatOptions,
): string {
  const rows = results.map((result) => {
    const head = [result.kpi.area, result.kpi.id];
    if (!result.available) return [...head, 'not available', '', '', `needs ${result.missing.join(', ')}`];
    if (result.kpi.unit === 'table')
      return [...head, `${result.compared.length} rows`, '', '', `pulse kpi ${result.kpi.id}`];
    const row = result.compared.find((r) => r.period_start >= span.start) ?? result.compared[0];
    if (!row) return [...head, 'n/a', '', '', ''];
    const { unit } = result.kpi;
    return [
      ...head,
      coveredValue(row, formatKpiValue(row.value, unit, options)),
      change(row.change, row.relative_change, row.change_is_good, unit, options, row.comparison_note),
      change(row.yoy_change, row.yoy_relative_change, row.yoy_is_good, unit, options, row.yoy_note),
      target(row, unit, options),
    ];
  });
  const columns = [
    { header: 'area' },
    { header: 'kpi' },
    { header: 'value', align: 'right' as const },
    { header: 'vs previous', align: 'right' as const },
    { header: 'vs last year', align: 'right' as const },
    { header: 'target' },
  ];
  return `${renderTextTable(columns, rows)}\n`;
}

function change(
  delta: number | null,
  relative: number | null,
  good: boolean | null,
  unit: ComparedResult['kpi']['unit'],
  options: FormatOptions,
  note?: string,
) {
  if (delta === null) return note ? `n/a (${note})` : 'n/a';
  const shown = formatChange(delta, relative, unit, options);
  // A change that rounds to nothing gets no verdict.
  return shown.startsWith('±') ? shown : `${shown}${formatVerdict(good)}`;
}

function target(row: ComparedRow, unit: ComparedResult['kpi']['unit'], options: FormatOptions): string {
  if (row.target === null) return '';
  const status = row.on_track === null ? '' : row.on_track ? ' on track' : ' off track';
  return `${formatKpiValue(row.target, unit, options)}${status}`;
}

function numeric(rows: readonly ComparedRow[], column: string): boolean {
  return rows.every(
    (row) => row[column] === null || row[column] === undefined || typeof row[column] === 'number',
  );
}
