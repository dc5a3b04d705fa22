import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PulseError } from '../errors.ts';
import type { OnProgress } from '../progress.ts';
import { latestValues } from './closed-tables.ts';
import { CONTRACT, type TableName } from './contract.ts';
import { Database, type DatabaseOptions } from './database.ts';
import {
  DERIVED_CUSTOMER_COLUMNS,
  derivedNote,
  derivedProblems,
  registerCustomersFromOrders,
} from './derived-customers.ts';
import { discoverSources, type TableSource } from './discover.ts';
import type { EngineLimits } from './engine-limits.ts';
import { fenceFiles, lockDown } from './lockdown.ts';
import { readMapping } from './mapping-file.ts';
import { formatProblem, isStructural, type Problem } from './problems.ts';
import { registerRawTable } from './raw-tables.ts';
import {
  createRejectedTable,
  formatRejectSummary,
  formatShare,
  type RejectPolicy,
  type RejectSummary,
  recordMalformed,
  summariseRejects,
} from './rejects.ts';
import { applyScope, type DatasetScope, nameWholeTables } from './scope.ts';
import { assertSourcesInside } from './source-links.ts';
import { quoteIdent, quoteLiteral } from './sql-text.ts';
import { registerStagedTable, type StagedTable } from './staged-tables.ts';
import { steadyMapping } from './steady-sql.ts';
import { registerClosedTable, registerEmptyTable, registerTypedTable } from './typed-tables.ts';
import { listUnusedFiles, type UnusedFile } from './unused-files.ts';
import { fileVersions, validateWithCache } from './validation-cache.ts';

/** How a command's data is opened besides the folder: DuckDB's limits and where results are kept. */
export interface DataSettings extends EngineLimits {
  /** Where checked results and KPI rows are kept (validation-cache.ts); null: never. */
  readonly cacheDir?: string | null;
}

export interface OpenDatasetOptions extends DatabaseOptions {
  readonly dataDir: string;
  /** Folders SQL may write to with COPY ... TO; none by default. */
  readonly writableDirs?: readonly string[];
  /** IANA zone in which periods and calendar days are reckoned. */
  readonly timeZone?: string;
  /** The clock, ISO instant; dates after it are "in the future". */
  readonly now: string;
  /** A mapping file (or a preset name from mappings/): how the export becomes the contract. */
  readonly mapping?: string;
  /** Compute on the good rows whatever share is rejected (`--allow-rejects`). */
  readonly allowRejects?: boolean;
  /** Share of rejected rows accepted without allowRejects (PULSE_MAX_REJECT_SHARE); default 0. */
  readonly maxRejectShare?: number;
  /** Where checked results are kept per version of the files (lib/data/validation-cache.ts); null: never. */
  readonly cacheDir?: string | null;
  /** Report params that scope the data, e.g. {region: 'EMEA'} (lib/data/scope.ts). */
  readonly scope?: Readonly<Record<string, string>>;
  /** Told as each table is read and checked. */
  readonly onProgress?: OnProgress;
  /**
   * Read and check only these tables (`pulse kpi` passes those its KPIs read); the export's
   * others stay closed, and SQL reading one fails saying so. Default: every table.
   */
  readonly tables?: ReadonlySet<TableName>;
}

export interface TableSummary {
  readonly table: TableName;
  readonly path: string;
  readonly format: string;
  /** Rows read (CSV lines that could be read, Parquet rows). */
  readonly rows: number;
  /** The file's columns, as named in the file. */
  readonly columns: readonly string[];
  readonly files: readonly string[];
  /** Data lines or rows in the files, readable or not. */
  readonly records: number;
  /** Rows the mapping's `where` leaves out. */
  readonly leftOut: number;
  /** The mapping's `where` when it left rows out: the report names the condition beside the count. */
  readonly leftOutBy?: string;
  /** Footer lines of a report export, ignored (the mapping's `"csv": {"footer": true}`). */
  readonly footerLines: number;
  /** Rows left out for errors (unreadable lines included). */
  readonly rejected: number;
  /** Rows in the table the KPIs read. */
  readonly loaded: number;
  /** With the mapping's `group`: the groups (orders) the rows (order lines) became. */
  readonly groups?: number;
  /**
   * Set when the table has no file of its own but is built from another table (the mapping's
   * `"customers": {"from": "orders"}`); `note` is the line a report shows for it.
   */
  readonly derivedFrom?: TableName;
  /** With `derivedFrom`: the mapping declares every customer's first order is in the export. */
  readonly firstOrdersInExport?: boolean;
  readonly note?: string;
}

