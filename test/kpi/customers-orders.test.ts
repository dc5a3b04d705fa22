import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/data/dataset.ts';
import { kpiRow, kpiRows, openFixture } from '../helpers.ts';

// Fixture test/fixtures/customers (customers as described in customers.test.ts):
//   C01 SMB 2025-01-10 → active        C02 SMB 2025-03-01 → 2026-10-01
//   C03 Ent 2025-06-15 → 2026-10-31    C06 MM  2026-09-30 → 2026-11-01
//   C07 MM  2025-02-01 → 2026-09-30    C08 Ent 2024-11-15 → active
//   C09 SMB 2025-05-01 → active        (C04, C05 joined in October 2026)
// Orders (UTC instants; in New York, EDT = UTC−4 until 2026-11-01 06:00Z):
//   R1 C01 2025-11-01 02:00Z A 100  (New York: 2025-10-31 22:00)
//   R2 C01 2026-01-15 B 200         R3 C01 2026-10-20 A 300     R4 C02 2026-03-10 A 400
//   R5 C08 2025-06-10 A 100         R7 C06 2026-10-05 B 100     R8 C09 2026-08-01 12:00Z B 100
//   R6 C09 2026-11-01 02:30Z B 200  (New York: 2026-10-31 22:30)
// Expenses: retention 2026-10-01 300, service 2026-10-31 300, marketing 2026-10-15 1000,
//   retention 2026-11-01 500, service 2026-09-30 200, retention 2024-06-15 50.
const SERIES = { start: '2026-07-01', end: '2026-11-01', grain: 'month' } as const;

