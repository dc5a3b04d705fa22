import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/data/dataset.ts';
import { kpiRow, kpiRows, openFixture } from '../helpers.ts';

// Fixture test/fixtures/revenue-retention: subscriptions (active on day t when
// started_at <= t < coalesce(cancelled_at, ends_at); a renewal is a new row).
//   R1 SMB        B1 100 2025-11-01 → 2026-11-01 renewed, B2 100 2026-11-01 → 2027-11-01 (the renewal row)
//   R2 Enterprise E1 200 2026-01-15 → 2027-01-15, E2 150 2026-10-10 → 2027-10-10 (expansion in October)
//   R3 SMB        K1 300 2026-03-01 → 2027-03-01 cancelled 2026-10-20, K2 100 2026-03-01 → 2027-03-01
//   R4 Mid-Market H1  80 2025-10-31 → 2026-10-31 not renewed (churn in October)
//   R5 Enterprise N1 500 2026-10-05 → 2027-10-05 (new in October)
//   R6 SMB        N2  60 2026-11-01 → 2027-11-01 (starts on November's first day)
//   R7 SMB        J1  90 2026-10-03 → 2027-10-03 cancelled 2026-10-25 (joins and churns in October)
// MRR per customer:  at 07-01 … 10-01      at 11-01                 at 12-01
//   R1                100                  100 (B2; B1 ended 11-01)  100
//   R2                200                  350                       350
//   R3                400                  100 (K1 cancelled)        100
//   R4                 80                    0                         0
//   R5, R6, R7          0                  500, 60, 0                500, 60, 0
const SERIES = { start: '2026-07-01', end: '2026-11-01', grain: 'month' } as const;

