import { resolve } from 'node:path';
import type { Database } from './database.ts';
import { quoteLiteral } from './sql-text.ts';
import { refusedTableFunctions } from './statement-gate.ts';

export interface LockdownOptions {
  /** Folders DuckDB may still read (the data folder). */
  readonly readable: readonly string[];
  /** Folders DuckDB may write to with COPY ... TO (the output folder), if any. */
  readonly writable?: readonly string[];
}

/**
 * Before anything of the export is read, DuckDB may touch only the data folder (and the output
 * folder): no other file, no ATTACH, no extension install or load. The mapping's SQL runs while
 * the export is loaded, so a snippet that slipped past its check still reads nothing else.
 * DuckDB's allowed folders are readable and writable alike, so the statement gate keeps writes
 * (COPY ... TO) to the writable folders and refuses what creates files otherwise (ATTACH, EXPORT).
 */
export async function fenceFiles(db: Database, options: LockdownOptions): Promise<void> {
  const folders = [...options.readable, ...(options.writable ?? [])].map((dir) => `${resolve(dir)}/`);
  await db.run(`SET allowed_directories = [${folders.map(quoteLiteral).join(', ')}]`);
  await db.run('SET enable_external_access = false');
}

/**
 * Once the tables are registered, no setting can change (so a query cannot undo the fence), and
 * SQL from users (KPI files, pulse query, the scratchpad) passes the statement gate. Views keep
 * working: they read inside the allowed folders.
 */
export async function lockDown(db: Database, options: LockdownOptions): Promise<void> {
  const writable = (options.writable ?? []).map((dir) => resolve(dir));
  // DuckDB's own list of its table functions, so one a newer DuckDB adds is refused by default.
  const builtIn = await db.rows(
    "SELECT DISTINCT function_name FROM duckdb_functions() WHERE internal AND function_type IN ('table', 'table_macro')",
  );
  await db.run('SET lock_configuration = true');
  db.restrictStatements({
    writable,
    refusedFunctions: refusedTableFunctions(builtIn.map((r) => String(r.function_name))),
  });
}
