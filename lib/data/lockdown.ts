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
 * Once the tables are registered, DuckDB may touch only the data folder (and the output folder):
 * no other file, no ATTACH, no extension install or load, and no setting can change after this
 * (so a query cannot undo it). Views keep working: they read inside the allowed folders.
 * DuckDB's allowed folders are readable and writable alike, so the statement gate keeps writes
 * (COPY ... TO) to the writable folders and refuses what creates files otherwise (ATTACH, EXPORT).
 */
export async function lockDown(db: Database, options: LockdownOptions): Promise<void> {
  const writable = (options.writable ?? []).map((dir) => resolve(dir));
  const folders = [...options.readable.map((dir) => resolve(dir)), ...writable].map((dir) => `${dir}/`);
  // DuckDB's own list of its table functions, so one a newer DuckDB adds is refused by default.
  const builtIn = await db.rows(
    "SELECT DISTINCT function_name FROM duckdb_functions() WHERE internal AND function_type IN ('table', 'table_macro')",
  );
  await db.run(`SET allowed_directories = [${folders.map(quoteLiteral).join(', ')}]`);
  await db.run('SET enable_external_access = false');
  await db.run('SET lock_configuration = true');
  db.restrictStatements({
    writable,
    refusedFunctions: refusedTableFunctions(builtIn.map((r) => String(r.function_name))),
  });
}
