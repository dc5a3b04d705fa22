// Generates the sample CRM dataset of Northwind Analytics (see data/README.md):
//
//   npx tsx tools/generate-sample.ts [--seed 42] [--out data/sample] [--customers 5000] [--years 2]
//
// Same seed, same options: byte-identical Parquet files. For benchmarks, the same company at
// scale, as time-partitioned Parquet (outside the repository by default):
//
//   npx tsx tools/generate-sample.ts --scale 10M [--years 4] [--out /tmp/crm-pulse-bench/10M] [--jobs 2]

import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { formatDate } from './generate-sample/calendar.ts';
import { generateScaled, parseScale, scaleLabel } from './generate-sample/scaled.ts';
import { TABLES, tableSpec } from './generate-sample/schema.ts';
import { buildTableRows } from './generate-sample/tables.ts';
import { deriveTargets } from './generate-sample/targets.ts';
import { buildWorld } from './generate-sample/world.ts';
import { StagingDatabase } from './generate-sample/write-parquet.ts';

export interface GenerateOptions {
  readonly seed: number;
  /** Folder that receives one `<table>.parquet` per contract table. */
  readonly outDir: string;
  /** Rows in the customers table; everything else scales with it. */
  readonly customers: number;
  /** Years of reported months ending 2026-10-31 (default 2); longer histories add earlier wins. */
  readonly years?: number;
}

export interface TableCount {
  readonly table: string;
  readonly rows: number;
}

export async function generateSample(options: GenerateOptions): Promise<TableCount[]> {
  if (!Number.isInteger(options.seed)) throw new Error(`seed must be an integer, got ${options.seed}`);
  if (!Number.isInteger(options.customers) || options.customers < 50) {
    throw new Error(`customers must be an integer of at least 50, got ${options.customers}`);
  }
  // 1. Simulate the company, then turn it into rows.
  const rows = buildTableRows(
    buildWorld({
      seed: options.seed,
      customers: options.customers,
      ...(options.years === undefined ? {} : { years: options.years }),
    }),
  );

  // 2. Load the rows into DuckDB; the targets are derived from what the data achieves.
  const db = await StagingDatabase.open();
  try {
    for (const spec of TABLES) if (spec.name !== 'targets') await db.load(spec, rows[spec.name]);
    const targets = await deriveTargets(db);
    await db.load(
      tableSpec('targets'),
      targets.map((t) => [t.kpi, formatDate(t.periodStart), 'month', t.target, null]),
    );

    // 3. Write one Parquet file per table.
    await mkdir(options.outDir, { recursive: true });
    const counts: TableCount[] = [];
    for (const spec of TABLES)
      counts.push({ table: spec.name, rows: await db.copyToParquet(spec, options.outDir) });
    return counts;
  } finally {
    db.close();
  }
}

/** The embedded sample, next to this script whatever the working directory. */
const DEFAULT_OUT = fileURLToPath(new URL('../data/sample', import.meta.url));
/** Scaled datasets go outside the repository: they are large and never committed. */
const BENCH_ROOT = '/tmp/crm-pulse-bench';

const USAGE = `usage: npx tsx tools/generate-sample.ts [--seed 42] [--out data/sample] [--customers 5000] [--years 2]
       npx tsx tools/generate-sample.ts --scale 10M [--years 2] [--seed 42] [--out ${BENCH_ROOT}/10M] [--jobs N]
         [--row-group-size 122880]
  --scale N   rows over all tables (1M, 10M, 50M): the sample's company as N/0.56M divisions,
              event tables split by year (<table>/year=YYYY/data.parquet), sorted by time
  --years Y   years of reported months ending 2026-10-31 (default 2)
`;

type Cli =
  | { readonly kind: 'sample'; readonly options: GenerateOptions }
  | {
      readonly kind: 'scaled';
      readonly options: Parameters<typeof generateScaled>[0];
    };

function parseCli(argv: readonly string[]): Cli {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      seed: { type: 'string', default: '42' },
      out: { type: 'string' },
      customers: { type: 'string', default: '5000' },
      years: { type: 'string' },
      scale: { type: 'string' },
      jobs: { type: 'string' },
      'row-group-size': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const seed = Number(values.seed);
  const years = values.years === undefined ? undefined : Number(values.years);
  if (values.scale === undefined) {
    return {
      kind: 'sample',
      options: {
        seed,
        outDir: resolve(values.out ?? DEFAULT_OUT),
        customers: Number(values.customers),
        ...(years === undefined ? {} : { years }),
      },
    };
  }
  const rows = parseScale(values.scale);
  const label = `${scaleLabel(rows)}${years !== undefined && years !== 2 ? `-${years}y` : ''}`;
  const outDir = resolve(values.out ?? `${BENCH_ROOT}/${label}`);
  if (outDir === DEFAULT_OUT) throw new Error('--scale never writes into data/sample; give another --out');
  return {
    kind: 'scaled',
    options: {
      seed,
      outDir,
      rows,
      ...(years === undefined ? {} : { years }),
      ...(values.jobs === undefined ? {} : { jobs: Number(values.jobs) }),
      ...(values['row-group-size'] === undefined ? {} : { rowGroupSize: Number(values['row-group-size']) }),
      log: (line: string) => process.stderr.write(`${line}\n`),
    },
  };
}

async function main(): Promise<void> {
  const cli = parseCli(process.argv.slice(2));
  const started = performance.now();
  const counts: readonly TableCount[] =
    cli.kind === 'sample' ? await generateSample(cli.options) : (await generateScaled(cli.options)).counts;
  for (const { table, rows } of counts)
    process.stdout.write(`${table.padEnd(20)} ${String(rows).padStart(11)}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const total = counts.reduce((n, c) => n + c.rows, 0);
  process.stdout.write(
    `wrote ${counts.length} tables (${total} rows) to ${cli.options.outDir} in ${seconds} s (seed ${cli.options.seed})\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`generate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