describe('revenue retention from subscriptions', () => {
  let utc: Dataset;
  beforeAll(async () => {
    utc = await openFixture('revenue-retention');
  });
  afterAll(() => {
    utc.close();
  });

  describe('grr', () => {
    it('caps each customer at their starting MRR and leaves new customers out', async () => {
      // October: cohort (MRR > 0 at 10-01) R1 100, R2 200, R3 400, R4 80 → 780.
      // Capped end MRR: R1 min(100,100) = 100, R2 min(350,200) = 200 (expansion ignored),
      // R3 min(100,400) = 100, R4 0 → 400. R5 (new), R6 (starts 11-01), R7 (joined and churned) are not in it.
      expect(await kpiRow(utc, 'grr', '2026-10')).toMatchObject({
        value: 400 / 780,
        numerator: 400,
        denominator: 780,
        customers: 4,
      });
    });

    it('never exceeds 1, even where net retention does', async () => {
      // Enterprise: R2 200 → 350 → capped 200 / 200 = 1 (NRR 1.75 below); Mid-Market: R4 80 → 0 = 0;
      // SMB: R1 100 → 100, R3 400 → 100 → 200 / 500.
      const rows = await kpiRows(utc, 'grr', '2026-10', { by: 'segment' });
      expect(rows.map((r) => [r.segment, r.numerator, r.denominator, r.value])).toEqual([
        ['Enterprise', 200, 200, 1],
        ['Mid-Market', 0, 80, 0],
        ['SMB', 200, 500, 0.4],
      ]);
      for (const row of rows) expect(row.value).toBeLessThanOrEqual(1);
    });

    it('counts a renewal row as continuity, not churn, at the term boundary', async () => {
      // November: R1's B1 ends 11-01 and its renewal B2 starts 11-01, so R1 has 100 at both ends of the
      // months around the boundary. November cohort at 11-01: R1 100, R2 350, R3 100, R5 500,
      // R6 60 (started on the first day: started_at <= t) = 1110; at 12-01 the same → 1110 / 1110.
      expect(await kpiRow(utc, 'grr', '2026-11')).toMatchObject({
        value: 1,
        numerator: 1110,
        denominator: 1110,
        customers: 5,
      });
    });

    it('gives a month-by-month series', async () => {
      // July, August, September: 780 at both ends (K1 is cancelled only on 10-20, H1 ends 10-31) → 1;
      // October 400 / 780.
      const rows = await kpiRows(utc, 'grr', SERIES);
      expect(rows.map((r) => [r.period_start, r.numerator, r.denominator])).toEqual([
        ['2026-07-01', 780, 780],
        ['2026-08-01', 780, 780],
        ['2026-09-01', 780, 780],
        ['2026-10-01', 400, 780],
      ]);
    });

    it('gives null, not 0, without starting MRR', async () => {
      // No subscription is active on 2025-06-01.
      expect(await kpiRow(utc, 'grr', '2025-06')).toMatchObject({
        value: null,
        numerator: null,
        denominator: null,
        customers: null,
        coverage: 'none',
      });
    });
  });

  describe('nrr', () => {
    it('divides the starting cohort’s end MRR by its starting MRR, expansion included', async () => {
      // October: end MRR of R1..R4 = 100 + 350 + 100 + 0 = 550 (R5's 500 and R6's 60 are new) → 550 / 780.
      // Expansion R2 +150; contraction R3 300 (still has MRR); churn R4 80.
      expect(await kpiRow(utc, 'nrr', '2026-10')).toMatchObject({
        value: 550 / 780,
        numerator: 550,
        denominator: 780,
        customers: 4,
        expansion_mrr: 150,
        contraction_mrr: 300,
        churned_mrr: 80,
      });
    });

    it('exceeds 1 where expansion outweighs losses', async () => {
      // Enterprise: R2 200 → 350 → 1.75 (R5 is new, not counted); Mid-Market 0 / 80; SMB 200 / 500.
      const rows = await kpiRows(utc, 'nrr', '2026-10', { by: 'segment' });
      expect(rows.map((r) => [r.segment, r.numerator, r.denominator, r.value])).toEqual([
        ['Enterprise', 350, 200, 1.75],
        ['Mid-Market', 0, 80, 0],
        ['SMB', 200, 500, 0.4],
      ]);
    });

    it('gives a month-by-month series and null without starting MRR', async () => {
      const rows = await kpiRows(utc, 'nrr', SERIES);
      expect(rows.map((r) => r.value)).toEqual([1, 1, 1, 550 / 780]);
      expect(await kpiRow(utc, 'nrr', '2025-06')).toMatchObject({ value: null, coverage: 'none' });
    });
  });

  describe('revenue_churn', () => {
    it('is the MRR lost per customer ÷ starting MRR (1 − GRR), split into churn and contraction', async () => {
      // October: max(0, start − end): R1 0, R2 0 (its expansion offsets nothing), R3 300, R4 80 → 380 / 780
      // = 1 − 400/780. churned_mrr: R4 (0 at the end) 80; contraction_mrr: R3 300.
      const row = await kpiRow(utc, 'revenue_churn', '2026-10');
      expect(row).toMatchObject({
        numerator: 380,
        denominator: 780,
        churned_mrr: 80,
        contraction_mrr: 300,
        customers: 4,
      });
      expect(row.value).toBeCloseTo(1 - 400 / 780, 12);
    });

    it('shows no churn across a renewal boundary, month by month', async () => {
      // July–September nothing lost; October 380. November: B1 → B2 renewal, nothing lost.
      const rows = await kpiRows(utc, 'revenue_churn', SERIES);
      expect(rows.map((r) => [r.period_start, r.numerator])).toEqual([
        ['2026-07-01', 0],
        ['2026-08-01', 0],
        ['2026-09-01', 0],
        ['2026-10-01', 380],
      ]);
      expect(await kpiRow(utc, 'revenue_churn', '2026-11')).toMatchObject({ value: 0, numerator: 0 });
    });

    it('breaks down by segment and gives null without starting MRR', async () => {
      // October: Enterprise 0 / 200, Mid-Market 80 / 80 (churned), SMB 300 / 500 (contraction).
      const rows = await kpiRows(utc, 'revenue_churn', '2026-10', { by: 'segment' });
      expect(
        rows.map((r) => [r.segment, r.numerator, r.denominator, r.churned_mrr, r.contraction_mrr]),
      ).toEqual([
        ['Enterprise', 0, 200, 0, 0],
        ['Mid-Market', 80, 80, 80, 0],
        ['SMB', 300, 500, 0, 300],
      ]);
      expect(await kpiRow(utc, 'revenue_churn', '2025-06')).toMatchObject({ value: null, coverage: 'none' });
    });
  });
});

