import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../lib/data/database.ts';
import { type Dataset, openDataset } from '../../lib/data/dataset.ts';
import { definePeriodMacros } from '../../lib/kpi/run.ts';
import { withSharedState } from '../../lib/kpi/shared-state.ts';
import { TEST_NOW, testCatalog } from '../helpers.ts';

const SAMPLE = fileURLToPath(new URL('../../data/sample', import.meta.url));

describe('shared per-customer state (customer_mrr computed once per window)', () => {
  it('replaces only calls in code with the series parameters, keeping line numbers', async () => {
    const db = await Database.open();
    try {
      await db.runOwn(
        'CREATE TEMP TABLE subscriptions (customer_id VARCHAR, mrr DECIMAL(18,2), started_at DATE, cancelled_at DATE, ends_at DATE)',
      );
      await definePeriodMacros(db);
      const body = [
        "SELECT 'customer_mrr($start, $end, $grain)' AS s -- customer_mrr($start, $end, $grain)",
        'FROM customer_mrr($start,$end,$grain) a JOIN CUSTOMER_MRR( $start, $end, $grain ) b USING (customer_id)',
        'JOIN customer_mrr($start, $end, $grain) c USING (customer_id)',
        'JOIN customer_mrr($start, $end, "month") d USING (customer_id)',
      ].join('\n');
      const params = { start: '2026-01-01', end: '2026-04-01', grain: 'month' };
      const out = await withSharedState(db, body, params);
      expect(out.split('\n')).toHaveLength(4);
      expect(out.match(/__pulse_customer_mrr_1/g)).toHaveLength(3);
      expect(out).toContain(
        "'customer_mrr($start, $end, $grain)' AS s -- customer_mrr($start, $end, $grain)",
      );
      expect(out).toContain('customer_mrr($start, $end, "month")');
      // The same window again reads the same table; another window makes its own.
      expect(await withSharedState(db, 'FROM customer_mrr($start, $end, $grain)', params)).toBe(
        'FROM __pulse_customer_mrr_1',
      );
      expect(
        await withSharedState(db, 'FROM customer_mrr($start, $end, $grain)', { ...params, grain: 'quarter' }),
      ).toBe('FROM __pulse_customer_mrr_2');
    } finally {
      db.close();
    }
  });

  describe('on the sample, in a zone with half-hour offsets', () => {
    let dataset: Dataset;
    beforeAll(async () => {
      dataset = await openDataset({ dataDir: SAMPLE, now: TEST_NOW, timeZone: 'Asia/Kolkata', threads: 2 });
      await definePeriodMacros(dataset.db);
    });
    afterAll(() => dataset.close());

    it('gives every KPI that calls it, with each breakdown, the rows the macro gives', async () => {
      const { kpis } = await testCatalog();
      const users = kpis.filter((k) => /customer_mrr\(\$start/.test(k.sql));
      expect(users.map((k) => k.id)).toEqual(expect.arrayContaining(['nrr', 'grr', 'cac_payback_months']));
      const sorted = async (sql: string, values: Record<string, unknown>) =>
        (await dataset.db.rows(`SELECT * FROM (${sql}) ORDER BY ALL`, values as never)).map((r) =>
          JSON.stringify(r),
        );
      for (const span of [
        { start: '2024-10-01', end: '2026-11-01', grain: 'month' },
        { start: '2025-01-01', end: '2026-10-01', grain: 'quarter' },
        { start: '2026-09-28', end: '2026-11-02', grain: 'week' },
      ]) {
        for (const kpi of users) {
          const values = { ...Object.fromEntries(kpi.params.map((p) => [p.name, p.default])), ...span };
          for (const by of [undefined, ...kpi.breakdowns]) {
            const body = kpi.sql.replaceAll('{by}', by ? `(${by.expression})::VARCHAR` : 'NULL::VARCHAR');
            const shared = await withSharedState(dataset.db, body, values);
            expect(shared, kpi.id).not.toBe(body);
            const direct = await sorted(body, values);
            expect(direct.length, kpi.id).toBeGreaterThan(0);
            expect(await sorted(shared, values), `${kpi.id} by ${by?.name} ${span.grain}`).toEqual(direct);
          }
        }
      }
    }, 120_000);
  });
});
