import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableName } from '../../lib/data/contract.ts';
import { type Dataset, openDataset } from '../../lib/data/dataset.ts';
import { dataAsOf, readFreshness } from '../../lib/data/freshness.ts';
import { parseKpiFile } from '../../lib/kpi/definition.ts';
import { runKpi } from '../../lib/kpi/run.ts';
import { tablesRead } from '../../lib/kpi/tables-read.ts';
import { TEST_NOW, testCatalog } from '../helpers.ts';

const SAMPLE = fileURLToPath(new URL('../../data/sample', import.meta.url));
const span = { start: '2026-09-01', end: '2026-11-01', grain: 'month' as const };

// `pulse kpi` reads and checks only the tables its KPIs read: each must give what it gives on
// the whole export, and a table it was wrongly left without fails loudly (never an empty answer).
describe('the tables a KPI reads', () => {
  let whole: Dataset;
  beforeAll(async () => {
    whole = await openDataset({
      dataDir: SAMPLE,
      now: TEST_NOW,
      timeZone: 'America/Chicago',
      cacheDir: null,
    });
  });
  afterAll(() => whole.close());

  it('are what DuckDB reads in the SQL that runs, the macros it calls and its needs', async () => {
    const catalog = await testCatalog();
    const read = async (id: string, by?: string) =>
      [...((await tablesRead([catalog.get(id)], by)) ?? [])].sort();
    // The joins kept for breakdowns are left out of the SQL that runs without one.
    expect(await read('close_rate')).toEqual(['opportunities']);
    expect(await read('close_rate', 'rep')).toEqual(['opportunities', 'users']);
    expect(await read('csat')).toEqual(['surveys']);
    expect(await read('csat', 'channel')).toEqual(['surveys', 'tickets']);
    expect(await read('nrr')).toEqual(['subscriptions']);
    expect(await read('revenue', 'segment')).toEqual(['customers', 'orders']);
  });

  it('are named in any case, as DuckDB reads names (a table, a table macro)', async () => {
    const kpi = (body: string) => {
      const parsed = parseKpiFile(
        'queries/sales/demo.sql',
        `-- title: Demo\n-- unit: count\n-- direction: up\n-- needs: opportunities.closed_at\n${body}\n`,
      );
      if (!parsed.ok) throw new Error(parsed.errors.join('; '));
      return parsed.definition;
    };
    const read = async (body: string) =>
      [...((await tablesRead([kpi(body)], undefined, whole.db)) ?? [])].sort();
    const head =
      'SELECT p.period_start, p.period_end, count(*) AS value FROM periods($start, $end, $grain) p';
    expect(await read(`${head}, Tickets t GROUP BY ALL`)).toEqual(['opportunities', 'tickets']);
    expect(await read(`${head}, "SURVEYS" s GROUP BY ALL`)).toEqual(['opportunities', 'surveys']);
    expect(await read(`${head}, Customer_MRR($start, $end, $grain) m GROUP BY ALL`)).toEqual([
      'opportunities',
      'subscriptions',
    ]);
  });

  it('are enough for every KPI, and each breakdown reading another table: the same rows as on the whole export', async () => {
    const { kpis } = await testCatalog();
    const parser = whole.db;
    const bySet = new Map<string, { tables: Set<TableName>; runs: { id: string; by?: string }[] }>();
    for (const kpi of kpis) {
      const own = [...((await tablesRead([kpi], undefined, parser)) ?? [])].sort().join(',');
      for (const by of [undefined, ...kpi.breakdowns.map((b) => b.name)]) {
        const tables = await tablesRead([kpi], by, parser);
        expect(tables, kpi.id).toBeDefined();
        const key = [...(tables ?? [])].sort().join(',');
        // A breakdown that reads no other table runs on the same tables as the KPI itself.
        if (by && key === own) continue;
        const group = bySet.get(key) ?? { tables: tables ?? new Set(), runs: [] };
        group.runs.push({ id: kpi.id, ...(by ? { by } : {}) });
        bySet.set(key, group);
      }
    }
    for (const { tables, runs } of bySet.values()) {
      const part = await openDataset({
        dataDir: SAMPLE,
        now: TEST_NOW,
        timeZone: 'America/Chicago',
        cacheDir: null,
        tables,
      });
      try {
        expect(part.tables.map((t) => t.table).sort()).toEqual([...tables].sort());
        for (const { id, by } of runs) {
          const kpi = kpis.find((k) => k.id === id);
          if (!kpi) continue;
          const request = { span, ...(by ? { by } : {}) };
          const [got, want] = [await runKpi(part, kpi, request), await runKpi(whole, kpi, request)];
          expect(got.rows, `${id} by ${by}`).toEqual(want.rows);
        }
      } finally {
        part.close();
      }
    }
  }, 300_000);

  it('leaves the others closed: reading one fails and says why', async () => {
    const part = await openDataset({
      dataDir: SAMPLE,
      now: TEST_NOW,
      timeZone: 'America/Chicago',
      cacheDir: null,
      tables: new Set(['orders']),
    });
    try {
      expect(part.has('orders')).toBe(true);
      expect(part.has('activities')).toBe(false);
      await expect(part.db.rows('SELECT count(*) AS n FROM activities')).rejects.toThrow(
        /activities was not read for this command/,
      );
      // A filter on a column, or a join through one, fails too: never folded to an empty answer.
      for (const sql of [
        "SELECT count(*) AS n FROM activities WHERE kind = 'call'",
        "SELECT count(*) AS n FROM orders o LEFT JOIN customers c ON c.customer_id = o.customer_id WHERE c.segment = 'SMB'",
      ])
        await expect(part.db.rows(sql), sql).rejects.toThrow(/was not read for this command/);
      // The closed tables still date the export: the as-of day is the whole export's.
      const asOf = async (d: Dataset) => dataAsOf(await readFreshness(d, TEST_NOW));
      expect(await asOf(part)).toBe(await asOf(whole));
      expect((await readFreshness(part, TEST_NOW)).map((f) => f.table)).toEqual(
        (await readFreshness(whole, TEST_NOW)).map((f) => f.table),
      );
    } finally {
      part.close();
    }
  });
});
