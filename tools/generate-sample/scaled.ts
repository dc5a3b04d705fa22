// Large datasets for benchmarks: the sample's company, many times over, with time-ordered files.
//
// The simulation holds a whole world in JS memory, so tens of millions of rows are built as
// divisions: independent worlds of a few thousand customers each (own seed, own staff and
// campaigns, the same business rules), whose ids carry the division (C07-00001, L07-000001).
// Rates stay those of the sample; counts and amounts add up. Each division is simulated in a
// child process and written to a staging folder, then DuckDB merges the divisions into one
// table each, sorted by time: event tables as one folder per year (`leads/year=2026/*.parquet`,
// hive partitions the loader reads as one table), the others as one file. Memory stays at one
// division per worker plus DuckDB's capped sort, whatever the scale.

import { spawn } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DuckDBConnection, DuckDBInstance, type Json } from '@duckdb/node-api';
import { configureHistory, DEFAULT_HISTORY_YEARS, formatDate } from './calendar.ts';
import { Rng } from './rng.ts';
import { TABLES, type TableName, type TableSpec, tableSpec } from './schema.ts';
import { buildTableRows } from './tables.ts';
import { deriveTargets } from './targets.ts';
import { buildWorld, type World } from './world.ts';
import { StagingDatabase } from './write-parquet.ts';

export interface ScaledOptions {
  readonly seed: number;
  readonly outDir: string;
  /** Rows wanted over all tables; the result lands within a few per cent of it. */
  readonly rows: number;
  /** Years of reported months, ending 2026-10-31 (default 2). */
  readonly years?: number;
  /** Divisions simulated at once, each in its own process (default: one per core, at most 4). 0 = in this process. */
  readonly jobs?: number;
  /** Rows per Parquet row group (DuckDB's default: 122,880). */
  readonly rowGroupSize?: number;
  /** Called with progress lines. */
  readonly log?: (line: string) => void;
}

export interface ScaledResult {
  readonly divisions: number;
  readonly customersPerDivision: number;
  readonly counts: readonly { table: string; rows: number }[];
  readonly totalRows: number;
  readonly seconds: number;
}

/** Event tables, split by the year of this column: the column most period filters use. */
export const TIME_COLUMNS: Readonly<Partial<Record<TableName, string>>> = {
  leads: 'created_at',
  opportunities: 'created_at',
  opportunity_stages: 'entered_at',
  orders: 'ordered_at',
  campaign_touches: 'touched_at',
  expenses: 'spent_on',
  activities: 'occurred_at',
  tickets: 'created_at',
  surveys: 'responded_at',
  logins: 'logged_in_at',
};

/** The other tables are one file each, sorted by this column. */
const SORT_COLUMNS: Readonly<Partial<Record<TableName, string>>> = {
  customers: 'acquired_at',
  subscriptions: 'started_at',
  campaigns: 'started_at',
  users: 'active_from',
};

/** A division is at most the sample's size, so each worker's memory stays that of the sample. */
const MAX_DIVISION_CUSTOMERS = 5_000;
/** generateSample's minimum. */
const MIN_DIVISION_CUSTOMERS = 50;

/** Marks a finished dataset; also what the benchmark reads back. */
export const MANIFEST = '_generated.json';

/** `10M`, `1.5M`, `250k`, `2000000` → rows. */
export function parseScale(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmMgG]?)$/.exec(text.trim().replaceAll('_', ''));
  if (!match?.[1]) throw new Error(`--scale "${text}" is not a row count; use e.g. 1M, 10M, 50M or 250k`);
  const factor = { '': 1, k: 1e3, m: 1e6, g: 1e9 }[(match[2] ?? '').toLowerCase()] ?? 1;
  const rows = Math.round(Number(match[1]) * factor);
  if (rows < 1_000) throw new Error(`--scale must be at least 1k rows, got ${text}`);
  return rows;
}

/** `10000000` → `10M`, for folder names. */
export function scaleLabel(rows: number): string {
  if (rows >= 1e6 && rows % 1e5 === 0) return `${rows / 1e6}M`;
  if (rows >= 1e3 && rows % 100 === 0) return `${rows / 1e3}k`;
  return String(rows);
}

export interface DivisionJob {
  readonly index: number;
  readonly seed: number;
  readonly customers: number;
  readonly years: number;
  /** Between an id's prefix and its number: '07-'. */
  readonly tag: string;
  /** The division writes `<stageDir>/<dir>/<table>.parquet`. */
  readonly stageDir: string;
}

const divisionDir = (job: DivisionJob) => join(job.stageDir, `d${String(job.index).padStart(4, '0')}`);

