// Which of a report's numbers are computed without rejected rows (--allow-rejects), and what
// that does to their comparisons. Rejected rows are not spread evenly over the periods (an export
// that lost the amounts of one quarter's won deals lowers that quarter's close rate only), so a
// KPI reading a table that lost a material share of its rows cannot tell a move of the business
// from a move of the rejects: its value is shown with the share it was computed without, and no
// change against an earlier period is drawn, as for amounts too often unknown (compare.ts).

import { CONTRACT } from '../data/contract.ts';
import type { Dataset } from '../data/dataset.ts';
import { formatShare, type TableRejectShare, tableRejectShares } from '../data/rejects.ts';
import { readInScope } from '../data/scope.ts';
import { quoteIdent, quoteLiteral } from '../data/sql-text.ts';
import { rejectedRowsRelation, unreadColumn } from '../data/typed-tables.ts';
import { type ComparedRow, yearAgo } from '../kpi/compare.ts';
import { coverageColumns } from '../kpi/coverage.ts';
import type { KpiDefinition } from '../kpi/definition.ts';
import { addDays, addMonths, formatPeriod, grainOf, step } from '../kpi/period.ts';
import { tablesRead } from '../kpi/tables-read.ts';
import { valueSpan } from '../kpi/window.ts';
import type { KpiSeries } from '../render/content.ts';
import type { RejectedReader } from '../render/rejected-rows.ts';

/**
 * From this share of a table's rows rejected, the KPIs reading it are not compared with earlier
 * periods. The share above which a report is not e-mailed by default (DEFAULT_MAX_SEND_REJECT_SHARE):
 * below it, the rejects are judged too few to move a number by themselves.
 */
export const MATERIAL_REJECT_SHARE = 0.05;

/** A period that lost this many times its table's share has its rejects bunched in it. */
const BUNCHED = 1.5;

/** A table with rejected rows a KPI reads, and the share of its rows rejected. */
export type RejectedRead = TableRejectShare;

/** The tables with rejected rows a KPI reads; memoised per KPI and breakdown. */
export function createRejectedReads(
  dataset: Pick<Dataset, 'db' | 'rejects' | 'tables' | 'scope'>,
): (kpi: KpiDefinition, by?: string) => Promise<readonly RejectedRead[]> {
  const cache = new Map<string, Promise<readonly RejectedRead[]>>();
  const rejected = tableRejectShares(dataset.rejects.tables);
  return (kpi, by) => {
    if (rejected.length === 0) return Promise.resolve([]);
    const key = `${kpi.id}\u0000${by ?? ''}`;
    let reads = cache.get(key);
    if (!reads) {
      // SQL DuckDB cannot parse reads, as far as anyone can tell, every table with rejects.
      reads = tablesRead([kpi], by, dataset.db).then((tables) => {
        if (tables === undefined) return rejected;
        // In a scope, a deal is in it by its customer: the customers' rejects are the deal's too.
        const read = dataset.scope ? readInScope(tables) : new Set<string>(tables);
        // A table derived from another (customers from orders) lacks what that one lost, for a
        // KPI whose SQL reads it as it runs (new customers, close rate by segment); close rate
        // alone, which joins it only for its breakdowns, does not read it.
        for (const { table, derivedFrom } of dataset.tables)
          if (derivedFrom && read.has(table)) read.add(derivedFrom);
        return rejected.filter((t) => read.has(t.table));
      });
      cache.set(key, reads);
    }
    return reads;
  };
}

/** Every table with rejected rows any of `reads` names, once: what a whole report read. */
export function readTogether(reads: readonly (readonly RejectedRead[])[]): RejectedRead[] {
  const tables = new Map<string, RejectedRead>();
  for (const read of reads.flat()) tables.set(read.table, read);
  return [...tables.values()];
}

/** The reads that withhold comparisons: tables that lost MATERIAL_REJECT_SHARE or more. */
export function materialReads(reads: readonly RejectedRead[]): readonly RejectedRead[] {
  return reads.filter((r) => r.share >= MATERIAL_REJECT_SHARE);
}

/**
 * The rows of a KPI reading tables that lost a material share: the value kept, with
 * `rejected_note` ("without the 20 % of opportunities rejected"), and every comparison
 * with an earlier period null with the reason, as kpis.json and the tiles say it.
 */
export function withoutComparisons(rows: ComparedRow[], reads: readonly RejectedRead[]): ComparedRow[] {
  const material = materialReads(reads);
  if (material.length === 0) return rows;
  // The tile says the shares beside the value; its comparisons only why they are missing.
  const without = rejectedNote(material);
  return rows.map((row) => ({
    ...row,
    previous_value: null,
    change: null,
    relative_change: null,
    change_is_good: null,
    year_ago_value: null,
    yoy_change: null,
    yoy_relative_change: null,
    yoy_is_good: null,
    // A reason the data gave already (a partial period) stays the one said.
    comparison_note: row.comparison_note ?? 'rows rejected',
    yoy_note: row.yoy_note ?? 'rows rejected',
    rejected_note: without,
  }));
}

