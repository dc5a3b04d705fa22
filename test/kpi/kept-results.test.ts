// A KPI's rows are kept per version of the data and read back on a re-run: the same rows as a
// fresh run, never for other files, other SQL, another zone or scope, nor for SQL DuckDB says may
// answer differently each time.

import { appendFileSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type OpenDatasetOptions, openDataset } from '../../lib/data/dataset.ts';
import type { KpiDefinition } from '../../lib/kpi/definition.ts';
import { parsePeriod } from '../../lib/kpi/period.ts';
import { runKpi } from '../../lib/kpi/run.ts';
import { FIXTURES, TEST_NOW, testCatalog } from '../helpers.ts';

const SPAN = { ...parsePeriod('2026-10'), start: '2026-05-01' };

async function setUp() {
  const dataDir = await mkdtemp(join(tmpdir(), 'pulse-kept-data-'));
  await cp(join(FIXTURES, 'scope'), dataDir, { recursive: true });
  const cacheDir = await mkdtemp(join(tmpdir(), 'pulse-kept-'));
  return { dataDir, options: { dataDir, now: TEST_NOW, threads: 1, cacheDir } satisfies OpenDatasetOptions };
}

async function rowsOf(options: OpenDatasetOptions, kpis: readonly KpiDefinition[], by?: string) {
  const dataset = await openDataset(options);
  try {
    const out: Record<string, unknown> = {};
    for (const kpi of kpis) {
      const result = await runKpi(dataset, kpi, { span: SPAN, ...(by ? { by } : {}) });
      out[kpi.id] = result.rows;
    }
    return out;
  } finally {
    dataset.close();
  }
}

/** Every kept file of a cache folder, by path, with its text. */
async function keptFiles(cacheDir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const root = join(cacheDir, 'kpi');
  for (const version of await readdir(root).catch(() => [] as string[]))
    for (const name of await readdir(join(root, version)))
      files.set(join(root, version, name), await readFile(join(root, version, name), 'utf8'));
  return files;
}

/** Changes every kept revenue of 0 or more to -1, so rows read back are told from computed ones. */
async function tamper(files: Map<string, string>): Promise<void> {
  for (const [file, text] of files)
    await writeFile(file, text.replaceAll(/"value":"?\d+(\.\d+)?"?/g, '"value":-1'));
}

