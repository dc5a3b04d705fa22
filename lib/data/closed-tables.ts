// A table the run left closed (openDataset's `tables`) is neither checked nor typed, but it
// still dates the export: the data's as-of day is the latest event of every table, so a KPI
// computed alone says the same "partial" or "full" as in the whole report. Its event columns
// are read narrowly, as the checks would type them, ignoring values after the clock. A Parquet
// column the mapping only renames is dated from the files' row-group statistics, without a scan.

import { CONTRACT, type ColumnSpec } from './contract.ts';
import type { Database } from './database.ts';
import { quoteIdent, quoteLiteral } from './sql-text.ts';
import { type StagedTable, typedExpression } from './staged-tables.ts';

/** The latest value (no later than `now`) of each event column: an instant with its offset, or a date. */
export async function latestValues(
  db: Database,
  staged: StagedTable,
  now: string,
): Promise<ReadonlyMap<string, string | null>> {
  const columns = eventColumns(staged);
  const latest = new Map<string, string | null>();
  for (const c of columns) {
    const value = await latestFromStatistics(db, staged, c, now);
    if (value !== undefined) latest.set(c.name, value);
  }
  const scanned = columns.filter((c) => !latest.has(c.name));
  for (const [name, value] of await latestByScan(db, staged, scanned, now)) latest.set(name, value);
  return latest;
}

/** The table's event columns that the export gives. */
export function eventColumns(staged: StagedTable): ColumnSpec[] {
  return (CONTRACT.find((t) => t.name === staged.spec.name)?.columns ?? []).filter(
    (c) => c.event && staged.columns.has(c.name),
  );
}

/** The latest value of each of `columns` read from the rows themselves: one scan of the table. */
export async function latestByScan(
  db: Database,
  staged: StagedTable,
  columns: readonly ColumnSpec[],
  now: string,
): Promise<ReadonlyMap<string, string | null>> {
  if (columns.length === 0) return new Map();
  const maxima = columns.map((c, i) => {
    const typed = typedExpression(staged, c.name) ?? 'NULL';
    const clock = c.type === 'date' ? '$now::TIMESTAMPTZ::DATE' : '$now::TIMESTAMPTZ';
    return `max(${typed}) FILTER ((${typed}) <= ${clock})::VARCHAR AS m${i}`;
  });
  try {
    const [row] = await db.rows(`SELECT ${maxima.join(', ')} FROM ${quoteIdent(staged.relation)}`, { now });
    return new Map(columns.map((c, i) => [c.name, row?.[`m${i}`] == null ? null : String(row[`m${i}`])]));
  } catch {
    // A mapping that cannot type the column dates nothing; the table is not read anyway.
    return new Map(columns.map((c) => [c.name, null]));
  }
}

/** Physical Parquet types whose statistics are plain numbers (INT96 times are often mis-ordered). */
const EXACT_STATISTICS = "type IN ('INT32', 'INT64')";

/**
 * The latest value of a Parquet event column from its row groups' statistics, as latestByScan
 * gives it, or undefined when they cannot say: the column must be the export's own, typed as a
 * date or time (not text, not a mapping's expression, value map or default, no row left out by
 * `where` or grouped), in every file, with an exact maximum on every row group holding a value.
 * The typed conversions are monotonic, so the typed maximum is the maximum typed; when it is
 * after the clock, or cannot be typed (infinity), only a scan can find the latest value before it.
 * A row group without statistics says nothing, so it sends the column to the scan too; so does a
 * name that a nested field's path can take ("a, b" is also field b of struct a) or that a second
 * column of a file takes in other letters (DuckDB reads the first as this column, the other under
 * another name). The least value is typed as well: where that fails (a DATE out of a timestamp's
 * range), the scan fails alike.
 */
export async function latestFromStatistics(
  db: Database,
  staged: StagedTable,
  { name: column, type }: ColumnSpec,
  now: string,
): Promise<string | null | undefined> {
  const source = staged.raw.source;
  const found = staged.columns.get(column);
  const sourceColumn = found?.sourceColumn;
  if (source.format === 'csv' || staged.grouped || staged.leftOut !== 0) return undefined;
  if (!found || !sourceColumn || found.formats || !STATISTICS_TYPES.has(found.type)) return undefined;
  if (staged.raw.columnTypes.get(sourceColumn) !== found.type) return undefined;
  // A hive partition of the same name gives the column its folder's value, not the file's.
  const partition = `/${sourceColumn.toLowerCase()}=`;
  if (source.files.some((f) => f.toLowerCase().includes(partition))) return undefined;
  // parquet_metadata names a nested field by its path joined with ', '.
  if (sourceColumn.includes(', ')) return undefined;
  const typed = typedExpression(staged, column);
  if (!typed) return undefined;
  const files = `[${source.files.map(quoteLiteral).join(', ')}]`;
  const clock = type === 'date' ? '$now::TIMESTAMPTZ::DATE' : '$now::TIMESTAMPTZ';
  try {
    const [row] = await db.rows(
      `WITH groups AS (
         SELECT * FROM parquet_metadata(${files}) WHERE lower(path_in_schema) = ${quoteLiteral(sourceColumn.toLowerCase())}),
       latest AS (
         SELECT max(TRY_CAST(stats_max_value AS ${found.type})) AS ${quoteIdent(column)},
                min(TRY_CAST(stats_min_value AS ${found.type})) AS __least,
                count(DISTINCT file_name) = ${source.files.length}
                AND count(*) = count(DISTINCT (file_name, row_group_id))
                AND bool_and(path_in_schema = ${quoteLiteral(sourceColumn)})
                AND bool_and(coalesce(${EXACT_STATISTICS} AND (stats_null_count = num_values
                  OR (stats_max_value IS NOT NULL AND max_is_exact IS NOT FALSE
                      AND TRY_CAST(stats_max_value AS ${found.type}) IS NOT NULL
                      AND TRY_CAST(stats_min_value AS ${found.type}) IS NOT NULL)), false)) AS exact
         FROM groups),
       least AS (SELECT __least AS ${quoteIdent(column)} FROM latest)
       SELECT exact, (${typed})::VARCHAR AS v, (SELECT (${typed})::VARCHAR FROM least) AS least,
              ${quoteIdent(column)} IS NULL OR (${typed}) <= ${clock} AS before_clock
       FROM latest`,
      { now },
    );
    if (row?.exact !== true || row.before_clock !== true) return undefined;
    return row.v == null ? null : String(row.v);
  } catch {
    return undefined;
  }
}

const STATISTICS_TYPES = new Set(['DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE']);
