import { PulseError } from '../errors.ts';
import type { TableName } from './contract.ts';
import type { Database } from './database.ts';
import type { TableSource } from './discover.ts';
import { quoteIdent, quoteLiteral } from './sql-text.ts';

/** A table as read from its files, before casting: where each row came from, and its columns. */
export interface RawTable {
  readonly source: TableSource;
  /** Relation name holding the rows plus `__file` and `__loc` (CSV line or Parquet row, 1-based). */
  readonly relation: string;
  /** Column name → DuckDB type as read (VARCHAR for every CSV column). */
  readonly columnTypes: ReadonlyMap<string, string>;
  readonly rowCount: number;
  /** CSV lines DuckDB could not split into the header's columns. */
  readonly malformedLines: readonly MalformedLine[];
}

export interface MalformedLine {
  readonly line: number;
  readonly error: string;
  readonly text: string;
}

export const rawRelation = (table: TableName): string => `__raw_${table}`;

export async function registerRawTable(db: Database, source: TableSource): Promise<RawTable> {
  const relation = rawRelation(source.table);
  const malformedLines = source.format === 'csv' ? await loadCsv(db, source, relation) : [];
  if (source.format !== 'csv') await viewParquet(db, source, relation);
  const described = await db.rows(`DESCRIBE ${quoteIdent(relation)}`);
  const columnTypes = new Map<string, string>();
  for (const row of described) {
    const name = String(row.column_name);
    if (name !== '__file' && name !== '__loc') columnTypes.set(name, String(row.column_type));
  }
  const [count] = await db.rows(`SELECT count(*) AS n FROM ${quoteIdent(relation)}`);
  return { source, relation, columnTypes, rowCount: Number(count?.n ?? 0), malformedLines };
}

// CSV is read once, as text, into memory: every later check and KPI reads that copy, and the
// validator (not the CSV reader) decides what a bad value is, so it can say where it is.
async function loadCsv(db: Database, source: TableSource, relation: string): Promise<MalformedLine[]> {
  const rejects = `__rejects_${source.table}`;
  const scan = `__rejects_scan_${source.table}`;
  const reader = `read_csv(${quoteLiteral(source.path)}, header = true, all_varchar = true, delim = ',',
      quote = '"', escape = '"', store_rejects = true, rejects_table = ${quoteLiteral(rejects)},
      rejects_scan = ${quoteLiteral(scan)}, strict_mode = true)`;
  try {
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ${quoteIdent(relation)} AS
       SELECT ${quoteLiteral(source.path)} AS __file, row_number() OVER () + 1 AS __loc, * FROM ${reader}`,
    );
  } catch (error) {
    throw new PulseError(
      'data_invalid',
      `${source.path}: cannot be read as CSV: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const rejected = await db.rows(
    `SELECT line::BIGINT AS line, error_type::VARCHAR AS error, error_message, left(csv_line, 200) AS text
     FROM ${quoteIdent(rejects)} ORDER BY line`,
  );
  const malformed = rejected.map((r) => ({
    line: Number(r.line),
    error: String(r.error_message ?? r.error),
    text: String(r.text ?? ''),
  }));
  // row_number counts the rows DuckDB kept; shift it past the lines it rejected.
  for (const { line } of malformed) {
    await db.run(`UPDATE ${quoteIdent(relation)} SET __loc = __loc + 1 WHERE __loc >= $line`, { line });
  }
  await db.run(`DROP TABLE IF EXISTS ${quoteIdent(rejects)}; DROP TABLE IF EXISTS ${quoteIdent(scan)}`);
  return malformed;
}

async function viewParquet(db: Database, source: TableSource, relation: string): Promise<void> {
  const files = `[${source.files.map(quoteLiteral).join(', ')}]`;
  try {
    await db.run(
      `CREATE OR REPLACE VIEW ${quoteIdent(relation)} AS
       SELECT filename AS __file, file_row_number + 1 AS __loc, * EXCLUDE (filename, file_row_number)
       FROM read_parquet(${files}, filename = true, file_row_number = true,
                         hive_partitioning = true, union_by_name = true)`,
    );
  } catch (error) {
    throw new PulseError(
      'data_invalid',
      `${source.path}: cannot be read as Parquet: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}
