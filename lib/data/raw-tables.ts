import { PulseError } from '../errors.ts';
import type { TableName } from './contract.ts';
import { type FileControlCharacters, loadCsvFiles } from './csv-table.ts';
import type { Database } from './database.ts';
import type { TableSource } from './discover.ts';
import type { MalformedRow } from './malformed-row.ts';
import { quoteIdent, quoteLiteral } from './sql-text.ts';
import { loadWhitespaceFiles } from './whitespace-table.ts';

/** A table as read from its files, before mapping and casting. */
export interface RawTable {
  readonly source: TableSource;
  /** Relation with the rows plus `__file`, `__rec` (record number) and `__loc` (CSV line or Parquet row). */
  readonly relation: string;
  /** Column name → DuckDB type as read (VARCHAR for every CSV column). */
  readonly columnTypes: ReadonlyMap<string, string>;
  /** Rows read. */
  readonly rowCount: number;
  /** Data records in the files, readable or not (CSV: non-blank lines after the header). */
  readonly recordCount: number;
  /** Records that cannot be read at all. */
  readonly malformed: readonly MalformedRow[];
  /** Footer lines of the export left out (the mapping's `"csv": {"footer": true}`). */
  readonly footerLines: number;
  /** CSV values holding control characters (NUL, ESC, ...), per file and column: read, and warned of. */
  readonly controlCharacters: readonly FileControlCharacters[];
  /** CSV files whose header line cannot be read: none of their records is read. */
  readonly headerProblems: readonly {
    readonly file: string;
    readonly detail: string;
    readonly expected?: string;
    readonly hint?: string;
  }[];
}

export const rawRelation = (table: TableName): string => `__raw_${table}`;

export async function registerRawTable(db: Database, source: TableSource): Promise<RawTable> {
  const relation = rawRelation(source.table);
  const loaded =
    source.format === 'csv'
      ? source.dialect.whitespace
        ? await loadWhitespaceFiles(db, source, relation, source.dialect.whitespace)
        : await loadCsvFiles(db, source, relation)
      : {
          ...(await viewParquet(db, source, relation)),
          malformed: [],
          headerProblems: [],
          footerLines: 0,
          controls: [],
        };
  const described = await db.rows(`DESCRIBE ${quoteIdent(relation)}`);
  const columnTypes = new Map<string, string>();
  for (const row of described) {
    const name = String(row.column_name);
    if (!name.startsWith('__')) columnTypes.set(name, String(row.column_type));
  }
  const [count] = await db.rows(`SELECT count(*) AS n FROM ${quoteIdent(relation)}`);
  const rowCount = Number(count?.n ?? 0);
  return {
    source,
    relation,
    columnTypes,
    rowCount,
    recordCount: source.format === 'csv' ? loaded.records : rowCount,
    malformed: loaded.malformed,
    footerLines: loaded.footerLines,
    headerProblems: loaded.headerProblems,
    controlCharacters: loaded.controls,
  };
}

async function viewParquet(
  db: Database,
  source: TableSource,
  relation: string,
): Promise<{ records: number }> {
  const files = `[${source.files.map(quoteLiteral).join(', ')}]`;
  try {
    await db.run(
      `CREATE OR REPLACE VIEW ${quoteIdent(relation)} AS
       SELECT filename AS __file, file_row_number + 1 AS __rec, file_row_number + 1 AS __loc,
              * EXCLUDE (filename, file_row_number)
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
  return { records: 0 };
}
