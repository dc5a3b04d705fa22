// A smoke test of the benchmark's parts at a toy scale (the benchmark itself is `npm run
// bench`, never part of the tests): the scaled generator's layout is a valid data folder, the
// CSV export and the hand-written Node peer agree with our KPIs, and a child process is measured.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHeadline } from '../../bench/contenders/headline-node.ts';
import { exportCsv } from '../../bench/lib/derive-data.ts';
import { compareHeadline, HEADLINE_TEN, type HeadlineValues } from '../../bench/lib/headline.ts';
import { measure } from '../../bench/lib/measure.ts';
import { openDataset } from '../../lib/data/dataset.ts';
import { readCatalog } from '../../lib/kpi/catalog.ts';
import { parsePeriod } from '../../lib/kpi/period.ts';
import { runKpi } from '../../lib/kpi/run.ts';
import { SAMPLE_DATA_DIR, TOOLKIT_ROOT } from '../../lib/paths.ts';
import { generateScaled, parseScale, scaleLabel } from '../../tools/generate-sample/scaled.ts';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'crm-pulse-bench-test-'));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('scales', () => {
  it('reads and names row counts', () => {
    expect(parseScale('10M')).toBe(10_000_000);
    expect(parseScale('1.5m')).toBe(1_500_000);
    expect(parseScale('250k')).toBe(250_000);
    expect(parseScale('2000000')).toBe(2_000_000);
    expect(() => parseScale('ten')).toThrow(/not a row count/);
    expect(scaleLabel(10_000_000)).toBe('10M');
    expect(scaleLabel(250_000)).toBe('250k');
  });
});

describe('scaled generator', () => {
  it('writes year folders sorted by time that the loader reads as one valid table each', async () => {
    const out = join(root, 'scaled');
    const result = await generateScaled({ seed: 3, outDir: out, rows: 2_000, jobs: 0 });
    expect(result.divisions).toBe(1);
    expect(existsSync(join(out, '_generated.json'))).toBe(true);
    expect((await readdir(join(out, 'orders'))).sort()).toEqual(['year=2024', 'year=2025', 'year=2026']);
    const dataset = await openDataset({ dataDir: out, now: '2026-11-01T00:00:00Z' });
    try {
      expect(dataset.problems.filter((p) => p.severity === 'error')).toEqual([]);
      const [row] = await dataset.db.rows(
        `SELECT count(*)::INTEGER AS n, min(customer_id) AS first FROM customers`,
      );
      expect(row?.n).toBe(result.counts.find((c) => c.table === 'customers')?.rows);
      expect(String(row?.first)).toMatch(/^C01-\d{5}$/);
      const [unsorted] = await dataset.db.rows(
        `SELECT count(*)::INTEGER AS n FROM (
           SELECT ordered_at < lag(ordered_at) OVER (ORDER BY file_row_number) AS back
           FROM read_parquet($file, file_row_number = true)) WHERE back`,
        { file: join(out, 'orders', 'year=2025', 'data.parquet') },
      );
      expect(unsorted?.n).toBe(0);
    } finally {
      dataset.close();
    }
  });
});

describe('peers', () => {
  it('the hand-written Node script gives our ten headline numbers from the CSV export', async () => {
    const csv = join(root, 'csv');
    await exportCsv(SAMPLE_DATA_DIR, csv);
    const span = parsePeriod('2026-10');
    const theirs = await nodeHeadline(csv, span.start, span.end);
    const catalog = await readCatalog();
    const dataset = await openDataset({ dataDir: SAMPLE_DATA_DIR, now: '2026-11-01T00:00:00Z' });
    const ours: HeadlineValues = {};
    try {
      for (const id of HEADLINE_TEN) {
        const result = await runKpi(dataset, catalog.get(id), { span });
        ours[id] = result.rows[0]?.value ?? null;
      }
    } finally {
      dataset.close();
    }
    expect(Object.values(ours).every((v) => v !== null)).toBe(true);
    expect(compareHeadline(ours, theirs)).toEqual([]);
  });
});

describe('measure', () => {
  it('the exact-key floor finds a repeated key and a missing reference, and only those', async () => {
    const data = join(root, 'keys');
    await mkdir(data);
    await writeFile(
      join(data, 'customers.csv'),
      'customer_id,acquired_at\nC1,2026-01-01\nC2,2026-01-02\nC1,2026-01-03\n',
    );
    await writeFile(
      join(data, 'orders.csv'),
      'order_id,customer_id,ordered_at,amount\nO1,C1,2026-10-01,1\nO2,C9,2026-10-02,2\nO3,C2,2026-10-03,3\n',
    );
    const m = await measure(
      process.execPath,
      ['--import', 'tsx', 'bench/contenders/key-floor.ts', '--data', data],
      { cwd: TOOLKIT_ROOT },
    );
    const checks = (m.result as { checks: { check: string; found: number }[] }).checks;
    expect(Object.fromEntries(checks.map((c) => [c.check, c.found]))).toEqual({
      'customers key hashes': 0,
      'customers repeated keys': 1,
      'orders repeated keys': 0,
      'orders.customer_id in customers': 1,
    });
  });

  it('times a child process, reads its JSON and its peak memory', async () => {
    const m = await measure(
      process.execPath,
      ['-e', 'const a = Buffer.alloc(64 * 1024 * 1024, 1); console.log(JSON.stringify({ n: a[5] }))'],
      { cwd: root },
    );
    expect(m.result).toEqual({ n: 1 });
    expect(m.wall_ms).toBeGreaterThan(0);
    expect(m.peak_kb).toBeGreaterThan(64 * 1024);
  });
});