// Fixture test/fixtures/revenue-retention-renewals: terms ending around October 2026.
//   W1 P1 SMB        product 100  ends 2026-10-01 renewed     W2 P2 Enterprise product 300 ends 10-31 not renewed
//   W3 P3 SMB        service  50  ends 2026-10-15 renewed     W4 P4 Enterprise service 200 ends 10-20 undecided
//   W5 P5 Enterprise service  80  ends 2026-10-10 not renewed W6 P6 Mid-Market service  40 ends 11-01 renewed
//   W7 P1 SMB        product 1000 ends 2026-10-25 undecided   W8 P2 Enterprise service  60 ends 09-30 renewed
describe('renewal rates', () => {
  let utc: Dataset;
  beforeAll(async () => {
    utc = await openFixture('revenue-retention-renewals');
  });
  afterAll(() => {
    utc.close();
  });

  describe('mrr_renewal_rate', () => {
    it('weights renewals by MRR and leaves undecided terms out of both sums', async () => {
      // October terms: renewed W1 100 + W3 50 = 150; decided W1 100 + W2 300 + W3 50 + W5 80 = 530.
      // Undecided W4 200 + W7 1000 = 1200 shown alongside; counting them as lost would give 150 / 1730.
      // W6 ends 11-01, the next period's first day: November.
      expect(await kpiRow(utc, 'mrr_renewal_rate', '2026-10')).toMatchObject({
        value: 150 / 530,
        numerator: 150,
        denominator: 530,
        undecided_mrr: 1200,
      });
      expect(await kpiRow(utc, 'mrr_renewal_rate', '2026-11')).toMatchObject({
        value: 1,
        numerator: 40,
        denominator: 40,
      });
    });

    it('gives a month-by-month series, null when nothing was decided', async () => {
      // July, August: no term ends → null; September W8 60 / 60; October 150 / 530.
      const rows = await kpiRows(utc, 'mrr_renewal_rate', SERIES);
      expect(rows.map((r) => [r.period_start, r.numerator, r.denominator, r.value])).toEqual([
        ['2026-07-01', 0, 0, null],
        ['2026-08-01', 0, 0, null],
        ['2026-09-01', 60, 60, 1],
        ['2026-10-01', 150, 530, 150 / 530],
      ]);
    });

    it('breaks down by product type', async () => {
      // October products: W1 100 renewed, W2 300 lost (W7 undecided) → 100 / 400;
      // services: W3 50 renewed, W5 80 lost (W4 undecided) → 50 / 130.
      const rows = await kpiRows(utc, 'mrr_renewal_rate', '2026-10', { by: 'product_type' });
      expect(rows.map((r) => [r.product_type, r.numerator, r.denominator, r.undecided_mrr])).toEqual([
        ['product', 100, 400, 1000],
        ['service', 50, 130, 200],
      ]);
    });
  });

  describe('service_renewal_rate', () => {
    it('counts decided service renewals only', async () => {
      // October services: W3 renewed, W5 not, W4 undecided (left out, counted alongside) → 1 / 2.
      // The product terms W1, W2, W7 are not counted.
      expect(await kpiRow(utc, 'service_renewal_rate', '2026-10')).toMatchObject({
        value: 0.5,
        numerator: 1,
        denominator: 2,
        undecided: 1,
      });
    });

    it('gives a month-by-month series, null when no service term ended', async () => {
      // July, August: none; September W8 → 1 / 1; October 1 / 2. November: W6 (ends 11-01) → 1 / 1.
      const rows = await kpiRows(utc, 'service_renewal_rate', SERIES);
      expect(rows.map((r) => [r.numerator, r.denominator, r.value])).toEqual([
        [0, 0, null],
        [0, 0, null],
        [1, 1, 1],
        [1, 2, 0.5],
      ]);
      expect(await kpiRow(utc, 'service_renewal_rate', '2026-11')).toMatchObject({
        value: 1,
        denominator: 1,
      });
    });

    it('breaks down by segment', async () => {
      // October: Enterprise W5 lost, W4 undecided → 0 / 1; SMB W3 renewed → 1 / 1.
      const rows = await kpiRows(utc, 'service_renewal_rate', '2026-10', { by: 'segment' });
      expect(rows.map((r) => [r.segment, r.numerator, r.denominator, r.undecided])).toEqual([
        ['Enterprise', 0, 1, 1],
        ['SMB', 1, 1, 0],
      ]);
    });
  });
});

