// Whether SQL gives the same rows on every run over the same tables: what may be kept from one
// run to the next (KPI rows, lib/kpi/kept-results.ts; the checks of an export whose mapping's
// SQL runs as it loads, validation-cache.ts). DuckDB's own parse and flags decide.

import type { Database } from './database.ts';
import type { Mapping } from './mapping.ts';

/**
 * Whether DuckDB's own parse of `sql` calls no function it declares volatile or per-query, and
 * names no bare word it binds to a value of the moment (`current_date` parses as a column).
 */
export async function sameEveryRun(db: Database, sql: string): Promise<boolean> {
  return steady(db, await db.syntaxTrees(sql), new Set());
}

/**
 * Whether parsed SQL names nothing that may vary. A macro is carried no flag of its own: it
 * varies as what it expands to (DuckDB's `ago(i)` is `current_timestamp - i`), read in turn.
 */
async function steady(
  db: Database,
  parsed: { readonly trees: readonly unknown[] } | { readonly error: string },
  seen: Set<string>,
): Promise<boolean> {
  if ('error' in parsed) return false;
  const varying = await db.varyingFunctions();
  const names: Names = {
    functions: new Set(),
    columns: new Set(),
    tableFunctions: new Set(),
    tables: new Set(),
    ctes: new Set(),
  };
  namesIn(parsed.trees, names);
  for (const name of names.functions) if (varying.has(name)) return false;
  for (const name of names.columns) if (await db.bindsAlone(name)) return false;
  if (!(await readsTablesOnly(db, names))) return false;
  for (const name of names.functions) {
    if (seen.has(name)) continue;
    seen.add(name);
    for (const body of await db.macroBodies(name)) if (!(await steady(db, body, seen))) return false;
  }
  return true;
}

/** Table functions that make rows of their arguments alone. */
const PURE_TABLE_FUNCTIONS = new Set(['range', 'generate_series', 'unnest']);

/**
 * Whether the SQL reads the dataset's tables and nothing else: the data folder is readable, and a
 * file read by name (`read_csv('data/fx.csv')`, `FROM 'data/fx.csv'`, `glob(...)`) is in no
 * version of the data, so its edits would never be seen. So is what DuckDB says of itself
 * (`duckdb_settings()`). Macros (`periods(...)`) are read as what they expand to.
 */
async function readsTablesOnly(db: Database, names: Names): Promise<boolean> {
  for (const name of names.tableFunctions)
    if (!PURE_TABLE_FUNCTIONS.has(name) && (await db.macroBodies(name)).length === 0) return false;
  for (const name of names.tables) if (!names.ctes.has(name) && !(await db.hasRelation(name))) return false;
  return true;
}

interface Names {
  readonly functions: Set<string>;
  readonly columns: Set<string>;
  readonly tableFunctions: Set<string>;
  /** Tables and views read by name, and the query's own (WITH) names. */
  readonly tables: Set<string>;
  readonly ctes: Set<string>;
}

function namesIn(node: unknown, into: Names): void {
  if (Array.isArray(node)) for (const item of node) namesIn(item, into);
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (typeof record.function_name === 'string') into.functions.add(record.function_name.toLowerCase());
    const parts = record.type === 'COLUMN_REF' ? record.column_names : undefined;
    if (Array.isArray(parts) && parts.length === 1 && typeof parts[0] === 'string')
      into.columns.add(parts[0]);
    const called =
      record.type === 'TABLE_FUNCTION' ? (record.function as { function_name?: unknown }) : undefined;
    if (typeof called?.function_name === 'string')
      into.tableFunctions.add(called.function_name.toLowerCase());
    if (record.type === 'BASE_TABLE' && typeof record.table_name === 'string')
      into.tables.add(record.table_name.toLowerCase());
    const ctes = (record.cte_map as { map?: unknown } | undefined)?.map;
    if (Array.isArray(ctes))
      for (const cte of ctes as { key?: unknown }[])
        if (typeof cte.key === 'string') into.ctes.add(cte.key.toLowerCase());
    for (const value of Object.values(record)) namesIn(value, into);
  }
}

/** Whether every SQL expression of a mapping (where, derive, a group's aggregates) is the same every run. */
export async function steadyMapping(db: Database, mapping: Mapping | undefined): Promise<boolean> {
  for (const table of mapping?.tables.values() ?? []) {
    const snippets = [table.where, ...table.derive.values(), ...(table.group?.aggregate.values() ?? [])];
    for (const sql of snippets)
      if (sql !== undefined && !(await sameEveryRun(db, `SELECT (${sql}\n) AS x`))) return false;
  }
  return true;
}