/** A data folder registered in DuckDB: one typed relation per contract table. */
export interface Dataset {
  readonly db: Database;
  /** The clock of this run (PULSE_NOW or the time it was opened). */
  readonly now: string;
  readonly dataDir: string;
  readonly timeZone: string;
  readonly tables: readonly TableSummary[];
  readonly problems: readonly Problem[];
  /** Rows left out of the tables for errors; `rejectShare(dataset)` is its share. */
  readonly rejects: RejectSummary;
  readonly policy: RejectPolicy;
  /** The mapping file used, if any. */
  readonly mapping?: string;
  readonly sources: readonly TableSource[];
  /** Files of the data folder no table reads, and why (`pulse check` lists them). */
  readonly unusedFiles: readonly UnusedFile[];
  /** Set when the tables hold one part of the business only. */
  readonly scope?: DatasetScope;
  /** Whether the contract checks ran ('miss', 'off') or their kept result was used ('hit'). */
  readonly validation: 'hit' | 'miss' | 'off';
  /**
   * With caching on, where results computed from these tables may be kept, and a digest of all
   * their rows depend on (files, mapping, code, engine, zone, scope, tables opened).
   */
  readonly keep?: { readonly dir: string; readonly version: string };
  /** The latest value of each event column, by table, read while validating with clock `now`. */
  readonly eventMaxima?: {
    readonly now: string;
    readonly tables: ReadonlyMap<string, ReadonlyMap<string, string | null>>;
  };
  /** Tables the export has but this run left closed (`tables`), with their latest event values. */
  readonly closedTables?: ReadonlyMap<string, ReadonlyMap<string, string | null>>;
  /** The earliest value of each event column, by table, where the validation's holds. */
  readonly eventMinima?: ReadonlyMap<string, ReadonlyMap<string, string | null>>;
  /** Whether the folder has this table, and the column when given. */
  has(table: string, column?: string): boolean;
  close(): void;
}

/** The sources to read: all, or the tables asked for (orders too when customers come from them). */
function openedSources(
  sources: readonly TableSource[],
  tables: ReadonlySet<TableName> | undefined,
  customersFromOrders: boolean,
): TableSource[] {
  if (!tables) return [...sources];
  const wanted = new Set(tables);
  if (customersFromOrders && wanted.has('customers')) wanted.add('orders');
  return sources.filter((s) => wanted.has(s.table));
}