/** "without the 20 % of opportunities rejected": the shares a value was computed without. */
export function rejectedNote(reads: readonly RejectedRead[]): string {
  return `without the ${reads.map((r) => `${formatShare(r.share)} of ${r.table}`).join(', ')} rejected`;
}

/** The headline KPIs computed without rejected rows, for the banner to name. */
export async function rejectedReaders(
  headline: readonly KpiSeries[],
  reads: (kpi: KpiDefinition) => Promise<readonly RejectedRead[]>,
): Promise<RejectedReader[]> {
  const readers: RejectedReader[] = [];
  for (const series of headline) {
    if (!series.available) continue;
    const read = await reads(series.kpi);
    if (read.length > 0)
      readers.push({ title: series.kpi.title, compared: materialReads(read).length === 0 });
  }
  return readers;
}

/** A span of a table (a period, or a KPI's window) whose rows were rejected in a share. */
export interface PeriodReject extends RejectedRead {
  /** Rejected rows whose date cannot be read: counted in every span, so the share is at most. */
  readonly undated: number;
  /** "October 2026", "the 12 months to 2026-05-31". */
  readonly label: string;
}

/** What a row's value reads, and what its comparisons read: each a span of days. */
interface ComparedSpans {
  readonly own: Span;
  readonly before: Span;
  readonly yearBefore: Span;
}

interface Span {
  readonly start: string;
  readonly end: string;
  readonly label: string;
}

const spanKey = (span: Pick<Span, 'start' | 'end'>) => `${span.start}/${span.end}`;

/**
 * The share of each span's rows a table lost, by the KPI's own date column: rejects bunched in
 * one month (half of October's orders without an amount) are 1 % of the table and half of the
 * month. A rejected row whose date cannot be read may be in any span: it counts in each.
 */
export function createPeriodRejects(
  dataset: Pick<Dataset, 'db'>,
): (table: string, column: string, spans: readonly Span[]) => Promise<Map<string, PeriodReject>> {
  const cache = new Map<string, Promise<Map<string, PeriodReject>>>();
  return (table, column, spans) => {
    const key = JSON.stringify([table, column, spans.map(spanKey)]);
    let found = cache.get(key);
    if (!found) {
      found = countPeriodRejects(dataset, table, column, spans);
      cache.set(key, found);
    }
    return found;
  };
}

async function countPeriodRejects(
  dataset: Pick<Dataset, 'db'>,
  table: string,
  column: string,
  spans: readonly Span[],
): Promise<Map<string, PeriodReject>> {
  const out = new Map<string, PeriodReject>();
  if (spans.length === 0) return out;
  const isDate =
    CONTRACT.find((t) => t.name === table)?.columns.find((c) => c.name === column)?.type === 'date';
  const bound = (day: string) => `${quoteLiteral(day)}::DATE${isDate ? '' : '::TIMESTAMPTZ'}`;
  const values = spans
    .map((s) => `(${quoteLiteral(spanKey(s))}, ${bound(s.start)}, ${bound(s.end)})`)
    .join(', ');
  const col = quoteIdent(column);
  const rejected = quoteIdent(rejectedRowsRelation(table));
  const counted = (relation: string) =>
    `SELECT sp.k, count(*) AS n FROM ${relation} x
     JOIN spans sp ON x.${col} >= sp.s AND x.${col} < sp.e GROUP BY sp.k`;
  const rows = await dataset.db.rows(
    `WITH spans(k, s, e) AS (VALUES ${values}),
     kept AS (${counted(quoteIdent(table))}),
     lost AS (${counted(rejected)})
     SELECT spans.k, coalesce(kept.n, 0) AS kept, coalesce(lost.n, 0) AS lost,
            (SELECT count(*) FROM ${rejected} WHERE ${quoteIdent(unreadColumn(column))}) AS undated
     FROM spans LEFT JOIN kept USING (k) LEFT JOIN lost USING (k)`,
  );
  const labels = new Map(spans.map((s) => [spanKey(s), s.label]));
  for (const row of rows) {
    const undated = Number(row.undated);
    const lost = Number(row.lost) + undated;
    const total = Number(row.kept) + lost;
    const key = String(row.k);
    if (lost > 0 && total > 0)
      out.set(key, { table, rows: lost, total, share: lost / total, undated, label: labels.get(key) ?? key });
  }
  return out;
}

/** "the 38 % of orders in October 2026"; "up to 17 % ..." when rows whose date cannot be read count. */
function lostLabel(p: PeriodReject): string {
  return `${p.undated > 0 ? 'up to' : 'the'} ${formatShare(p.share)} of ${p.table} in ${p.label}`;
}

/**
 * The rows whose own period (or window), or the one a comparison reads, lost a material share
 * of a table's rows: the value kept with the share it was computed without, the comparison null.
 */
