import { CONTRACT } from './contract.ts';
import type { Dataset } from './dataset.ts';
import { quoteIdent } from './sql-text.ts';

export interface TableFreshness {
  readonly table: string;
  /** Latest event date (report time zone), ignoring dates after the clock. */
  readonly latest: string | null;
}

/** The latest event per table: the footer's "data as of" and the default period come from it. */
export async function readFreshness(dataset: Dataset, now: string): Promise<TableFreshness[]> {
  const out: TableFreshness[] = [];
  for (const spec of CONTRACT) {
    const columns = spec.columns.filter((c) => c.event && dataset.has(spec.name, c.name));
    if (columns.length === 0) continue;
    const maxima = columns.map(
      (c) =>
        `max(${quoteIdent(c.name)}::TIMESTAMPTZ) FILTER (${quoteIdent(c.name)}::TIMESTAMPTZ <= $now::TIMESTAMPTZ)`,
    );
    const [row] = await dataset.db.rows(
      `SELECT greatest(${maxima.join(', ')})::DATE::VARCHAR AS latest FROM ${quoteIdent(spec.name)}`,
      { now },
    );
    out.push({ table: spec.name, latest: row?.latest == null ? null : String(row.latest) });
  }
  return out;
}

/** The latest event date over all tables. */
export function dataAsOf(freshness: readonly TableFreshness[]): string | null {
  const dates = freshness.map((f) => f.latest).filter((d): d is string => d !== null);
  return dates.sort().at(-1) ?? null;
}