// Fixture test/fixtures/revenue-retention-clv:
//   L1 SMB 2025-01-10 → active     L2 Enterprise 2025-03-01 → 2026-06-30
//   L3 SMB 2025-05-01 → active     L4 Enterprise 2025-06-01 → active
// Orders (amount / cost):
//   O1 L1 2026-01-10 100/40   O2 L1 2026-05-10 300/100   O3 L2 2026-02-10 200/(no cost)
//   O4 L4 2026-10-31 23:30Z 400/160 (New York 19:30 on 10-31)
//   O5 L3 2025-11-01 02:00Z 100/50  (New York 2025-10-31 22:00)   O6 L3 2024-06-01 999/0
describe('clv_margin', () => {
  let utc: Dataset;
  let newYork: Dataset;
  beforeAll(async () => {
    utc = await openFixture('revenue-retention-clv');
    newYork = await openFixture('revenue-retention-clv', 'America/New_York');
  });
  afterAll(() => {
    utc.close();
    newYork.close();
  });

  it('multiplies the clv KPI by the gross margin of the same 12 months', async () => {
    // October 2026, window [2025-11-01, 2026-11-01): O1..O5 = 1100 in 5 orders from 4 customers;
    // active at 2025-11-01: L1..L4, churned within: L2 → 1/4, lifespan 4. CLV = 220 × 1.25 × 4 = 1100.
    // Margin over the orders with a cost (O1 O2 O4 O5): (900 − 350) / 900. Value = 1100 × 550/900.
    const row = await kpiRow(utc, 'clv_margin', '2026-10');
    expect(row.clv).toBeCloseTo(1100, 9);
    expect(row.gross_margin).toBeCloseTo(550 / 900, 12);
    expect(row.value).toBeCloseTo((1100 * 550) / 900, 9);
  });

  it('counts an order near midnight in the report time zone', async () => {
    // New York: O5 (2025-10-31 22:00) falls out, O4 (2026-10-31 19:30) stays: O1..O4 = 1000 in 4 orders from
    // 3 customers → CLV 1000/3 × 4; margin (800 − 300) / 800 = 0.625.
    const row = await kpiRow(newYork, 'clv_margin', '2026-10');
    expect(row.clv).toBeCloseTo(4000 / 3, 9);
    expect(row.gross_margin).toBeCloseTo(0.625, 12);
    expect(row.value).toBeCloseTo((4000 / 3) * 0.625, 9);
  });

  it('gives a month-by-month series', async () => {
    // July–September windows ([2025-08-01, 2026-08-01) … [2025-10-01, 2026-10-01)): O1 O2 O3 O5 = 700 from
    // L1 L2 L3; active 12 months before: L1..L4 (4), L2 churned → lifespan 4 → CLV 700/3 × 4 = 2800/3;
    // margin (500 − 190) / 500 = 0.62. October as above.
    const rows = await kpiRows(utc, 'clv_margin', SERIES);
    const expected = [(2800 / 3) * 0.62, (2800 / 3) * 0.62, (2800 / 3) * 0.62, (1100 * 550) / 900];
    expect(rows).toHaveLength(4);
    rows.forEach((row, i) => {
      expect(row.value).toBeCloseTo(expected[i] ?? Number.NaN, 9);
    });
  });

  it('is null when nobody churned, while the margin is still shown', async () => {
    // November 2025, window [2024-12-01, 2025-12-01): nobody was active at 2024-12-01 → no churn, CLV null.
    // O5 is the only order: margin (100 − 50) / 100.
    expect(await kpiRow(utc, 'clv_margin', '2025-11')).toMatchObject({
      value: null,
      clv: null,
      gross_margin: 0.5,
    });
  });

  it('breaks down by segment', async () => {
    // October: Enterprise O3 (200, no cost) + O4 (400/160) from L2 L4; L2 churned of L2 L4 → lifespan 2;
    // CLV 600/2 × 2 = 600, margin 240/400 = 0.6 → 360. SMB: L1 L3 never churned → CLV null; margin
    // (500 − 190) / 500 = 0.62.
    const rows = await kpiRows(utc, 'clv_margin', '2026-10', { by: 'segment' });
    expect(rows.map((r) => r.segment)).toEqual(['Enterprise', 'SMB']);
    expect(rows[0]?.value).toBeCloseTo(360, 9);
    expect(rows[0]?.gross_margin).toBeCloseTo(0.6, 12);
    expect(rows[1]).toMatchObject({ value: null, clv: null });
    expect(rows[1]?.gross_margin).toBeCloseTo(0.62, 12);
  });
});
