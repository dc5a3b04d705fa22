import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/data/dataset.ts';
import { kpiRow, kpiRows, openFixture } from '../helpers.ts';

// Fixture test/fixtures/customers: nine customers (acquired_at → churned_at, churned_at = last day).
//   C01 SMB        EU Retail   organic  U1  2025-01-10 → active
//   C02 SMB        NA Software paid     U2  2025-03-01 → 2026-10-01 (October's first day)
//   C03 Enterprise EU Software outbound U1  2025-06-15 → 2026-10-31 (October's last day)
//   C04 Enterprise NA Retail   referral U2  2026-10-01 → active     (acquired on October's first day)
//   C05 SMB        EU Retail   paid     U1  2026-10-05 → 2026-10-20 (joins and churns in October)
//   C06 Mid-Market NA Software organic  U2  2026-09-30 → 2026-11-01 (November's first day)
//   C07 Mid-Market EU Retail   paid     U1  2025-02-01 → 2026-09-30 (September's last day)
//   C08 Enterprise NA Software outbound U2  2024-11-15 → active
//   C09 SMB        EU Software referral U1  2025-05-01 → active
// Active at instant t = acquired_at < t and (churned_at NULL or churned_at >= t):
//   at 2026-07-01, 08-01, 09-01: C01 C02 C03 C07 C08 C09 (6)
//   at 2026-10-01: C01 C02 C03 C06 C08 C09 (6)   at 2026-11-01: C01 C04 C06 C08 C09 (5)
//   at 2026-12-01: C01 C04 C08 C09 (4)           at 2024-06-01: nobody
const SERIES = { start: '2026-07-01', end: '2026-11-01', grain: 'month' } as const;