describe('order-based customer KPIs', () => {
  let utc: Dataset;
  let newYork: Dataset;
  beforeAll(async () => {
    utc = await openFixture('customers');
    newYork = await openFixture('customers', 'America/New_York');
  });
  afterAll(() => {
    utc.close();
    newYork.close();
  });

  describe('clv', () => {
    it('multiplies order value, yearly frequency and lifespan over the 12 months to the end', async () => {
      // October 2026, window [2025-11-01, 2026-11-01): R1 R2 R3 R4 R7 R8 = 1200 in 6 orders from
      // C01 C02 C06 C09 → avg order 200, 1.5 orders per customer.
      // Active at 2025-11-01: C01 C02 C03 C07 C08 C09 (6); churned within the window: C02, C03 (10-31),
      // C07 → 3/6 = 0.5, lifespan 2 years. CLV = 200 × 1.5 × 2 = 600.
      const row = await kpiRow(utc, 'clv', '2026-10');
      expect(row.value).toBeCloseTo(600, 9);
      expect(row.avg_order_value).toBeCloseTo(200, 9);
      expect(row.purchase_frequency).toBeCloseTo(1.5, 9);
      expect(row.annual_churn).toBeCloseTo(0.5, 9);
      expect(row.lifespan_years).toBeCloseTo(2, 9);
    });

    it('counts an order near midnight in the report time zone', async () => {
      // New York, window [2025-11-01 00:00 EDT, 2026-11-01 00:00 EDT): R1 (2025-10-31 22:00) falls out,
      // R6 (2026-10-31 22:30) comes in: R2 R3 R4 R7 R8 R6 = 1300 in 6 orders from C01 C02 C06 C09
      // → 1300/6 × 6/4 × 2 = 650. The churn cohort (dates) is the same: 0.5.
      const row = await kpiRow(newYork, 'clv', '2026-10');
      expect(row.value).toBeCloseTo(650, 9);
      expect(row.avg_order_value).toBeCloseTo(1300 / 6, 9);
      expect(row.purchase_frequency).toBeCloseTo(1.5, 9);
      expect(row.annual_churn).toBeCloseTo(0.5, 9);
    });

    it('is null when nobody churned in the 12 months (unbounded lifespan)', async () => {
      // November 2025, window [2024-12-01, 2025-12-01): active at 2024-12-01: C08 only, still active
      // → churn 0/1 = 0. Orders R5 (C08, 100) and R1 (C01, 100) → avg 100, frequency 1.
      expect(await kpiRow(utc, 'clv', '2025-11')).toMatchObject({
        value: null,
        avg_order_value: 100,
        purchase_frequency: 1,
        annual_churn: 0,
        lifespan_years: null,
      });
    });

    it('gives a month-by-month series', async () => {
      // July: cohort at 2025-08-01 = 6, nobody churned by 2026-08-01 → null.
      // August: cohort at 2025-09-01 = 6, nobody churned by 2026-09-01 → null.
      // September: window [2025-10-01, 2026-10-01): R1 R2 R4 R8 = 800, 3 customers; cohort at
      //   2025-10-01 = 6, C07 churned (09-30) → 1/6, lifespan 6 → 800/3 × 6 = 1600.
      // October: 600.
      const rows = await kpiRows(utc, 'clv', SERIES);
      expect(rows.map((r) => r.annual_churn)).toEqual([0, 0, 1 / 6, 0.5]);
      expect(rows.map((r) => (r.value === null ? null : Math.round(r.value * 1e6) / 1e6))).toEqual([
        null,
        null,
        1600,
        600,
      ]);
    });

    it('breaks down by segment, keeping segments with a churn cohort but no orders', async () => {
      // October. Enterprise: no orders; cohort C03 C08, C03 churned → churn 0.5, no value.
      // Mid-Market: R7 (C06) 100, 1 customer; cohort C07, churned → churn 1, lifespan 1 → 100.
      // SMB: R1 R2 R3 R4 R8 = 1100 in 5 orders from C01 C02 C09; cohort C01 C02 C09, C02 churned
      //   → 1/3, lifespan 3 → 220 × 5/3 × 3 = 1100.
      const rows = await kpiRows(utc, 'clv', '2026-10', { by: 'segment' });
      expect(rows.map((r) => r.segment)).toEqual(['Enterprise', 'Mid-Market', 'SMB']);
      expect(rows[0]).toMatchObject({ value: null, avg_order_value: null, annual_churn: 0.5 });
      expect(rows[1]?.value).toBeCloseTo(100, 9);
      expect(rows[1]).toMatchObject({ annual_churn: 1, lifespan_years: 1 });
      expect(rows[2]?.value).toBeCloseTo(1100, 9);
      expect(rows[2]?.avg_order_value).toBeCloseTo(220, 9);
      expect(rows[2]?.purchase_frequency).toBeCloseTo(5 / 3, 9);
      expect(rows[2]?.lifespan_years).toBeCloseTo(3, 9);
    });
  });

  describe('repeat_purchase_rate', () => {
    it('divides customers with 2+ orders by customers with 1+ over the 12 months to the end', async () => {
      // October UTC, window [2025-11-01, 2026-11-01): C01 R1 R2 R3 (3), C02 R4, C06 R7, C09 R8 → 1 / 4.
      expect(await kpiRow(utc, 'repeat_purchase_rate', '2026-10')).toMatchObject({
        value: 0.25,
        numerator: 1,
        denominator: 4,
      });
    });

    it('counts an order near midnight in the report time zone', async () => {
      // New York: R1 falls before the window, R6 (2026-10-31 22:30) into it: C01 R2 R3 (2), C02 (1),
      // C06 (1), C09 R8 R6 (2) → 2 / 4.
      expect(await kpiRow(newYork, 'repeat_purchase_rate', '2026-10')).toMatchObject({
        value: 0.5,
        numerator: 2,
        denominator: 4,
      });
    });

    it('gives a month-by-month series', async () => {
      // July, window [2025-08-01, 2026-08-01): C01 R1 R2, C02 R4 → 1/2 (R8 at 08-01 is August's).
      // August [2025-09-01, 2026-09-01): C01 ×2, C02, C09 → 1/3. September: same orders → 1/3. October 1/4.
      const rows = await kpiRows(utc, 'repeat_purchase_rate', SERIES);
      expect(rows.map((r) => [r.numerator, r.denominator])).toEqual([
        [1, 2],
        [1, 3],
        [1, 3],
        [1, 4],
      ]);
    });

    it('gives null when nobody ordered', async () => {
      // 2024-06, window [2023-07-01, 2024-07-01): no orders.
      expect(await kpiRow(utc, 'repeat_purchase_rate', '2024-06')).toMatchObject({
        value: null,
        numerator: null,
        denominator: null,
        coverage: 'none',
      });
    });

    it('breaks down by product: repeat buyers of that product', async () => {
      // October UTC. A: C01 R1 R3 (2), C02 R4 (1) → 1/2. B: C01 R2, C06 R7, C09 R8, one each → 0/3.
      const rows = await kpiRows(utc, 'repeat_purchase_rate', '2026-10', { by: 'product' });
      expect(rows.map((r) => [r.product, r.numerator, r.denominator])).toEqual([
        ['A', 1, 2],
        ['B', 0, 3],
      ]);
    });
  });

  describe('retention_cost_per_customer', () => {
    it('divides retention and service expenses in the period by S, revenue per retained alongside', async () => {
      // October: retention 300 (10-01) + service 300 (10-31) = 600; marketing and the 11-01 spend
      // are out. S = C01 C02 C03 C06 C08 C09 = 6 → 100.
      // Retained (S still active at 11-01): C01 C06 C08 C09 = 4; their October orders R3 300 + R7 100
      // = 400 → 100 per retained customer.
      expect(await kpiRow(utc, 'retention_cost_per_customer', '2026-10')).toMatchObject({
        value: 100,
        numerator: 600,
        denominator: 6,
        retained_customers: 4,
        retained_revenue: 400,
        revenue_per_retained_customer: 100,
      });
    });

    it('counts an order near midnight in the report time zone', async () => {
      // New York: R6 (C09, retained) is on 2026-10-31 22:30 → 300 + 100 + 200 = 600 / 4 = 150;
      // November loses it: retained C01 C04 C08 C09, no orders → 0.
      expect(await kpiRow(newYork, 'retention_cost_per_customer', '2026-10')).toMatchObject({
        value: 100,
        retained_revenue: 600,
        revenue_per_retained_customer: 150,
      });
      expect(await kpiRow(newYork, 'retention_cost_per_customer', '2026-11')).toMatchObject({
        retained_customers: 4,
        retained_revenue: 0,
        revenue_per_retained_customer: 0,
      });
      // UTC November: retention 500 (11-01) / S 5 = 100; R6 200 / 4 retained = 50.
      expect(await kpiRow(utc, 'retention_cost_per_customer', '2026-11')).toMatchObject({
        value: 100,
        numerator: 500,
        denominator: 5,
        revenue_per_retained_customer: 50,
      });
    });

    it('gives a month-by-month series, 0 when nothing was spent', async () => {
      // July 0/6, August 0/6, September service 200 (09-30) / 6, October 600/6.
      // Revenue per retained: July 0/6; August R8 100 / 6; September 0/5 (C07 left); October 400/4.
      const rows = await kpiRows(utc, 'retention_cost_per_customer', SERIES);
      expect(rows.map((r) => [r.numerator, r.denominator, r.value])).toEqual([
        [0, 6, 0],
        [0, 6, 0],
        [200, 6, 200 / 6],
        [600, 6, 100],
      ]);
      expect(rows.map((r) => [r.retained_customers, r.retained_revenue])).toEqual([
        [6, 0],
        [6, 100],
        [5, 0],
        [4, 400],
      ]);
    });

    it('gives null when nobody was active at the start, even with spending', async () => {
      // 2024-06: retention 50 spent, S = 0 → null; no retained customers → null alongside.
      expect(await kpiRow(utc, 'retention_cost_per_customer', '2024-06')).toMatchObject({
        value: null,
        numerator: null,
        denominator: null,
        retained_customers: null,
        revenue_per_retained_customer: null,
        coverage: 'none',
      });
    });
  });
});
