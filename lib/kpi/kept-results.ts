// Re-running a report on the same export (an edit to its script, a preview, the scheduler's retry)
// used to compute every KPI again: most of the time a large export takes once its checks are
// kept. A KPI query's rows depend only on its SQL, its parameters, the code that shapes it and the
// tables it reads, so they are kept per version of those tables (Dataset.keep: files, mapping,
// code, engine, zone, scope) and read back instead of computed. A query calling a function DuckDB
// itself says may answer differently from one run to the next (random(), now()) is never kept.

import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database, Row, SqlParams } from '../data/database.ts';
import type { Dataset } from '../data/dataset.ts';

/** Versions of the data whose results are kept; the oldest folders go beyond it. */
const MAX_VERSIONS = 8;

/** The rows of `sql`, read from an earlier run on the same data, or computed and kept. */
export async function keptRows(
  dataset: Pick<Dataset, 'db' | 'keep'>,
  sql: string,
  params: SqlParams,
  compute: () => Promise<Row[]>,
): Promise<Row[]> {
  const keep = dataset.keep;
  if (!keep || !(await sameEveryRun(dataset.db, sql))) return compute();
  const folder = join(keep.dir, 'kpi', keep.version);
  const key = createHash('sha256')
    .update(JSON.stringify([await codeVersion(), sql, params]))
    .digest('hex')
    .slice(0, 32);
  const file = join(folder, `${key}.json`);
  const kept = await readRows(file);
  if (kept) return kept;
  const rows = await compute();
  // JSON keeps every value DuckDB gives exactly, but for NaN, ±Infinity and -0: such rows are not kept.
  if (rows.every(exactInJson)) await keepRows(keep.dir, folder, file, rows).catch(() => undefined);
  return rows;
}

/**
 * Whether DuckDB's own parse of `sql` calls no function it declares volatile or per-query, and
 * names no bare word it binds to a value of the moment (`current_date` parses as a column).
 */
async function sameEveryRun(db: Database, sql: string): Promise<boolean> {
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
  const relations = await db.relationNames();
  for (const name of names.tables) if (!names.ctes.has(name) && !relations.has(name)) return false;
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

function exactInJson(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(exactInJson);
  if (value && typeof value === 'object') return Object.values(value).every(exactInJson);
  return true;
}

async function readRows(file: string): Promise<Row[] | undefined> {
  try {
    const rows: unknown = JSON.parse(await readFile(file, 'utf8'));
    return Array.isArray(rows) ? (rows as Row[]) : undefined;
  } catch {
    return undefined; // absent or unreadable: computed afresh
  }
}

async function keepRows(root: string, folder: string, file: string, rows: Row[]): Promise<void> {
  const fresh = await stat(folder).then(
    () => false,
    () => true,
  );
  await mkdir(folder, { recursive: true });
  // Written whole, then renamed: a reader never sees half an entry.
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, JSON.stringify(rows));
  await rename(partial, file);
  if (fresh) await pruneVersions(join(root, 'kpi'));
}

async function pruneVersions(dir: string): Promise<void> {
  const names = await readdir(dir);
  if (names.length <= MAX_VERSIONS) return;
  const aged = await Promise.all(
    names.map(async (n) => ({ n, t: (await stat(join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })),
  );
  aged.sort((a, b) => a.t - b.t);
  for (const { n } of aged.slice(0, names.length - MAX_VERSIONS))
    await rm(join(dir, n), { recursive: true, force: true });
}

let code: Promise<string> | undefined;
/** The KPI layer's source (the SQL it wraps a KPI in, its macros): any change computes afresh. */
function codeVersion(): Promise<string> {
  code ??= (async () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const names = (await readdir(here)).filter((n) => n.endsWith('.ts')).sort();
    const hash = createHash('sha256');
    for (const name of names) hash.update(name).update(await readFile(join(here, name)));
    return hash.digest('hex');
  })();
  return code;
}