describe('customer counts and retention', () => {
  let utc: Dataset;
  beforeAll(async () => {
    utc = await openFixture('customers');
  });
  afterAll(() => {
    utc.close();
  });

  describe('active_customers', () => {
    it('counts customers active at the end of the period (E)', async () => {
      // E at 2026-11-01: C01, C04 (acquired on 10-01), C06 (last day 11-01 is after the end), C08, C09.
      // C03 (last day 10-31), C02 and C05 are gone.
      expect(await kpiRow(utc, 'active_customers', '2026-10')).toMatchObject({ value: 5 });
    });

    it('gives a month-by-month series', async () => {
      // Ends 08-01, 09-01: the six of July; 10-01: C07 left (09-30), C06 joined (09-30) → 6; 11-01 → 5.
      const rows = await kpiRows(utc, 'active_customers', SERIES);
      expect(rows.map((r) => [r.period_start, r.value])).toEqual([
        ['2026-07-01', 6],
        ['2026-08-01', 6],
        ['2026-09-01', 6],
        ['2026-10-01', 5],
      ]);
    });

    it('has no data, not 0, before the data starts', async () => {
      expect(await kpiRow(utc, 'active_customers', '2024-06')).toMatchObject({
        value: null,
        coverage: 'none',
      });
    });

    it('breaks down by segment', async () => {
      // E at 11-01: Enterprise C04 C08; Mid-Market C06; SMB C01 C09.
      const rows = await kpiRows(utc, 'active_customers', '2026-10', { by: 'segment' });
      expect(rows.map((r) => [r.segment, r.value])).toEqual([
        ['Enterprise', 2],
        ['Mid-Market', 1],
        ['SMB', 2],
      ]);
    });
  });

  describe('new_customers', () => {
    it('counts acquisitions in the period, the first day included, join-and-churn included', async () => {
      // October: C04 (acquired 10-01, the first day) and C05 (joined 10-05, churned 10-20) → 2.
      expect(await kpiRow(utc, 'new_customers', '2026-10')).toMatchObject({ value: 2 });
    });

    it('gives a month-by-month series', async () => {
      // July 0, August 0, September C06 (09-30, the last day) → 1, October → 2.
      const rows = await kpiRows(utc, 'new_customers', SERIES);
      expect(rows.map((r) => r.value)).toEqual([0, 0, 1, 2]);
    });

    it('breaks down by acquisition channel, named channel', async () => {
      // October: C05 paid, C04 referral.
      const rows = await kpiRows(utc, 'new_customers', '2026-10', { by: 'channel' });
      expect(rows.map((r) => [r.channel, r.value])).toEqual([
        ['paid', 1],
        ['referral', 1],
      ]);
    });
  });

  describe('churned_customers', () => {
    it('counts customers of S whose last day falls in the period, first and last day included', async () => {
      // October S = C01 C02 C03 C06 C08 C09. C02 (10-01) and C03 (10-31) churned → 2.
      // C05 joined and churned in October: not in S, not counted. C06 (11-01) churns in November.
      expect(await kpiRow(utc, 'churned_customers', '2026-10')).toMatchObject({ value: 2 });
      // November: C06, whose last day is November's first day → 1.
      expect(await kpiRow(utc, 'churned_customers', '2026-11')).toMatchObject({ value: 1 });
    });

    it('gives a month-by-month series', async () => {
      // July 0, August 0, September C07 (09-30, the last day) → 1, October → 2.
      const rows = await kpiRows(utc, 'churned_customers', SERIES);
      expect(rows.map((r) => r.value)).toEqual([0, 0, 1, 2]);
    });

    it('breaks down by region', async () => {
      // October: C03 EU, C02 NA.
      const rows = await kpiRows(utc, 'churned_customers', '2026-10', { by: 'region' });
      expect(rows.map((r) => [r.region, r.value])).toEqual([
        ['EU', 1],
        ['NA', 1],
      ]);
    });
  });

  describe('retention_rate', () => {
    it('divides the customers of S still active at the end by S', async () => {
      // S = C01 C02 C03 C06 C08 C09 (6); still active at 11-01: C01 C06 C08 C09 → 4 / 6.
      // C04 (acquired 10-01) is not in S. The seeds' (E − N) ÷ S would give (5 − 2) / 6 = 0.5,
      // undercounting because C05 joined and churned within October.
      expect(await kpiRow(utc, 'retention_rate', '2026-10')).toMatchObject({
        value: 4 / 6,
        numerator: 4,
        denominator: 6,
      });
    });

    it('gives a month-by-month series', async () => {
      // July 6/6, August 6/6, September: S = C01 C02 C03 C07 C08 C09, C07 left 09-30 → 5/6;
      // October 4/6.
      const rows = await kpiRows(utc, 'retention_rate', SERIES);
      expect(rows.map((r) => [r.numerator, r.denominator])).toEqual([
        [6, 6],
        [6, 6],
        [5, 6],
        [4, 6],
      ]);
    });

    it('works for any grain', async () => {
      // 2026-Q4 (10-01 → 2027-01-01): S = 6 of 10-01; still active at 2027-01-01: C01 C08 C09 → 3 / 6.
      expect(await kpiRow(utc, 'retention_rate', '2026-Q4')).toMatchObject({
        value: 0.5,
        numerator: 3,
        denominator: 6,
      });
    });

    it('gives null, not 0, when nobody was active at the start', async () => {
      expect(await kpiRow(utc, 'retention_rate', '2024-06')).toMatchObject({
        value: null,
        numerator: null,
        denominator: null,
        coverage: 'none',
      });
    });

    it('breaks down by industry', async () => {
      // S: Retail C01 → kept 1/1; Software C02 C03 C06 C08 C09 → kept C06 C08 C09 = 3/5.
      const rows = await kpiRows(utc, 'retention_rate', '2026-10', { by: 'industry' });
      expect(rows.map((r) => [r.industry, r.numerator, r.denominator])).toEqual([
        ['Retail', 1, 1],
        ['Software', 3, 5],
      ]);
    });
  });

  describe('churn_rate', () => {
    it('divides the customers of S that churned in the period by S, without join-and-churn', async () => {
      // S = 6; churned C02 (first day) and C03 (last day) → 2 / 6. C05 is in neither count.
      expect(await kpiRow(utc, 'churn_rate', '2026-10')).toMatchObject({
        value: 2 / 6,
        numerator: 2,
        denominator: 6,
      });
      // November: S = C01 C04 C06 C08 C09; C06 (11-01) churned → 1 / 5.
      expect(await kpiRow(utc, 'churn_rate', '2026-11')).toMatchObject({
        value: 0.2,
        numerator: 1,
        denominator: 5,
      });
    });

    it('gives a month-by-month series', async () => {
      // July 0/6, August 0/6, September C07 → 1/6, October 2/6.
      const rows = await kpiRows(utc, 'churn_rate', SERIES);
      expect(rows.map((r) => [r.numerator, r.denominator, r.value])).toEqual([
        [0, 6, 0],
        [0, 6, 0],
        [1, 6, 1 / 6],
        [2, 6, 2 / 6],
      ]);
    });

    it('gives null, not 0, when nobody was active at the start', async () => {
      expect(await kpiRow(utc, 'churn_rate', '2024-06')).toMatchObject({
        value: null,
        numerator: null,
        denominator: null,
        coverage: 'none',
      });
    });

    it('breaks down by segment', async () => {
      // S: Enterprise C03 C08 → C03 churned 1/2; Mid-Market C06 → 0/1; SMB C01 C02 C09 → C02 1/3.
      const rows = await kpiRows(utc, 'churn_rate', '2026-10', { by: 'segment' });
      expect(rows.map((r) => [r.segment, r.numerator, r.denominator])).toEqual([
        ['Enterprise', 1, 2],
        ['Mid-Market', 0, 1],
        ['SMB', 1, 3],
      ]);
    });
  });

  // Subscriptions (ends_at, renewed):
  //   S1 C01 A product 2026-10-15 true    S2 C02 A product 2026-10-01 false (first day)
  //   S3 C03 B service 2026-10-31 true    S4 C08 B service 2026-10-20 NULL (undecided)
  //   S5 C09 A product 2026-11-01 true (November: half-open)
  //   S6 C07 B service 2026-09-30 false   S7 C08 A product 2026-12-15 NULL
  describe('renewal_rate', () => {
    it('divides renewed by decided among terms ending in the period, undecided left out', async () => {
      // October: S1 true, S2 false, S3 true → 2 / 3; S4 undecided is counted alongside only.
      expect(await kpiRow(utc, 'renewal_rate', '2026-10')).toMatchObject({
        value: 2 / 3,
        numerator: 2,
        denominator: 3,
        undecided: 1,
      });
      // November: S5 (ends 11-01, not in October) → 1 / 1.
      expect(await kpiRow(utc, 'renewal_rate', '2026-11')).toMatchObject({
        value: 1,
        numerator: 1,
        denominator: 1,
      });
    });

    it('gives null when every term ending in the period is undecided', async () => {
      // December: S7 undecided, but the data ends in November: no data, not 0 / 0.
      expect(await kpiRow(utc, 'renewal_rate', '2026-12')).toMatchObject({
        value: null,
        numerator: null,
        denominator: null,
        undecided: null,
        coverage: 'none',
      });
    });

    it('gives a month-by-month series', async () => {
      // July and August: nothing ends → null; September: S6 false → 0 / 1; October 2 / 3.
      const rows = await kpiRows(utc, 'renewal_rate', SERIES);
      expect(rows.map((r) => [r.numerator, r.denominator, r.value])).toEqual([
        [0, 0, null],
        [0, 0, null],
        [0, 1, 0],
        [2, 3, 2 / 3],
      ]);
    });

    it('breaks down by product', async () => {
      // October: A: S1 true, S2 false → 1/2; B: S3 true → 1/1, S4 undecided.
      const rows = await kpiRows(utc, 'renewal_rate', '2026-10', { by: 'product' });
      expect(rows.map((r) => [r.product, r.numerator, r.denominator, r.undecided])).toEqual([
        ['A', 1, 2, 0],
        ['B', 1, 1, 1],
      ]);
    });
  });
});
