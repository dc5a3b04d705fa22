// Checking every row against the contract is most of the time it takes to open a large data
// folder, and re-running a report on the same export repeats it for nothing. The result is kept
// per version of the inputs: the files (path, size, modification and change time), the mapping
// file, the checking code and the engine. A kept result is used only when it cannot differ from a fresh
// one, and the data can always be checked afresh (PULSE_CACHE=off).

import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stateDirFor } from '../project.ts';
import { CONTRACT } from './contract.ts';
import type { Database } from './database.ts';
import type { Problem } from './problems.ts';
import { REJECTED_TABLE } from './rejects.ts';
import type { StagedTable } from './staged-tables.ts';
import { type Validation, type ValidationOptions, validateTables } from './validate.ts';

export interface ValidationCacheOptions extends ValidationOptions {
  /** Folder for kept results; null: never keep. Default: PULSE_CACHE_DIR, else <state dir>/cache. */
  readonly cacheDir?: string | null;
  /** The mapping file, whose content is part of the inputs. */
  readonly mappingFile?: string;
  /**
   * Each table's `fileVersions`, taken before its files were read: a file replaced while the run
   * read the folder is then kept as the version read, never as the new one.
   */
  readonly fileVersions?: ReadonlyMap<string, readonly (readonly string[])[]>;
}

export interface CachedValidation extends Validation {
  /** Whether the result was kept from an earlier run ('hit'), checked and kept ('miss'), or neither. */
  readonly cache: 'hit' | 'miss' | 'off';
  /** With caching on: the folder results are kept in, and the digest of this check's inputs. */
  readonly kept?: { readonly dir: string; readonly inputs: string };
}

interface Entry {
  readonly problems: Problem[];
  readonly eventMaxima: Record<string, Record<string, string | null>>;
  readonly eventMinima: Record<string, Record<string, string | null>>;
  /** Rows the checks rejected (rows the CSV reader could not read are found again on every run). */
  readonly rejected: readonly (readonly (string | number | null)[])[];
}

const FORMAT = 2;
// Beyond this many rejected rows the kept result would be large; such data is checked each time.
const MAX_KEPT_REJECTS = 50_000;
const MAX_ENTRIES = 32;

/** validateTables, or its kept result for the same inputs. */
export async function validateWithCache(
  db: Database,
  tables: ReadonlyMap<string, StagedTable>,
  options: ValidationCacheOptions,
): Promise<CachedValidation> {
  const dir = cacheDir(options.cacheDir, process.env);
  if (!dir) return { ...(await validateTables(db, tables, options)), cache: 'off' };
  const key = await inputsKey(db, tables, options);
  const file = join(dir, `${key}.json`);
  const kept = await readEntry(file);
  if (kept && !(await anyAfter(db, kept.eventMaxima, options.now))) {
    await restoreRejected(db, kept.rejected);
    return {
      problems: kept.problems,
      eventMaxima: toMaps(kept.eventMaxima),
      eventMinima: toMaps(kept.eventMinima),
      cache: 'hit',
      kept: { dir, inputs: key },
    };
  }
  const validation = await validateTables(db, tables, options);
  // Warnings about dates after the clock depend on the clock: such results are not kept.
  if (validation.problems.some((p) => p.rule === 'future_date'))
    return { ...validation, cache: 'miss', kept: { dir, inputs: key } };
  const rejected = await db.rows(
    `SELECT tbl, file, rec, loc, rule, error, col, value, detail FROM ${REJECTED_TABLE}
     WHERE rule NOT IN ('malformed_line', 'incomplete_group') ORDER BY tbl, file, rec, rule LIMIT ${MAX_KEPT_REJECTS + 1}`,
  );
  if (rejected.length <= MAX_KEPT_REJECTS) {
    const entry: Entry = {
      problems: validation.problems,
      eventMaxima: toRecords(validation.eventMaxima),
      eventMinima: toRecords(validation.eventMinima),
      rejected: rejected.map((r) =>
        [r.tbl, r.file, r.rec, r.loc, r.rule, r.error, r.col, r.value, r.detail].map((v) =>
          v === null || v === undefined ? null : typeof v === 'number' ? v : String(v),
        ),
      ),
    };
    await writeEntry(dir, file, entry).catch(() => undefined);
  }
  return { ...validation, cache: 'miss', kept: { dir, inputs: key } };
}

/** The cache folder, or null when caching is off. */
export function cacheDir(
  option: string | null | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd = process.cwd(),
): string | null {
  if (option !== undefined) return option;
  if (/^(off|0|false|no)$/i.test(env.PULSE_CACHE ?? '')) return null;
  if (env.PULSE_CACHE_DIR) return resolve(cwd, env.PULSE_CACHE_DIR);
  return join(stateDirFor(env, cwd), 'cache', 'validation');
}

