// Generates the sample CRM dataset of Northwind Analytics (see data/README.md):
//
//   npx tsx data/generate.ts [--seed 42] [--out data/sample] [--customers 5000]
//
// Same seed, same options: byte-identical Parquet files.

import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { formatDate } from './generate/calendar.ts';
import { TABLES, tableSpec } from './generate/schema.ts';
import { buildTableRows } from './generate/tables.ts';
import { deriveTargets } from './generate/targets.ts';
import { buildWorld } from './generate/world.ts';
import { StagingDatabase } from './generate/write-parquet.ts';

export interface GenerateOptions {
  readonly seed: number;
  /** Folder that receives one `<table>.parquet` per contract table. */
  readonly outDir: string;
  /** Rows in the customers table; everything else scales with it. */
  readonly customers: number;
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
  const rows = buildTableRows(buildWorld({ seed: options.seed, customers: options.customers }));

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
const DEFAULT_OUT = fileURLToPath(new URL('./sample', import.meta.url));

function parseCli(argv: readonly string[]): GenerateOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      seed: { type: 'string', default: '42' },
      out: { type: 'string', default: DEFAULT_OUT },
      customers: { type: 'string', default: '5000' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'usage: npx tsx data/generate.ts [--seed 42] [--out data/sample] [--customers 5000]\n',
    );
    process.exit(0);
  }
  return { seed: Number(values.seed), outDir: resolve(values.out), customers: Number(values.customers) };
}

async function main(): Promise<void> {
  const options = parseCli(process.argv.slice(2));
  const started = performance.now();
  const counts = await generateSample(options);
  for (const { table, rows } of counts)
    process.stdout.write(`${table.padEnd(20)} ${String(rows).padStart(8)}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `wrote ${counts.length} tables to ${options.outDir} in ${seconds} s (seed ${options.seed})\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`generate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
