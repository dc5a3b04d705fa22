// Which of a report's numbers are computed without rejected rows (--allow-rejects), and what
// that does to their comparisons. Rejected rows are not spread evenly over the periods (an export
// that lost the amounts of one quarter's won deals lowers that quarter's close rate only), so a
// KPI reading a table that lost a material share of its rows cannot tell a move of the business
// from a move of the rejects: its value is shown with the share it was computed without, and no
// change against an earlier period is drawn, as for amounts too often unknown (compare.ts).

import { CONTRACT } from '../data/contract.ts';
import type { Dataset } from '../data/dataset.ts';
import { formatShare, type TableRejectShare, tableRejectShares } from '../data/rejects.ts';
import { quoteIdent, quoteLiteral } from '../data/sql-text.ts';
import { rejectedRowsRelation } from '../data/typed-tables.ts';
import { type ComparedRow, yearAgo } from '../kpi/compare.ts';
import { coverageColumns } from '../kpi/coverage.ts';
import type { KpiDefinition } from '../kpi/definition.ts';
import { formatPeriod, grainOf, type PeriodSpan, step } from '../kpi/period.ts';
import { tablesRead } from '../kpi/tables-read.ts';
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
  dataset: Pick<Dataset, 'db' | 'rejects' | 'tables'>,
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
        // A table derived from another (customers from orders) lacks what that one lost.
        const read = new Set<string>(tables);
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

/** A period of a table whose rows were rejected in a material share: "orders in October 2026". */
export interface PeriodReject extends RejectedRead {
  readonly periodStart: string;
}

/**
 * The share of each period's rows a table lost, by the KPI's own date column: rejects bunched in
 * one month (half of October's orders without an amount) are 1 % of the table and half of the
 * month. A rejected row whose date cannot be read may be in any period: it counts in each.
 */
export function createPeriodRejects(
  dataset: Pick<Dataset, 'db' | 'tables'>,
): (table: string, column: string, spans: readonly PeriodSpan[]) => Promise<Map<string, PeriodReject>> {
  const cache = new Map<string, Promise<Map<string, PeriodReject>>>();
  return (table, column, spans) => {
    const key = JSON.stringify([table, column, spans.map((s) => [s.start, s.end])]);
    let found = cache.get(key);
    if (!found) {
      found = countPeriodRejects(dataset, table, column, spans);
      cache.set(key, found);
    }
    return found;
  };
}

async function countPeriodRejects(
  dataset: Pick<Dataset, 'db' | 'tables'>,
  table: string,
  column: string,
  spans: readonly PeriodSpan[],
): Promise<Map<string, PeriodReject>> {
  const out = new Map<string, PeriodReject>();
  if (spans.length === 0) return out;
  const isDate =
    CONTRACT.find((t) => t.name === table)?.columns.find((c) => c.name === column)?.type === 'date';
  const bound = (day: string) => `${quoteLiteral(day)}::DATE${isDate ? '' : '::TIMESTAMPTZ'}`;
  const values = spans
    .map((s) => `(${quoteLiteral(s.start)}, ${bound(s.start)}, ${bound(s.end)})`)
    .join(', ');
  const col = quoteIdent(column);
  const counted = (relation: string) =>
    `SELECT sp.start, count(*) AS n FROM ${quoteIdent(relation)} x
     JOIN spans sp ON x.${col} >= sp.s AND x.${col} < sp.e GROUP BY sp.start`;
  const rows = await dataset.db.rows(
    `WITH spans(start, s, e) AS (VALUES ${values}),
     kept AS (${counted(table)}),
     lost AS (${counted(rejectedRowsRelation(table))})
     SELECT spans.start, coalesce(kept.n, 0) AS kept, coalesce(lost.n, 0) AS lost,
            (SELECT count(*) FROM ${quoteIdent(rejectedRowsRelation(table))} WHERE ${col} IS NULL) AS undated
     FROM spans LEFT JOIN kept USING (start) LEFT JOIN lost USING (start)`,
  );
  for (const row of rows) {
    const lost = Number(row.lost) + Number(row.undated);
    const total = Number(row.kept) + lost;
    if (lost > 0 && total > 0)
      out.set(String(row.start), {
        table,
        rows: lost,
        total,
        share: lost / total,
        periodStart: String(row.start),
      });
  }
  return out;
}

/**
 * The rows whose own period, or the period a comparison reads, lost a material share of a
 * table's rows: the value kept with the share it was computed without, the comparison null.
 */
export function withoutPeriodComparisons(
  rows: ComparedRow[],
  lostBy: ReadonlyMap<string, PeriodReject>,
): ComparedRow[] {
  const material = (start: string | undefined) => {
    const lost = start === undefined ? undefined : lostBy.get(start);
    return lost && lost.share >= MATERIAL_REJECT_SHARE ? lost : undefined;
  };
  return rows.map((row) => {
    const grain = grainOf(row.period_start, row.period_end);
    if (grain === 'range') return row;
    const own = material(row.period_start);
    const before = own ?? material(step(row.period_start, grain, -1));
    const yearBefore = own ?? material(yearAgo(row.period_start, grain));
    if (!before && !yearBefore) return row;
    const label = (p: PeriodReject) =>
      `${formatShare(p.share)} of ${p.table} in ${formatPeriod({ start: p.periodStart, end: step(p.periodStart, grain, 1), grain })}`;
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
            rejected_note: [row.rejected_note, `without the ${label(own)} rejected`]
              .filter(Boolean)
              .join('; '),
          }
        : {}),
    };
  });
}

/** The periods rows are of, with those their comparisons read (the one before, a year before). */
export function periodsCompared(rows: readonly ComparedRow[]): PeriodSpan[] {
  const spans = new Map<string, PeriodSpan>();
  for (const row of rows) {
    const grain = grainOf(row.period_start, row.period_end);
    if (grain === 'range') continue;
    for (const start of [
      row.period_start,
      step(row.period_start, grain, -1),
      yearAgo(row.period_start, grain),
    ])
      spans.set(start, { start, end: step(start, grain, 1), grain });
  }
  return [...spans.values()];
}

/** Per period, the largest share of its rows a table the KPI reads lost, by the KPI's own date. */
export async function lostByPeriod(
  dataset: Pick<Dataset, 'tables'>,
  periodRejects: ReturnType<typeof createPeriodRejects>,
  kpi: KpiDefinition,
  reads: readonly RejectedRead[],
  rows: readonly ComparedRow[],
): Promise<Map<string, PeriodReject>> {
  const lost = new Map<string, PeriodReject>();
  const dated = coverageColumns(kpi);
  const spans = periodsCompared(rows);
  for (const read of reads) {
    // A derived table's rows are its source's (customers from orders): judged on the source.
    const column = dated.get(read.table)?.[0];
    if (!column || !dataset.tables.some((t) => t.table === read.table && !t.derivedFrom)) continue;
    for (const [start, share] of await periodRejects(read.table, column, spans)) {
      // Rejects spread like the table's are said once, for the table; a period is named
      // where they bunch (half a month's orders against a table's 1 %).
      const saidForTable = read.share >= MATERIAL_REJECT_SHARE && share.share < BUNCHED * read.share;
      if (!saidForTable && share.share > (lost.get(start)?.share ?? 0)) lost.set(start, share);
    }
  }
  return lost;
}