/** A digest of everything the checks' result depends on. */
async function inputsKey(
  db: Database,
  tables: ReadonlyMap<string, StagedTable>,
  options: ValidationCacheOptions,
): Promise<string> {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify({ format: FORMAT, contract: CONTRACT, examples: options.maxErrorExamples ?? null }),
  );
  hash.update(await codeVersion());
  const [engine] = await db.rows(`SELECT version() AS v, current_setting('TimeZone') AS tz`);
  hash.update(JSON.stringify(engine));
  if (options.mappingFile) hash.update(await readFile(options.mappingFile));
  for (const staged of tables.values()) {
    const { source } = staged.raw;
    const files = options.fileVersions?.get(staged.spec.name) ?? (await fileVersions(source.files));
    hash.update(JSON.stringify([staged.spec.name, source.path, source.format, source.dialect, files]));
  }
  return hash.digest('hex').slice(0, 32);
}

/**
 * What tells one version of each file from another: path, size, modification time, inode, and
 * the change time, which no copy can set (`cp -p`, `touch -r` and archives restore the
 * modification time of a file rewritten in place at its old size).
 */
export function fileVersions(files: readonly string[]): Promise<string[][]> {
  return Promise.all(
    files.map(async (f) => {
      const s = await stat(f, { bigint: true });
      return [f, String(s.size), String(s.mtimeNs), String(s.ino), String(s.dev), String(s.ctimeNs)];
    }),
  );
}

let code: Promise<string> | undefined;
/** The data layer's source: any change to how data is read or checked makes new results. */
function codeVersion(): Promise<string> {
  code ??= (async () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const names = (await readdir(here)).filter((n) => n.endsWith('.ts')).sort();
    const hash = createHash('sha256');
    for (const name of names) hash.update(name).update(await readFile(join(here, name)));
    // The one module outside lib/data whose text reaches a problem's message.
    hash.update(await readFile(join(here, '..', 'errors.ts')));
    return hash.digest('hex');
  })();
  return code;
}

async function readEntry(file: string): Promise<Entry | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Entry;
  } catch {
    return undefined; // absent, or unreadable: check afresh
  }
}

async function writeEntry(dir: string, file: string, entry: Entry): Promise<void> {
  await mkdir(dir, { recursive: true });
  // Written whole, then renamed: a reader never sees half an entry.
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, JSON.stringify(entry));
  await rename(partial, file);
  await pruneOldest(dir);
}

async function pruneOldest(dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
  if (names.length <= MAX_ENTRIES) return;
  const aged = await Promise.all(
    names.map(async (n) => ({ n, t: (await stat(join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })),
  );
  aged.sort((a, b) => a.t - b.t);
  for (const { n } of aged.slice(0, names.length - MAX_ENTRIES)) await unlink(join(dir, n)).catch(() => {});
}

/** Whether a kept latest date is after the clock (then its warnings would differ). */
async function anyAfter(db: Database, maxima: Entry['eventMaxima'], now: string): Promise<boolean> {
  const params: Record<string, string> = { now };
  const tests: string[] = [];
  for (const [table, columns] of Object.entries(maxima)) {
    const spec = CONTRACT.find((t) => t.name === table);
    for (const [column, value] of Object.entries(columns)) {
      if (value === null) continue;
      const type = spec?.columns.find((c) => c.name === column)?.type;
      const name = `v${tests.length}`;
      params[name] = value;
      // As the future-date check compares them (lib/data/validate.ts).
      tests.push(
        type === 'date'
          ? `$${name}::DATE > $now::TIMESTAMPTZ::DATE`
          : `$${name}::TIMESTAMPTZ > $now::TIMESTAMPTZ`,
      );
    }
  }
  if (tests.length === 0) return false;
  const [row] = await db.rows(`SELECT ${tests.join(' OR ')} AS after`, params);
  return row?.after === true;
}

async function restoreRejected(db: Database, rows: Entry['rejected']): Promise<void> {
  if (rows.length === 0) return;
  const appender = await db.connection.createAppender(REJECTED_TABLE, 'main', 'temp');
  for (const row of rows) {
    for (const [i, value] of row.entries()) {
      if (value === null) appender.appendNull();
      else if (i === 2 || i === 3) appender.appendBigInt(BigInt(value));
      else appender.appendVarchar(String(value));
    }
    appender.endRow();
  }
  appender.closeSync();
}

function toMaps(values: Entry['eventMaxima']): Validation['eventMaxima'] {
  return new Map(Object.entries(values).map(([table, columns]) => [table, new Map(Object.entries(columns))]));
}

function toRecords(values: Validation['eventMaxima']): Entry['eventMaxima'] {
  return Object.fromEntries([...values].map(([table, columns]) => [table, Object.fromEntries(columns)]));
}
