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
import type { Row, SqlParams } from '../data/database.ts';
import type { Dataset } from '../data/dataset.ts';
import { sameEveryRun } from '../data/steady-sql.ts';

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
