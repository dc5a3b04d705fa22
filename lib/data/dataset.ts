import { PulseError } from '../errors.ts';
import { CONTRACT, type TableName } from './contract.ts';
import { Database, type DatabaseOptions } from './database.ts';
import { discoverTables } from './discover.ts';
import type { Problem } from './problems.ts';
import { type RawTable, registerRawTable } from './raw-tables.ts';
import { quoteIdent, quoteLiteral } from './sql-text.ts';
import { registerEmptyTable, registerTypedTable } from './typed-tables.ts';
import { validateTables } from './validate.ts';

export interface OpenDatasetOptions extends DatabaseOptions {
  readonly dataDir: string;
  /** IANA zone in which periods and calendar days are reckoned. */
  readonly timeZone?: string;
  /** The clock, ISO instant; dates after it are "in the future". */
  readonly now: string;
}

export interface TableSummary {
  readonly table: TableName;
  readonly path: string;
  readonly format: string;
  readonly rows: number;
  readonly columns: readonly string[];
}

/** A data folder registered in DuckDB: one typed relation per contract table. */
export interface Dataset {
  readonly db: Database;
  readonly dataDir: string;
  readonly timeZone: string;
  readonly tables: readonly TableSummary[];
  readonly problems: readonly Problem[];
  /** Whether the folder has this table, and the column when given. */
  has(table: string, column?: string): boolean;
  close(): void;
}

export async function openDataset(options: OpenDatasetOptions): Promise<Dataset> {
  const timeZone = options.timeZone ?? 'UTC';
  assertTimeZone(timeZone);
  const sources = await discoverTables(options.dataDir);
  const db = await Database.open(options);
  try {
    const raws = new Map<string, RawTable>();
    for (const source of sources) raws.set(source.table, await registerRawTable(db, source));
    const problems = await validateTables(db, raws, { now: options.now });
    for (const spec of CONTRACT) {
      const raw = raws.get(spec.name);
      if (raw) await registerTypedTable(db, raw, spec);
      else await registerEmptyTable(db, spec);
    }
    // The text copies of CSV files are no longer needed once typed.
    for (const raw of raws.values()) {
      if (raw.source.format === 'csv') await db.run(`DROP TABLE ${quoteIdent(raw.relation)}`);
    }
    // Fixed after loading: casts above never depend on it, period logic always does.
    await db.run(`SET TimeZone = ${quoteLiteral(timeZone)}`);
    const tables = [...raws.values()].map((raw) => ({
      table: raw.source.table,
      path: raw.source.path,
      format: raw.source.format,
      rows: raw.rowCount,
      columns: [...raw.columnTypes.keys()],
    }));
    return {
      db,
      dataDir: options.dataDir,
      timeZone,
      tables,
      problems,
      has: (table, column) => {
        const raw = raws.get(table);
        return raw !== undefined && (column === undefined || raw.columnTypes.has(column));
      },
      close: () => db.close(),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

export function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new PulseError(
      'usage',
      `unknown time zone "${timeZone}"; use an IANA name such as UTC or Europe/Berlin`,
    );
  }
}

/** Refuses to compute from data with contract errors, pointing at `pulse check`. */
export function assertNoErrors(dataset: Dataset): void {
  const errors = dataset.problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) return;
  const rows = errors.reduce((n, p) => n + Math.max(p.count, 1), 0);
  const first = errors[0];
  throw new PulseError(
    'data_invalid',
    `${dataset.dataDir}: ${errors.length} kinds of contract errors in ${rows} rows (first: ${first?.table}.${first?.column ?? ''} ${first?.rule}); no KPI is computed from broken data. Run \`pulse check --data ${dataset.dataDir}\` to see every problem.`,
  );
}
