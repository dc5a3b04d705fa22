import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, openDataset } from '../../lib/data/dataset.ts';
import { datasetCoverage } from '../../lib/kpi/coverage.ts';
import { createKpiMemo } from '../../lib/kpi/kpi-memo.ts';
import type { PeriodSpan } from '../../lib/kpi/period.ts';
import { runKpi } from '../../lib/kpi/run.ts';
import { dataColumns } from '../../lib/kpi/unused-joins.ts';
import { TEST_NOW, testCatalog } from '../helpers.ts';

const SAMPLE = fileURLToPath(new URL('../../data/sample', import.meta.url));
// Sums of doubles differ in the last bits with the order threads add them in.
const rounded = (rows: readonly object[]) =>
  JSON.parse(JSON.stringify(rows, (_k, v) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v)));
const month = (start: string, end: string): PeriodSpan => ({ start, end, grain: 'month' });

describe('the KPI memo', () => {
  let dataset: Dataset;
  beforeAll(async () => {
    // It counts the queries each run sends: none is read back from an earlier run's kept rows.
    dataset = await openDataset({ dataDir: SAMPLE, now: TEST_NOW, threads: 2, cacheDir: null });
  });
  afterAll(() => dataset.close());

  it('answers overlapping requests with one run each, with the rows a direct run gives', async () => {
    // What the data covers, and the columns its tables have, are read once per dataset, before
    // the KPIs (kpi/coverage.ts, kpi/unused-joins.ts).
    await datasetCoverage(dataset);
    await dataColumns(dataset.db);
    const catalog = await testCatalog();
    const { kpis } = catalog;
    const rows = dataset.db.rows.bind(dataset.db);
    let memoQueries = 0;
    const direct = createKpiMemo(dataset, (span) => span);
    // As the monthly report asks: a 12-month series and a 13-month one, each from a year earlier.
    const memo = createKpiMemo(dataset, (span) => ({ ...span, start: '2024-10-01', end: '2026-11-01' }));
    const requests = [
      month('2024-11-01', '2026-11-01'),
      month('2024-10-01', '2026-11-01'),
      month('2026-09-01', '2026-10-01'),
    ];
    for (const kpi of kpis) {
      for (const span of requests) {
        dataset.db.rows = (sql, params) => {
          memoQueries += 1;
          return rows(sql, params);
        };
        const viaMemo = await memo(kpi, { span });
        dataset.db.rows = rows;
        const expected = await runKpi(dataset, kpi, { span });
        expect(rounded(viaMemo.rows), `${kpi.id} over ${span.start}..${span.end}`).toEqual(
          rounded(expected.rows),
        );
        expect(viaMemo.rows.length > 0 || !expected.available || expected.rows.length === 0).toBe(true);
      }
    }
    // Series KPIs ran once for the three requests; those that may rank across periods once each.
    const perRequest = kpis.filter((k) => k.unit === 'table' || /\bOVER\s*\(/i.test(k.sql));
    const series = kpis.filter((k) => !perRequest.includes(k));
    expect(perRequest.length).toBeGreaterThan(0);
    // A list with `known:` asks once per dataset whether its column was exported at all.
    const probes = kpis.filter((k) => k.unit === 'table' && k.known).length;
    expect(memoQueries).toBeLessThanOrEqual(series.length + 3 * perRequest.length + probes);
    expect(memoQueries).toBeGreaterThanOrEqual(3 * perRequest.length);
    // A memo that never widens runs each request it cannot slice from an earlier one.
    let directQueries = 0;
    dataset.db.rows = (sql, params) => {
      directQueries += 1;
      return rows(sql, params);
    };
    for (const span of requests) await direct(catalog.get('revenue'), { span });
    dataset.db.rows = rows;
    expect(directQueries).toBe(2);
  }, 120_000);

  it('runs the request as asked when the widened span does not cover it', async () => {
    const catalog = await testCatalog();
    const memo = createKpiMemo(dataset, (span) => ({ ...span, start: '2026-01-01', end: '2026-02-01' }));
    const kpi = catalog.get('revenue');
    const span = month('2025-01-01', '2025-04-01');
    expect((await memo(kpi, { span })).rows).toEqual((await runKpi(dataset, kpi, { span })).rows);
  });
});
