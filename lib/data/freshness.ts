import { CONTRACT, type ColumnSpec } from './contract.ts';
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
    const closed = dataset.closedTables?.get(spec.name);
    if (closed) {
      const columns = spec.columns.filter((c) => c.event && closed.has(c.name));
      if (columns.length > 0)
        out.push({ table: spec.name, latest: (await latestOf(dataset, columns, closed, now)) ?? null });
      continue;
    }
    const columns = spec.columns.filter((c) => c.event && dataset.has(spec.name, c.name));
    if (columns.length === 0) continue;
    const latest =
      (await latestFromValidation(dataset, spec.name, columns, now)) ??
      (await scanLatest(dataset, spec.name, columns, now));
    out.push({ table: spec.name, latest });
  }
  return out;
}

/**
 * The latest event date from the maxima the validation read, with no scan: exact when every
 * column's maximum is no later than the clock (else rows after the clock must be skipped, and
 * the table is scanned). undefined when it cannot answer.
 */
async function latestFromValidation(
  dataset: Dataset,
  table: string,
  columns: readonly ColumnSpec[],
  now: string,
): Promise<string | null | undefined> {
  const known = dataset.eventMaxima;
  const maxima = known?.now === now ? known.tables.get(table) : undefined;
  if (!maxima || columns.some((c) => !maxima.has(c.name))) return undefined;
  return latestOf(dataset, columns, maxima, now);
}

/** The latest of the columns' values as the report zone's day; undefined if one is after the clock. */
async function latestOf(
  dataset: Dataset,
  columns: readonly ColumnSpec[],
  maxima: ReadonlyMap<string, string | null>,
  now: string,
): Promise<string | null | undefined> {
  const params: Record<string, string> = { now };
  // Dates become the report zone's midnight and instants the zone's calendar day, as in the scan.
  const instants = columns.flatMap((c, i) => {
    const value = maxima.get(c.name);
    if (value == null) return [];
    params[`v${i}`] = value;
    return [`$v${i}::${c.type === 'date' ? 'DATE' : 'TIMESTAMPTZ'}::TIMESTAMPTZ`];
  });
  if (instants.length === 0) return null;
  const [row] = await dataset.db.rows(
    `SELECT greatest(${instants.join(', ')}) <= $now::TIMESTAMPTZ AS ok,
            greatest(${instants.join(', ')})::DATE::VARCHAR AS latest`,
    params,
  );
  return row?.ok === true ? String(row.latest) : undefined;
}

async function scanLatest(
  dataset: Dataset,
  table: string,
  columns: readonly ColumnSpec[],
  now: string,
): Promise<string | null> {
  const maxima = columns.map(
    (c) =>
      `max(${quoteIdent(c.name)}::TIMESTAMPTZ) FILTER (${quoteIdent(c.name)}::TIMESTAMPTZ <= $now::TIMESTAMPTZ)`,
  );
  const [row] = await dataset.db.rows(
    `SELECT greatest(${maxima.join(', ')})::DATE::VARCHAR AS latest FROM ${quoteIdent(table)}`,
    { now },
  );
  return row?.latest == null ? null : String(row.latest);
}

/** The latest event date over all tables. */
export function dataAsOf(freshness: readonly TableFreshness[]): string | null {
  const dates = freshness.map((f) => f.latest).filter((d): d is string => d !== null);
  return dates.sort().at(-1) ?? null;
}