/** Simulates one division and writes its tables (all but targets) to the staging folder. */
export async function runDivision(job: DivisionJob): Promise<number> {
  const rows = buildTableRows(
    buildWorld({ seed: job.seed, customers: job.customers, years: job.years }),
    job.tag,
  );
  const dir = divisionDir(job);
  await mkdir(dir, { recursive: true });
  const db = await StagingDatabase.open();
  let total = 0;
  try {
    for (const spec of TABLES) {
      if (spec.name === 'targets') continue;
      await db.load(spec, rows[spec.name]);
      total += await db.copyToParquet(spec, dir);
      await db.query(`DROP TABLE "${spec.name}"`);
    }
  } finally {
    db.close();
  }
  return total;
}

function rowCount(world: World): number {
  return (
    world.users.length +
    world.campaigns.length +
    world.customers.length +
    world.leads.length +
    world.opportunities.length +
    world.opportunities.reduce((n, o) => n + o.stages.length, 0) +
    world.subscriptions.length +
    world.orders.length +
    world.touches.length +
    world.expenses.length +
    world.activities.length +
    world.tickets.length +
    world.surveys.length +
    world.logins.length
  );
}

/**
 * How many divisions of how many customers make `rows`: rows grow with customers, except
 * users, their logins and the campaigns, which every division has whatever its size.
 */
export function planDivisions(
  seed: number,
  rows: number,
  years: number,
): { divisions: number; customers: number } {
  const probe = 1_000;
  const world = buildWorld({ seed, customers: probe, years });
  const fixed = world.users.length + world.logins.length + world.campaigns.length;
  const perCustomer = (rowCount(world) - fixed) / probe;
  const divisions = Math.max(1, Math.ceil(rows / (fixed + perCustomer * MAX_DIVISION_CUSTOMERS)));
  const customers = Math.round((rows / divisions - fixed) / perCustomer);
  return {
    divisions,
    customers: Math.min(MAX_DIVISION_CUSTOMERS, Math.max(MIN_DIVISION_CUSTOMERS, customers)),
  };
}

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function generateScaled(options: ScaledOptions): Promise<ScaledResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const years = options.years ?? DEFAULT_HISTORY_YEARS;
  if (!Number.isInteger(options.seed)) throw new Error(`seed must be an integer, got ${options.seed}`);
  await assertWritable(options.outDir);
  const plan = planDivisions(options.seed, options.rows, years);
  const width = Math.max(2, String(plan.divisions).length);
  const stageDir = join(options.outDir, '_stage');
  await rm(stageDir, { recursive: true, force: true });
  const jobs: DivisionJob[] = Array.from({ length: plan.divisions }, (_, i) => ({
    index: i + 1,
    seed: Rng.deriveSeed(options.seed, `division ${i + 1}`),
    customers: plan.customers,
    years,
    tag: `${String(i + 1).padStart(width, '0')}-`,
    stageDir,
  }));
  const workers = options.jobs ?? Math.min(4, availableParallelism());
  log(
    `${plan.divisions} divisions of ${plan.customers} customers, ${years} years, ${workers || 'no'} worker processes`,
  );
  await runAll(jobs, workers, (job, seconds) =>
    log(`  division ${job.index}/${plan.divisions} simulated in ${seconds.toFixed(1)} s`),
  );

  log('merging divisions into time-ordered Parquet');
  const counts = await mergeDivisions(stageDir, options.outDir, options.rowGroupSize, log);
  // Targets are the plan for the whole company: derived from the merged tables.
  configureHistory(years);
  counts.push({ table: 'targets', rows: await writeTargets(options.outDir) });
  await rm(stageDir, { recursive: true, force: true });

  const totalRows = counts.reduce((n, c) => n + c.rows, 0);
  const seconds = (performance.now() - started) / 1000;
  const result = {
    divisions: plan.divisions,
    customersPerDivision: plan.customers,
    counts,
    totalRows,
    seconds,
  };
  await writeFile(
    join(options.outDir, MANIFEST),
    `${JSON.stringify({ seed: options.seed, requestedRows: options.rows, years, ...result }, null, 2)}\n`,
  );
  return result;
}

