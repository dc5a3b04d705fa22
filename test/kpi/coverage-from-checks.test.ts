import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Dataset, openDataset } from '../../lib/data/dataset.ts';
import { datasetCoverage, kpiCoverage } from '../../lib/kpi/coverage.ts';
import { FIXTURES, TEST_NOW, testCatalog } from '../helpers.ts';

const SAMPLE = fileURLToPath(new URL('../../data/sample', import.meta.url));

/** Every KPI's coverage, read from the checks' pass and from a scan of the typed tables. */
async function bothWays(dataset: Dataset) {
  const { kpis } = await testCatalog();
  const scanned = { ...dataset, eventMinima: undefined } as Dataset;
  const fromChecks = await Promise.all(kpis.map((k) => kpiCoverage(dataset, k)));
  const fromScan = await Promise.all(kpis.map((k) => kpiCoverage(scanned, k)));
  return {
    fromChecks: [...fromChecks, await datasetCoverage(dataset)],
    fromScan: [...fromScan, await datasetCoverage(scanned)],
  };
}

// Where a KPI's history starts is read in the checks' one pass over each table: no scan of its own.
describe('coverage from the checks', () => {
  it('is what a scan of the typed tables finds, for every KPI, in a zone far from UTC', async () => {
    const dataset = await openDataset({ dataDir: SAMPLE, now: TEST_NOW, timeZone: 'Pacific/Auckland' });
    try {
      expect(dataset.eventMinima?.get('orders')?.get('ordered_at')).toBeTruthy();
      const { fromChecks, fromScan } = await bothWays(dataset);
      expect(fromChecks).toEqual(fromScan);
    } finally {
      dataset.close();
    }
  });

  it('is not used for a table with rejected rows: the earliest row may be one of them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-coverage-'));
    await cp(join(FIXTURES, 'orders-midyear'), dir, { recursive: true });
    const file = join(dir, 'orders.csv');
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    const header = (lines[0] ?? '').split(',');
    // A copy of the first order, a year earlier, with an unreadable amount: rejected.
    const row = (lines[1] ?? '').split(',');
    const at = header.indexOf('ordered_at');
    row[header.indexOf('order_id')] = 'REJECTED-1';
    row[at] = `${Number(row[at]?.slice(0, 4)) - 1}${row[at]?.slice(4)}`;
    row[header.indexOf('amount')] = 'n/a';
    await writeFile(file, `${[...lines, row.join(',')].join('\n')}\n`);
    const dataset = await openDataset({ dataDir: dir, now: TEST_NOW, allowRejects: true, cacheDir: null });
    try {
      expect(dataset.rejects.tables.find((t) => t.table === 'orders')?.rows).toBe(1);
      expect(dataset.eventMinima?.has('orders')).toBe(false);
      const { fromChecks, fromScan } = await bothWays(dataset);
      expect(fromChecks).toEqual(fromScan);
    } finally {
      dataset.close();
    }
  });
});