export function withoutPeriodComparisons(
  rows: ComparedRow[],
  lostBy: ReadonlyMap<string, PeriodReject>,
  kpi: Pick<KpiDefinition, 'window' | 'sql'>,
): ComparedRow[] {
  const material = (span: Span) => {
    const lost = lostBy.get(spanKey(span));
    return lost && lost.share >= MATERIAL_REJECT_SHARE ? lost : undefined;
  };
  return rows.map((row) => {
    const spans = comparedSpans(row, kpi);
    const own = material(spans.own);
    const before = own ?? material(spans.before);
    const yearBefore = own ?? material(spans.yearBefore);
    if (!before && !yearBefore) return row;
    return {
      ...row,
      ...(before
        ? {
            previous_value: null,
            change: null,
            relative_change: null,
            change_is_good: null,
            comparison_note: row.comparison_note ?? (own ? 'rows rejected' : 'rows rejected then'),
          }
        : {}),
      ...(yearBefore
        ? {
            year_ago_value: null,
            yoy_change: null,
            yoy_relative_change: null,
            yoy_is_good: null,
            yoy_note: row.yoy_note ?? (own ? 'rows rejected' : 'rows rejected then'),
          }
        : {}),
      // The value itself is without them only where its own period lost them.
      ...(own
        ? {
            rejected_note: [row.rejected_note, `without ${lostLabel(own)} rejected`]
              .filter(Boolean)
              .join('; '),
          }
        : {}),
    };
  });
}

/** What a row's own period (or window) lost, in any share: what sending judges it by. */
export function ownLoss(
  lostBy: ReadonlyMap<string, PeriodReject>,
  row: ComparedRow,
  kpi: Pick<KpiDefinition, 'window' | 'sql'>,
): PeriodReject | undefined {
  return lostBy.get(spanKey(comparedSpans(row, kpi).own));
}

/**
 * What a row's value reads (its period, or the window that ends with it) and what its
 * comparisons read: the period before (a range: as many days before) and a year before.
 */
function comparedSpans(row: ComparedRow, kpi: Pick<KpiDefinition, 'window' | 'sql'>): ComparedSpans {
  const grain = grainOf(row.period_start, row.period_end);
  const period = (start: string, end: string): Span => {
    const window = kpi.window ? valueSpan(kpi, { start, end, grain }) : undefined;
    return window && window.reads === 'window'
      ? { start: window.start, end, label: `the ${kpi.window?.months} months to ${addDays(end, -1)}` }
      : { start, end, label: formatPeriod({ start, end, grain }) };
  };
  const { period_start: start, period_end: end } = row;
  if (grain === 'range') {
    const days = daysBetween(start, end);
    return {
      own: period(start, end),
      before: period(addDays(start, -days), start),
      yearBefore: period(addMonths(start, -12), addMonths(end, -12)),
    };
  }
  const back = (from: string) => period(from, step(from, grain, 1));
  return {
    own: period(start, end),
    before: back(step(start, grain, -1)),
    yearBefore: back(yearAgo(start, grain)),
  };
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Per span a KPI's rows read, the largest share of its rows a table the KPI reads lost. */
export async function lostByPeriod(
  dataset: Pick<Dataset, 'tables'>,
  periodRejects: ReturnType<typeof createPeriodRejects>,
  kpi: KpiDefinition,
  reads: readonly RejectedRead[],
  rows: readonly ComparedRow[],
): Promise<Map<string, PeriodReject>> {
  const lost = new Map<string, PeriodReject>();
  const dated = coverageColumns(kpi);
  const spans = new Map<string, Span>();
  for (const row of rows)
    for (const span of Object.values(comparedSpans(row, kpi))) spans.set(spanKey(span), span);
  for (const read of reads) {
    const column = datedBy(dataset, dated, read.table);
    if (!column) continue;
    for (const [key, share] of await periodRejects(read.table, column, [...spans.values()])) {
      // Rejects spread like the table's are said once, for the table; a period is named
      // where they bunch (half a month's orders against a table's 1 %).
      const saidForTable = read.share >= MATERIAL_REJECT_SHARE && share.share < BUNCHED * read.share;
      if (!saidForTable && share.share > (lost.get(key)?.share ?? 0)) lost.set(key, share);
    }
  }
  return lost;
}

/**
 * The date column a table's rejected rows are placed in periods by: the KPI's own for it, or for
 * a table the KPI reads derived from it (new customers from orders: by the order's date).
 */
function datedBy(
  dataset: Pick<Dataset, 'tables'>,
  dated: ReadonlyMap<string, readonly string[]>,
  table: string,
): string | undefined {
  if (dataset.tables.some((t) => t.table === table && t.derivedFrom)) return undefined;
  const own = dated.get(table)?.[0];
  if (own) return own;
  const derived = dataset.tables.some((t) => t.derivedFrom === table && dated.has(t.table));
  return derived ? CONTRACT.find((t) => t.name === table)?.columns.find((c) => c.event)?.name : undefined;
}