/** Refuses to write into a folder that holds anything but an earlier generated dataset. */
async function assertWritable(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  if (entries.length > 0 && !entries.includes(MANIFEST) && !entries.includes('_stage')) {
    throw new Error(`${dir} is not empty and holds no generated dataset; choose an empty --out folder`);
  }
  for (const entry of entries) await rm(join(dir, entry), { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}

async function runAll(
  jobs: readonly DivisionJob[],
  workers: number,
  done: (job: DivisionJob, seconds: number) => void,
): Promise<void> {
  const queue = [...jobs];
  const timed = async (job: DivisionJob) => {
    const started = performance.now();
    if (workers === 0) await runDivision(job);
    else await runDivisionProcess(job);
    done(job, (performance.now() - started) / 1000);
  };
  if (workers === 0) {
    for (const job of queue) await timed(job);
    return;
  }
  const lane = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await timed(job);
  };
  await Promise.all(Array.from({ length: Math.min(workers, jobs.length) }, lane));
}

const WORKER = fileURLToPath(new URL('./division-worker.ts', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

function runDivisionProcess(job: DivisionJob): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(job)], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`division ${job.index} failed (${code}): ${stderr.trim()}`)),
    );
  });
}

async function mergeDivisions(
  stageDir: string,
  outDir: string,
  rowGroupSize: number | undefined,
  log: (line: string) => void,
): Promise<{ table: string; rows: number }[]> {
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: '4GB',
    temp_directory: join(stageDir, '_spill'),
    preserve_insertion_order: 'true',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const db = await instance.connect();
  const options = `FORMAT parquet, COMPRESSION zstd${rowGroupSize ? `, ROW_GROUP_SIZE ${rowGroupSize}` : ''}`;
  const counts: { table: string; rows: number }[] = [];
  try {
    for (const spec of TABLES) {
      if (spec.name === 'targets') continue;
      const started = performance.now();
      const source = `read_parquet(${quote(join(stageDir, 'd*', `${spec.name}.parquet`))})`;
      const time = TIME_COLUMNS[spec.name];
      const order = orderOf(spec, time ?? SORT_COLUMNS[spec.name]);
      let rows = 0;
      if (time) {
        const years = await rowsOf(
          db,
          `SELECT year(${ident(time)})::INTEGER AS y, count(*)::BIGINT AS n FROM ${source} GROUP BY 1 ORDER BY 1`,
        );
        for (const { y, n } of years) {
          if (y === null)
            throw new Error(`${spec.name}.${time} has empty values; it cannot be split by year`);
          const dir = join(outDir, spec.name, `year=${y}`);
          await mkdir(dir, { recursive: true });
          await db.run(
            `COPY (SELECT * FROM ${source} WHERE ${ident(time)} >= DATE '${y}-01-01' AND ${ident(time)} < DATE '${Number(y) + 1}-01-01'
               ORDER BY ${order}) TO ${quote(join(dir, 'data.parquet'))} (${options})`,
          );
          rows += Number(n);
        }
      } else {
        await db.run(
          `COPY (SELECT * FROM ${source} ORDER BY ${order}) TO ${quote(join(outDir, `${spec.name}.parquet`))} (${options})`,
        );
        const [count] = await rowsOf(db, `SELECT count(*)::BIGINT AS n FROM ${source}`);
        rows = Number(count?.n ?? 0);
      }
      counts.push({ table: spec.name, rows });
      log(
        `  ${spec.name.padEnd(20)} ${String(rows).padStart(11)} rows  ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    }
  } finally {
    db.closeSync();
    instance.closeSync();
  }
  return counts;
}

/** Time first, then the table's own total order, so every run writes the rows in one order. */
function orderOf(spec: TableSpec, first: string | undefined): string {
  const columns = [...(first ? [first] : []), ...spec.orderBy.filter((c) => c !== first)];
  return columns.map(ident).join(', ');
}

async function rowsOf(db: DuckDBConnection, sql: string): Promise<Record<string, Json>[]> {
  return (await db.runAndReadAll(sql)).getRowObjectsJson();
}

/** The monthly plan, derived from the merged tables as the sample's is from its own. */
async function writeTargets(outDir: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const db = await instance.connect();
  try {
    for (const spec of TABLES) {
      if (spec.name === 'targets') continue;
      const files = TIME_COLUMNS[spec.name]
        ? join(outDir, spec.name, '*', '*.parquet')
        : join(outDir, `${spec.name}.parquet`);
      await db.run(
        `CREATE VIEW ${ident(spec.name)} AS SELECT * FROM read_parquet(${quote(files)}, hive_partitioning = false)`,
      );
    }
    const targets = await deriveTargets({ query: (sql) => rowsOf(db, sql) });
    const staging = await StagingDatabase.open();
    try {
      const spec = tableSpec('targets');
      await staging.load(
        spec,
        targets.map((t) => [t.kpi, formatDate(t.periodStart), 'month', t.target, null]),
      );
      return await staging.copyToParquet(spec, outDir);
    } finally {
      staging.close();
    }
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}
