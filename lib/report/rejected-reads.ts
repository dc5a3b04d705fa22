// Which of a report's numbers are computed without rejected rows (--allow-rejects), and what
// that does to their comparisons. Rejected rows are not spread evenly over the periods (an export
// that lost the amounts of one quarter's won deals lowers that quarter's close rate only), so a
// KPI reading a table that lost a material share of its rows cannot tell a move of the business
// from a move of the rejects: its value is shown with the share it was computed without, and no
// change against an earlier period is drawn, as for amounts too often unknown (compare.ts).

import type { Dataset } from '../data/dataset.ts';
import { formatShare, type TableRejectShare, tableRejectShares } from '../data/rejects.ts';
import type { ComparedRow } from '../kpi/compare.ts';
import type { KpiDefinition } from '../kpi/definition.ts';
import { tablesRead } from '../kpi/tables-read.ts';
import type { KpiSeries } from '../render/content.ts';
import type { RejectedReader } from '../render/rejected-rows.ts';

/**
 * From this share of a table's rows rejected, the KPIs reading it are not compared with earlier
 * periods. The share above which a report is not e-mailed by default (DEFAULT_MAX_SEND_REJECT_SHARE):
 * below it, the rejects are judged too few to move a number by themselves.
 */
export const MATERIAL_REJECT_SHARE = 0.05;

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