describe('kept KPI results', () => {
  it('give a re-run the rows a fresh run gives, for every KPI the data has', async () => {
    const { options } = await setUp();
    const kpis = (await testCatalog()).kpis.filter((k) => k.unit !== 'table' || k.id === 'top_customers');
    const first = await rowsOf(options, kpis);
    expect((await keptFiles(options.cacheDir)).size).toBeGreaterThan(5);
    const again = await rowsOf(options, kpis);
    const fresh = await rowsOf({ ...options, cacheDir: null }, kpis);
    expect(again).toEqual(first);
    expect(fresh).toEqual(first);
  });

  it('are read back on the same data, and not for changed files, another zone, scope or SQL', async () => {
    const { dataDir, options } = await setUp();
    const revenue = (await testCatalog()).get('revenue');
    const computed = await rowsOf(options, [revenue]);
    await tamper(await keptFiles(options.cacheDir));
    // Read back: the tampered values prove the rows came from the kept file.
    const kept = (await rowsOf(options, [revenue])).revenue as { value: number | null }[];
    const values = kept.map((r) => r.value).filter((v) => v !== null);
    expect(values.length).toBeGreaterThan(1);
    expect(values.every((v) => v === -1)).toBe(true);
    // Another zone, a scope, other SQL (an edited KPI file): computed, not read back.
    const readBack = (out: Record<string, unknown>) =>
      Object.values(out).some((rows) => (rows as { value: unknown }[]).some((r) => r.value === -1));
    expect(readBack(await rowsOf({ ...options, timeZone: 'Europe/Berlin' }, [revenue]))).toBe(false);
    expect(readBack(await rowsOf({ ...options, scope: { region: 'EMEA' } }, [revenue]))).toBe(false);
    const edited = { ...revenue, sql: `${revenue.sql}\n-- edited` };
    expect((await rowsOf(options, [edited])).revenue).toEqual(computed.revenue);
    // A changed export: computed afresh.
    const orders = join(dataDir, 'orders.csv');
    await writeFile(orders, `${(await readFile(orders, 'utf8')).trimEnd()}\n`);
    await writeFile(orders, `${await readFile(orders, 'utf8')}\n`);
    expect((await rowsOf(options, [revenue])).revenue).toEqual(computed.revenue);
  });

  it('are never kept for SQL calling a function DuckDB says may answer differently each run', async () => {
    const { options } = await setUp();
    const revenue = (await testCatalog()).get('revenue');
    // DuckDB's own macros (`ago(i)` is `current_timestamp - i`) vary as what they expand to.
    const calls = [
      'random()',
      'now()',
      'current_date',
      'localtimestamp',
      'gen_random_uuid()',
      'current_localtimestamp()',
    ];
    for (const call of [...calls, 'ago(INTERVAL 1 DAY)', 'pg_postmaster_start_time()']) {
      const varying = {
        ...revenue,
        id: 'varying',
        sql: revenue.sql.replace('SELECT', `SELECT ${call} AS drawn,`),
      };
      await rowsOf(options, [varying]);
      const files = await keptFiles(options.cacheDir);
      expect(
        [...files.values()].filter((text) => text.includes('"drawn"')),
        call,
      ).toEqual([]);
    }
    // The KPI as written is kept in the same folder.
    await rowsOf(options, [revenue]);
    expect((await keptFiles(options.cacheDir)).size).toBe(1);
  });

  it('are not kept for SQL reading a file of the data folder itself, whose edits no key sees', async () => {
    const { dataDir, options } = await setUp();
    const revenue = (await testCatalog()).get('revenue');
    const rates = join(dataDir, 'fx.csv');
    for (const read of [`read_csv('${rates}')`, `'${rates}'`]) {
      const converted = {
        ...revenue,
        sql: revenue.sql.replace('AS value', `* (SELECT rate FROM ${read}) AS value`),
      };
      await writeFile(rates, 'rate\n2\n');
      await rowsOf(options, [converted]);
      await writeFile(rates, 'rate\n3\n');
      const fresh = await rowsOf({ ...options, cacheDir: null }, [converted]);
      expect(await rowsOf(options, [converted]), read).toEqual(fresh);
    }
  });

  it('are not kept as the version of a file that changed while the run read the folder', async () => {
    const { dataDir, options } = await setUp();
    const revenue = (await testCatalog()).get('revenue');
    // The nightly export lands mid-run: orders.csv is read as it was, and is the new one after.
    const landing = (step: { stage: string; table?: string }) => {
      if (step.stage === 'read' && step.table === 'expenses')
        appendFileSync(join(dataDir, 'orders.csv'), 'O99,C1,2026-10-20T10:00:00,Core,5000.00,1.00\n');
    };
    await rowsOf({ ...options, onProgress: landing }, [revenue]);
    const fresh = await rowsOf({ ...options, cacheDir: null }, [revenue]);
    expect(await rowsOf(options, [revenue])).toEqual(fresh);
  });

  it('are not read back for a file rewritten in place with its size and modification time', async () => {
    const { dataDir, options } = await setUp();
    const revenue = (await testCatalog()).get('revenue');
    const orders = join(dataDir, 'orders.csv');
    // A copy that keeps times (cp -p, rsync -t, an archive's fixed dates) over the same file.
    const stamp = new Date('2026-11-01T00:00:00Z');
    await utimes(orders, stamp, stamp);
    await rowsOf(options, [revenue]);
    const text = await readFile(orders, 'utf8');
    await writeFile(
      orders,
      text.replace('O1,C1,2026-10-03T10:00:00,Core,1000.00', 'O1,C1,2026-10-03T10:00:00,Core,9000.00'),
    );
    await utimes(orders, stamp, stamp);
    const fresh = await rowsOf({ ...options, cacheDir: null }, [revenue]);
    expect(await rowsOf(options, [revenue])).toEqual(fresh);
  });

  it('are never kept for data whose mapping calls a function of the moment', async () => {
    const { dataDir, options } = await setUp();
    const revenue = (await testCatalog()).get('revenue');
    const mapping = join(dataDir, 'mapping.json');
    // The orders of the last two years, or none dated after the clock: other rows each day.
    for (const where of ['ordered_at::TIMESTAMP >= ago(INTERVAL 2 YEAR)', 'ordered_at::TIMESTAMP <= now()']) {
      await writeFile(mapping, JSON.stringify({ tables: { orders: { files: 'orders.csv', where } } }));
      await rowsOf({ ...options, mapping }, [revenue]);
      expect((await keptFiles(options.cacheDir)).size, where).toBe(0);
    }
  });
});
