import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/data/dataset.ts';
import { definePeriodMacros } from '../../lib/kpi/run.ts';
import { openFixture } from '../helpers.ts';

// The macros of lib/kpi/customer-sql.ts on test/fixtures/revenue-retention (its subscriptions
// are drawn in test/kpi/revenue-retention.test.ts). October 2026: start_day 10-01, end_day 11-01.
describe('the customer macros', () => {
  let dataset: Dataset;
  beforeAll(async () => {
    dataset = await openFixture('revenue-retention');
    await definePeriodMacros(dataset.db);
  });
  afterAll(() => dataset.close());

  const october = { start: '2026-10-01', end: '2026-11-01', grain: 'month' };

  it("customer_mrr: each customer's MRR on the period's first and end day", async () => {
    const rows = await dataset.db.rows(
      `SELECT customer_id, start_mrr::DOUBLE AS start_mrr, end_mrr::DOUBLE AS end_mrr
       FROM customer_mrr($start, $end, $grain) ORDER BY customer_id`,
      october,
    );
    expect(rows.map((r) => [r.customer_id, r.start_mrr, r.end_mrr])).toEqual([
      ['R1', 100, 100], // B1 ends 11-01, its renewal B2 starts 11-01
      ['R2', 200, 350], // E2 added on 10-10
      ['R3', 400, 100], // K1 cancelled 10-20
      ['R4', 80, 0], // H1 ended 10-31
      ['R5', 0, 500], // new on 10-05
      ['R6', 0, 60], // starts on the end day: started_at <= day
      ['R7', 0, 0], // joined and cancelled within October
    ]);
  });

  it('customer_mrr gives one row per period and customer', async () => {
    const rows = await dataset.db.rows(
      `SELECT strftime(period_start, '%Y-%m') AS month, count(*) AS customers, sum(end_mrr)::DOUBLE AS end_mrr
       FROM customer_mrr($start, $end, $grain) GROUP BY ALL ORDER BY 1`,
      { start: '2026-09-01', end: '2026-12-01', grain: 'month' },
    );
    expect(rows.map((r) => [r.month, Number(r.customers), r.end_mrr])).toEqual([
      ['2026-09', 4, 780],
      ['2026-10', 7, 1110],
      ['2026-11', 5, 1110], // R4 and R7 have no subscription left in November
    ]);
  });

  it('customer_active_on: acquired before the day, not churned before it', async () => {
    const active = async (day: 'start_day' | 'end_day') =>
      (
        await dataset.db.rows(
          `SELECT c.customer_id FROM periods($start, $end, $grain) p
           JOIN customers c ON customer_active_on(c.acquired_at, c.churned_at, p.${day}) ORDER BY 1`,
          october,
        )
      ).map((r) => r.customer_id);
    // R4 churned 10-30 and R7 10-24: active on 10-01 only if acquired by then; R6 is acquired on 11-01.
    expect(await active('start_day')).toEqual(['R1', 'R2', 'R3', 'R4']);
    expect(await active('end_day')).toEqual(['R1', 'R2', 'R3', 'R5']);
  });

  it('subscription_active_on: started by the day, not yet cancelled or ended', async () => {
    const at = async (day: string, cancelled: string | null = null) =>
      (
        await dataset.db.rows(
          `SELECT subscription_active_on(DATE '2026-10-01', $cancelled::DATE, DATE '2026-11-01', $day::DATE) AS on`,
          { cancelled, day },
        )
      )[0]?.on;
    expect(await at('2026-10-01')).toBe(true);
    expect(await at('2026-09-30')).toBe(false);
    expect(await at('2026-10-31')).toBe(true);
    expect(await at('2026-11-01')).toBe(false);
    expect(await at('2026-10-20', '2026-10-20')).toBe(false);
    expect(await at('2026-10-19', '2026-10-20')).toBe(true);
  });
});