export async function openDataset(options: OpenDatasetOptions): Promise<Dataset> {
  const timeZone = options.timeZone ?? 'UTC';
  assertTimeZone(timeZone);
  const mapping = options.mapping ? await readMapping(options.mapping) : undefined;
  const discovered = await discoverSources(options.dataDir, mapping);
  assertSourcesInside(options.dataDir, discovered.sources);
  const opened = openedSources(
    discovered.sources,
    options.tables,
    mapping?.derived.has('customers') ?? false,
  );
  const db = await Database.open(options);
  const spill = await privateSpillFolder(db).catch((error: unknown) => {
    db.close();
    throw error;
  });
  const close = () => {
    db.close();
    rmSync(spill, { recursive: true, force: true });
  };
  const confined = { readable: [options.dataDir], writable: options.writableDirs ?? [] };
  try {
    await fenceFiles(db, confined);
    // Set before loading: a date alone in a timestamp column is that day in the report's zone,
    // and typed CSV tables are made once, here. Times of day are UTC in any zone.
    await db.run(`SET TimeZone = ${quoteLiteral(timeZone)}`);
    await createRejectedTable(db);
    // 1. Read every file as it is, keeping what cannot be read.
    const all = new Map<string, StagedTable>();
    // Taken before reading: what was read is never kept as the version of a file that landed since.
    const versions = new Map<string, string[][]>();
    for (const [i, source] of discovered.sources.entries()) {
      options.onProgress?.({ stage: 'read', table: source.table, n: i + 1, of: discovered.sources.length });
      if (options.cacheDir !== null) versions.set(source.table, await fileVersions(source.files));
      const raw = await registerRawTable(db, source);
      await recordMalformed(db, source.table, raw.malformed);
      // 2. Apply the mapping: contract names, value maps, derived columns, `where`.
      const spec = CONTRACT.find((t) => t.name === source.table);
      if (spec) all.set(source.table, await registerStagedTable(db, raw, spec, mapping?.file));
    }
    // Only the tables asked for are checked and typed; the others stay closed, but still date
    // the data: the data's as-of day is the whole export's.
    const staged = new Map([...all].filter(([table]) => opened.some((o) => o.table === table)));
    const closed = new Map<string, ReadonlyMap<string, string | null>>();
    for (const [table, unread] of all)
      if (!staged.has(table)) closed.set(table, await latestValues(db, unread, options.now));
    // 3. Check against the contract; rows with errors go to the rejected rows. A mapping whose
    // SQL calls the clock or chance (`where ordered_at >= ago(INTERVAL 2 YEAR)`) loads other rows
    // each run: nothing is kept of them, neither the checks nor the KPIs.
    const cacheDir = (await steadyMapping(db, mapping)) ? options.cacheDir : null;
    const validation = await validateWithCache(db, staged, {
      now: options.now,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(cacheDir !== undefined ? { cacheDir } : {}),
      ...(mapping ? { mappingFile: mapping.file } : {}),
      fileVersions: versions,
    });
    const totals = [...staged.values()].map((s) => ({ table: s.spec.name, total: s.total }));
    const rejects = await summariseRejects(db, totals);
    // The typed tables are the validated rows minus rejected ones: what the validation read of
    // a table's event columns holds for it only when none of its rows was rejected.
    const unrejected = <T>(byTable: ReadonlyMap<string, T>) =>
      new Map([...byTable].filter(([table]) => !rejects.tables.some((t) => t.table === table && t.rows > 0)));
    // 4. The typed tables the KPIs read: the good rows only.
    for (const spec of CONTRACT) {
      const table = staged.get(spec.name);
      const rejected = rejects.tables.find((t) => t.table === spec.name)?.rows ?? 0;
      if (table) await registerTypedTable(db, table, rejected > 0);
      else if (discovered.sources.some((d) => d.table === spec.name))
        await registerClosedTable(db, spec, all.get(spec.name)?.extras ?? []);
      else await registerEmptyTable(db, spec);
    }
    // 5. Tables built from others: customers from the loaded orders.
    const orders = staged.get('orders');
    const derivation = mapping?.derived.get('customers');
    const derived = derivation && orders ? await registerCustomersFromOrders(db, timeZone) : undefined;
    // The text copies of CSV files are no longer needed once typed.
    for (const table of all.values()) {
      if (table.raw.source.format !== 'csv') continue;
      const grouped = table.grouped ? `; DROP TABLE ${quoteIdent(table.grouped.relation)}` : '';
      await db.run(
        `DROP VIEW ${quoteIdent(table.relation)}${grouped}; DROP TABLE ${quoteIdent(table.raw.relation)}`,
      );
    }
    // From here on SQL from users (KPI files, pulse query, the scratchpad) runs: only the data
    // folder (and an output folder) may be touched, and no setting may change.
    const scope =
      options.scope && Object.keys(options.scope).length > 0
        ? await applyScope(db, options.scope, options.dataDir)
        : undefined;
    if (!scope) await nameWholeTables(db);
    await lockDown(db, confined);
    const tables: TableSummary[] = [...staged.values()].map((s) => {
      const rejected = rejects.tables.find((t) => t.table === s.spec.name)?.rows ?? 0;
      return {
        table: s.spec.name,
        path: s.raw.source.path,
        format: s.raw.source.format,
        rows: s.raw.rowCount,
        columns: [...s.raw.columnTypes.keys()],
        files: s.raw.source.files,
        records: s.raw.recordCount,
        leftOut: s.leftOut,
        ...(s.leftOut > 0 && s.raw.source.mapping?.where ? { leftOutBy: s.raw.source.mapping.where } : {}),
        footerLines: s.raw.footerLines,
        rejected,
        loaded: s.total - rejected,
        ...(s.grouped ? { groups: s.grouped.rows } : {}),
      };
    });
    if (derived !== undefined && orders) {
      const files = orders.raw.source.files;
      const firstOrdersInExport = derivation?.firstOrdersInExport ?? false;
      tables.unshift({
        table: 'customers',
        path: orders.raw.source.path,
        format: 'derived',
        rows: derived,
        columns: [...DERIVED_CUSTOMER_COLUMNS],
        files,
        records: derived,
        leftOut: 0,
        footerLines: 0,
        rejected: 0,
        loaded: derived,
        derivedFrom: 'orders',
        firstOrdersInExport,
        note: derivedNote(files, firstOrdersInExport),
      });
    }
    // Errors first, as the validator orders its own.
    const problems = [
      ...discovered.problems,
      ...validation.problems,
      ...derivedProblems(mapping, orders),
    ].sort((a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning'));
    return {
      db,
      now: options.now,
      dataDir: options.dataDir,
      timeZone,
      tables,
      problems,
      rejects,
      policy: { allowRejects: options.allowRejects ?? false, maxRejectShare: options.maxRejectShare ?? 0 },
      ...(mapping ? { mapping: mapping.file } : {}),
      sources: opened,
      unusedFiles: await listUnusedFiles(options.dataDir, discovered.sources, mapping, discovered.problems),
      ...(scope ? { scope } : {}),
      validation: validation.cache,
      ...(validation.kept
        ? {
            keep: {
              dir: validation.kept.dir,
              version: digest([
                validation.kept.inputs,
                timeZone,
                options.scope ?? {},
                [...staged.keys()],
                derived !== undefined,
              ]),
            },
          }
        : {}),
      eventMaxima: { now: options.now, tables: unrejected(validation.eventMaxima) },
      eventMinima: unrejected(validation.eventMinima),
      ...(closed.size > 0 ? { closedTables: closed } : {}),
      has: (table, column) => {
        if (table === 'customers' && derived !== undefined)
          return column === undefined || DERIVED_CUSTOMER_COLUMNS.includes(column);
        const found = staged.get(table);
        if (!found) return false;
        return column === undefined || found.columns.has(column) || found.extras.includes(column);
      },
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}

/**
 * DuckDB spills to `.tmp` in the working directory by default, and turning external access off
 * (lockdown) makes that folder readable and writable by SQL, with whatever other runs spilled
 * or left there. Each dataset spills to a folder of its own instead (mkdtemp: mode 0700), set
 * before anything is loaded and removed on close.
 */
async function privateSpillFolder(db: Database): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'pulse-spill-'));
  try {
    await db.run(`SET temp_directory = ${quoteLiteral(folder)}`);
    // DuckDB may read it once fenced to the data folder: the loader's copies of CSV files go there.
    db.scratchDir = folder;
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  return folder;
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

/**
 * Refuses to compute from data that does not fit the contract (a missing or wrong-typed
 * column, a mapping that does not fit: always), or with rejected rows unless the policy the
 * dataset was opened with allows them.
 */
export function assertNoErrors(dataset: Dataset): void {
  const check = `Run \`pulse check --data ${dataset.dataDir}${dataset.mapping ? ` --mapping ${dataset.mapping}` : ''}\` to see every problem.`;
  const structural = dataset.problems.filter(isStructural);
  if (structural.length > 0) {
    const lines = structural.slice(0, 5).flatMap((p) => formatProblem(p, 3).map((l) => `  ${l}`));
    const more = structural.length > 5 ? [`  ... and ${structural.length - 5} more`] : [];
    throw new PulseError(
      'data_invalid',
      [
        `${dataset.dataDir}: ${structural.length} contract errors that no row-level leniency can get past; no KPI is computed from broken data. ${check}`,
        ...lines,
        ...more,
      ].join('\n'),
    );
  }
  const { rejects, policy } = dataset;
  if (rejects.rows === 0 || policy.allowRejects || rejects.share <= policy.maxRejectShare) return;
  const kinds = new Set(dataset.problems.filter((p) => p.severity === 'error').map((p) => p.rule));
  throw new PulseError(
    'data_invalid',
    `${dataset.dataDir}: ${formatRejectSummary(rejects)} for contract errors (${[...kinds].join(', ')}); no KPI is computed from broken data. ${check} To compute on the good rows only, add --allow-rejects${policy.maxRejectShare > 0 ? ` (PULSE_MAX_REJECT_SHARE allows ${formatShare(policy.maxRejectShare)})` : ' or set PULSE_MAX_REJECT_SHARE (e.g. 2%)'}.`,
  );
}

function digest(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}
