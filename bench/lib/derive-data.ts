// Data the benchmark derives from a generated dataset: the CSV export the peers read, and the
// same company with only its last year of history (for the pruning target).

import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { TIME_COLUMNS } from '../../tools/generate-sample/scaled.ts';
import { tableFiles } from './tables.ts';

/** Tables the pandas and Node peers read. */
export const PEER_TABLES = ['customers', 'orders', 'opportunities', 'expenses', 'subscriptions', 'surveys'];
const DONE = '_done.json';
const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

type Run = (sql: string) => Promise<void>;
type Count = (select: string) => Promise<number>;

async function withDuckDb<T>(work: (run: Run, count: Count) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    return await work(
      async (sql) => {
        await connection.run(sql);
      },
      async (select) => {
        const reader = await connection.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM (${select})`);
        return Number(reader.getRowObjectsJson()[0]?.n ?? 0);
      },
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const plain = (relation: string) => relation.replace('hive_partitioning = true', 'hive_partitioning = false');

/** `<table>.csv` for the peers' tables, in the files' own order; reused when already there. */
export async function exportCsv(dataDir: string, csvDir: string): Promise<boolean> {
  if (existsSync(join(csvDir, DONE))) return false;
  await rm(csvDir, { recursive: true, force: true });
  await mkdir(csvDir, { recursive: true });
  await withDuckDb(async (run) => {
    for (const { table, relation } of tableFiles(dataDir)) {
      if (!PEER_TABLES.includes(table)) continue;
      await run(
        `COPY (SELECT * FROM ${plain(relation)}) TO ${quote(join(csvDir, `${table}.csv`))} (HEADER, DELIMITER ',')`,
      );
    }
  });
  await writeFile(join(csvDir, DONE), `${JSON.stringify({ from: dataDir })}\n`);
  return true;
}

/**
 * The same company as if its CRM had started on `cutoff`: events before it are gone, and
 * what was still live then is kept (customers not yet churned, running subscriptions, deals
 * still open, their stages and leads). Layout as the source: year folders for event tables.
 */
export async function cutHistory(dataDir: string, outDir: string, cutoff: string): Promise<boolean> {
  if (existsSync(join(outDir, DONE))) return false;
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const c = `TIMESTAMP '${cutoff}'`;
  await withDuckDb(async (run, count) => {
    const sources = new Map(tableFiles(dataDir).map((t) => [t.table, plain(t.relation)]));
    for (const [table, relation] of sources) await run(`CREATE VIEW "${table}" AS SELECT * FROM ${relation}`);
    const keptDeals = `(SELECT opportunity_id FROM opportunities WHERE created_at >= ${c} OR closed_at IS NULL OR closed_at >= ${c})`;
    const keep: Record<string, string> = {
      customers: `churned_at IS NULL OR churned_at >= ${c}`,
      subscriptions: `coalesce(cancelled_at, ends_at) IS NULL OR coalesce(cancelled_at, ends_at) >= ${c}`,
      opportunities: `created_at >= ${c} OR closed_at IS NULL OR closed_at >= ${c}`,
      opportunity_stages: `opportunity_id IN ${keptDeals}`,
      leads: `created_at >= ${c} OR lead_id IN (SELECT lead_id FROM opportunities WHERE opportunity_id IN ${keptDeals})`,
      targets: `period_start >= ${c}`,
    };
    for (const table of sources.keys()) {
      const time = TIME_COLUMNS[table as keyof typeof TIME_COLUMNS];
      const where = keep[table] ?? (time ? `"${time}" >= ${c}` : 'true');
      if (!time || !existsSync(join(dataDir, table))) {
        await run(
          `COPY (SELECT * FROM "${table}" WHERE ${where}) TO ${quote(join(outDir, `${table}.parquet`))} (FORMAT parquet, COMPRESSION zstd)`,
        );
        continue;
      }
      for (const folder of (await readdir(join(dataDir, table))).sort()) {
        const year = Number(/^year=(\d+)$/.exec(folder)?.[1]);
        if (!year) continue;
        const select = `SELECT * FROM "${table}" WHERE "${time}" >= DATE '${year}-01-01'
          AND "${time}" < DATE '${year + 1}-01-01' AND (${where})`;
        // Years with nothing left get no folder: the table starts where its history does.
        if ((await count(select)) === 0) continue;
        const dir = join(outDir, table, folder);
        await mkdir(dir, { recursive: true });
        await run(
          `COPY (${select}) TO ${quote(join(dir, 'data.parquet'))} (FORMAT parquet, COMPRESSION zstd)`,
        );
      }
    }
  });
  await writeFile(join(outDir, DONE), `${JSON.stringify({ from: dataDir, cutoff })}\n`);
  return true;
}
