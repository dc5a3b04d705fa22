import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/data/dataset.ts';
import type { KpiRow } from '../../lib/kpi/run.ts';
import { kpiRows, openFixture } from '../helpers.ts';

const pick = (rows: KpiRow[], ...keys: string[]) => rows.map((r) => keys.map((k) => r[k]));

// Fixture test/fixtures/segments, period October 2026 (end day 2026-11-01, 12 months [2025-11-01, 2026-11-01)).
// Active at the end: T1..T7 (T8's last day 10-31 and T9 acquired 11-01 are not).
//   tenure = date_diff('month', acquired_at, 2026-11-01); margin = Σ (amount − cost) of orders with a cost.
//   T1 2024-11-20 → 24   O1 500/200                        revenue 500  margin 300
//   T2 2025-11-15 → 12   O2 150/50, O3 80/(no cost)         revenue 230  margin 100
//   T3 2025-03-05 → 20   O4 100/120                        revenue 100  margin −20
//   T4 2026-08-10 →  3   O5 200/100 at 2026-10-31 23:30Z    revenue 200  margin 100 (Berlin: 11-01 00:30, out)
//   T5 2025-11-01 → 12   no orders                         revenue   0  margin   0
//   T6 2026-10-31 →  1   O6 300/50 on 2026-10-31            revenue 300  margin 250
//   T7 2026-05-20 →  6   O7 90/50 (O8 2025-10-15 is older)  revenue  90  margin  40
//   T8 churned 2026-10-31: O9 700/100 not counted.
// Medians: tenure [1 3 6 12 12 20 24] → 12, margin [−20 0 40 100 100 250 300] → 100; ties go to long / high.
//   true_friends T1 (24, 300), T2 (12 tie, 100 tie)   butterflies T4 (3, 100 tie), T6 (1, 250)
//   barnacles    T3 (20, −20), T5 (12 tie, 0)         strangers   T7 (6, 40)
// Totals: 7 customers, revenue 1420, margin 770.
describe('relationship_groups', () => {
  let utc: Dataset;
  let berlin: Dataset;
  beforeAll(async () => {
    utc = await openFixture('segments');
    berlin = await openFixture('segments', 'Europe/Berlin');
  });
  afterAll(() => {
    utc.close();
    berlin.close();
  });

  it('splits the active customers at the medians, ties to long term and high profit', async () => {
    const rows = await kpiRows(utc, 'relationship_groups', '2026-10');
    expect(
      pick(rows, 'group', 'customers', 'revenue', 'margin', 'tenure_split_months', 'margin_split'),
    ).toEqual([
      ['true_friends', 2, 730, 400, 12, 100],
      ['butterflies', 2, 500, 350, 12, 100],
      ['barnacles', 2, 100, -20, 12, 100],
      ['strangers', 1, 90, 40, 12, 100],
    ]);
    // Shares of the 7 customers, 1420 revenue and 770 margin.
    const tf = rows[0];
    expect(tf?.customer_share).toBeCloseTo(2 / 7, 12);
    expect(tf?.revenue_share).toBeCloseTo(730 / 1420, 12);
    expect(tf?.margin_share).toBeCloseTo(400 / 770, 12);
    expect(rows[2]?.margin_share).toBeCloseTo(-20 / 770, 12);
    expect(rows.every((r) => r.period_start === '2026-10-01' && r.period_end === '2026-11-01')).toBe(true);
  });

  it('gives the recommended action of each group', async () => {
    const rows = await kpiRows(utc, 'relationship_groups', '2026-10');
    const action = Object.fromEntries(rows.map((r) => [r.group, r.action]));
    expect(action.true_friends).toMatch(/^Reward and keep/);
    expect(action.butterflies).toMatch(/^Enjoy them while they last/);
    expect(action.barnacles).toMatch(/sell to them more often/);
    expect(action.strangers).toMatch(/^Do not invest/);
  });

  it('uses configured splits and keeps empty groups with zero counts', async () => {
    // tenure_split_months 100 → everyone is short term; margin_split 0 → margin >= 0 is high:
    // butterflies T1 T2 T4 T5 (0, a tie) T6 T7 = 6, revenue 1320, margin 790; strangers T3.
    const rows = await kpiRows(utc, 'relationship_groups', '2026-10', {
      params: { tenure_split_months: '100', margin_split: '0' },
    });
    expect(pick(rows, 'group', 'customers', 'revenue', 'margin', 'customer_share')).toEqual([
      ['true_friends', 0, 0, 0, 0],
      ['butterflies', 6, 1320, 790, 6 / 7],
      ['barnacles', 0, 0, 0, 0],
      ['strangers', 1, 100, -20, 1 / 7],
    ]);
    expect(rows[0]).toMatchObject({ tenure_split_months: 100, margin_split: 0 });
  });

  it('reckons the 12 months in the report time zone', async () => {
    // Berlin: O5 (T4) falls on 2026-11-01 00:30 local → out; T4 margin 0, revenue 0.
    // Margins [−20 0 0 40 100 250 300] → median 40: T7 (40, a tie) becomes high profit.
    // true_friends T1 T2; butterflies T6 (1, 250), T7 (6, 40); barnacles T3 T5; strangers T4 (3, 0).
    const rows = await kpiRows(berlin, 'relationship_groups', '2026-10');
    expect(pick(rows, 'group', 'customers', 'revenue', 'margin', 'margin_split')).toEqual([
      ['true_friends', 2, 730, 400, 40],
      ['butterflies', 2, 390, 290, 40],
      ['barnacles', 2, 100, -20, 40],
      ['strangers', 1, 0, 0, 40],
    ]);
  });

  it('gives no data for the periods before the orders start, even with customers', async () => {
    const rows = await kpiRows(utc, 'relationship_groups', {
      start: '2023-12-01',
      end: '2024-02-01',
      grain: 'month',
    });
    // December 2023: no customer yet. January 2024: T8 (acquired 2024-01-10) is active, but the
    // orders start 2025-10-15: T8 at $0 margin would be a group made of no data. One row each.
    expect(rows).toEqual(
      ['2023-12-01', '2024-01-01'].map((start) =>
        expect.objectContaining({
          period_start: start,
          coverage: 'none',
          coverage_note: expect.stringMatching(
            /the data starts 2025-10-15 \(the first ordered_at in orders\)$/,
          ),
        }),
      ),
    );
  });
});

// Fixture test/fixtures/segments-cohorts (acquired_at → churned_at, the last day):
//   2026-07 cohort: K1 07-05 → active, K2 07-20 → 07-31, K3 07-31 → 08-01, K4 07-10 → 09-15
//   2026-08 cohort: K5 08-01 → active, K6 08-15 → 10-31
//   2026-10 cohort: K7 10-01 → active, K8 10-20 → 10-25 (joins and churns in its month)
//   2026-11: K9 11-01.   2025-10: K10 2025-10-31 → 2026-01-15.   2025-11: K11 2025-11-01 → active.
// Month index k of cohort m is measured at t = m + (k + 1) months: active when churned_at NULL or >= t.
describe('cohort_retention', () => {
  let utc: Dataset;
  beforeAll(async () => {
    utc = await openFixture('segments-cohorts');
  });
  afterAll(() => {
    utc.close();
  });

  it('fills cohort × month cells of the 12 months to the end; months not yet ended are absent', async () => {
    // October 2026 (end 11-01): cohorts 2025-11 .. 2026-10 that have customers.
    // 2025-11 (K11): months 0..11, the last measured at 2026-11-01, all 1/1.
    // 2026-07: 08-01 K1 K3 K4 (K2 left 07-31) 3/4; 09-01 K1 K4 2/4; 10-01 K1 1/4; 11-01 K1 1/4.
    // 2026-08: 09-01 2/2; 10-01 2/2; 11-01 K5 (K6 left 10-31) 1/2.
    // 2026-10: 11-01 K7 1/2 (K8 joined and churned in October); month 1 has not ended → no row.
    // K10 (2025-10) is older than 12 months; K9 (2026-11) is after the end.
    const rows = await kpiRows(utc, 'cohort_retention', '2026-10');
    const older = rows.filter((r) => r.cohort === '2025-11');
    expect(pick(older, 'month_index', 'active')).toEqual(Array.from({ length: 12 }, (_, k) => [k, 1]));
    expect(pick(rows.slice(12), 'cohort', 'month_index', 'cohort_size', 'active', 'retention')).toEqual([
      ['2026-07', 0, 4, 3, 0.75],
      ['2026-07', 1, 4, 2, 0.5],
      ['2026-07', 2, 4, 1, 0.25],
      ['2026-07', 3, 4, 1, 0.25],
      ['2026-08', 0, 2, 2, 1],
      ['2026-08', 1, 2, 2, 1],
      ['2026-08', 2, 2, 1, 0.5],
      ['2026-10', 0, 2, 1, 0.5],
    ]);
    expect(rows).toHaveLength(20);
  });

  it('keeps a real 0 for a cohort that churned, unlike the absent future cells', async () => {
    // September 2026 (end 10-01): cohorts 2025-10 .. 2026-09. K10 (2025-10) is active at 11-01, 12-01,
    // 2026-01-01 and gone from 02-01 (last day 01-15): 1 1 1 then 0 for months 3..11.
    // 2026-07 has months 0..2 only, 2026-08 months 0..1; 2026-10 is not a cohort yet.
    const rows = await kpiRows(utc, 'cohort_retention', '2026-09');
    const k10 = rows.filter((r) => r.cohort === '2025-10');
    expect(k10.map((r) => r.retention)).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(pick(rows.slice(12 + 11), 'cohort', 'month_index', 'active')).toEqual([
      ['2026-07', 0, 3],
      ['2026-07', 1, 2],
      ['2026-07', 2, 1],
      ['2026-08', 0, 2],
      ['2026-08', 1, 2],
    ]);
    expect(rows.map((r) => r.cohort)).not.toContain('2026-10');
  });

  it('gives each period of a series its own triangle, in period, cohort, month order', async () => {
    // August (end 09-01): 2025-09 .. 2026-08 cohorts: K10 (months 0..10), K11 (0..9), 2026-07 (0..1:
    // 3/4 at 08-01, 2/4 at 09-01), 2026-08 (0: K5 K6 at 09-01). Then September as above (12 + 11 + 3 + 2).
    const rows = await kpiRows(utc, 'cohort_retention', {
      start: '2026-08-01',
      end: '2026-10-01',
      grain: 'month',
    });
    const august = rows.filter((r) => r.period_start === '2026-08-01');
    expect(august).toHaveLength(11 + 10 + 2 + 1);
    expect(pick(august.slice(21), 'cohort', 'month_index', 'active')).toEqual([
      ['2026-07', 0, 3],
      ['2026-07', 1, 2],
      ['2026-08', 0, 2],
    ]);
    expect(rows.filter((r) => r.period_start === '2026-09-01')).toHaveLength(12 + 11 + 3 + 2);
    expect(rows.slice(0, 24).every((r) => r.period_start === '2026-08-01')).toBe(true);
  });

  it('takes every cohort of a range longer than 12 months, and has no row before any customer', async () => {
    // Range [2025-10-01, 2026-11-01): cohorts from 2025-10 (13 months before the end) to 2026-10.
    const rows = await kpiRows(utc, 'cohort_retention', {
      start: '2025-10-01',
      end: '2026-11-01',
      grain: 'range',
    });
    expect([...new Set(rows.map((r) => r.cohort))]).toEqual([
      '2025-10',
      '2025-11',
      '2026-07',
      '2026-08',
      '2026-10',
    ]);
    expect(rows.filter((r) => r.cohort === '2025-10')).toHaveLength(13);
    expect(await kpiRows(utc, 'cohort_retention', '2024-06')).toEqual([
      expect.objectContaining({
        period_start: '2024-06-01',
        coverage: 'none',
        coverage_note: expect.stringMatching(/^no data for /),
      }),
    ]);
  });
});

// Fixture test/fixtures/segments-at-risk, October 2026: end 2026-11-01; the 90 days are [2026-08-03, 11-01);
// renewals due in [11-01, 12-31); 12 months [2025-11-01, 11-01).
//   A1 Acme     Ent U1  last order 07-15 (2000); NPS 3 on 09-10 (and 9 on 10-01); tickets 09-20, 10-25 open;
//                       S1 1000/month ends 11-20 undecided → 4 signs, at risk 12 × 1000
//   A2 Birch    SMB U2  ordered 10-10 (500) and 2025-12-01 (300); NPS 6 on 08-03 12:00Z (the 90 days' first
//                       day; the 4 of 07-01 is older) → no MRR: at risk = revenue 800
//   A3 Cedar    MM  U1  never ordered; open at the end: 09-01, 10-05 (resolved 11-01 00:00Z, on the end);
//                       10-10 resolved 10-31; 11-01 00:00Z created after the end → 2 open tickets, at risk 0
//   A4 Dogwood  Ent U2  ordered 10-01, NPS 7, 1 open ticket, D1 due 2027-01-01 (beyond 60 days) → no sign
//   A5 Elm      SMB U2  last order 08-02 12:00Z (out of the 90 days); E1 due 12-30 but cancelled 10-15; E2 150
//                       due 12-31 (the window's exclusive end) → 1 sign, at risk 12 × 150
//   A6 Fir      MM  U1  churned 10-20 (not active at the end); 2 tickets open since September
//   A7 Ginkgo   SMB U2  ordered 10-30 (5000); G1 250 ends 11-01 (the end day) undecided: due, MRR 0 at the end
//   A8 Hazel    Ent U1  ordered 10-15 (100); NPS 2 on 08-02 23:30Z (Berlin 08-03 01:30); H1 500/month
describe('at_risk_customers', () => {
  let utc: Dataset;
  let berlin: Dataset;
  beforeAll(async () => {
    utc = await openFixture('segments-at-risk');
    berlin = await openFixture('segments-at-risk', 'Europe/Berlin');
  });
  afterAll(() => {
    utc.close();
    berlin.close();
  });

  it('lists the active customers with warning signs, highest revenue at risk first', async () => {
    const rows = await kpiRows(utc, 'at_risk_customers', '2026-10');
    expect(rows[0]).toMatchObject({
      period_start: '2026-10-01',
      period_end: '2026-11-01',
      customer_id: 'A1',
      name: 'Acme',
      segment: 'Enterprise',
      owner_id: 'U1',
      mrr: 1000,
      revenue_12m: 3000,
      revenue_at_risk: 12000,
      signs: 4,
      reasons:
        'no order in 90 days (2 in the 9 months before), NPS detractor (score 3), 2 open tickets, renewal due 2026-11-20 undecided',
    });
    // A7: no MRR at the end → revenue 5000; A5: 12 × 150 = 1800; A2: revenue 800; A3: 0.
    // A4 has no sign, A6 churned, A8's detractor answer is a day too old. A1 and A5 ordered twice
    // in the 9 months before the 90 days and not since; A2 orders about yearly: not a sign.
    expect(pick(rows, 'customer_id', 'mrr', 'revenue_12m', 'revenue_at_risk', 'signs', 'reasons')).toEqual([
      [
        'A1',
        1000,
        3000,
        12000,
        4,
        'no order in 90 days (2 in the 9 months before), NPS detractor (score 3), 2 open tickets, renewal due 2026-11-20 undecided',
      ],
      ['A7', 0, 5000, 5000, 1, 'renewal due 2026-11-01 undecided'],
      ['A5', 150, 1000, 1800, 1, 'no order in 90 days (2 in the 9 months before)'],
      ['A2', 0, 800, 800, 1, 'NPS detractor (score 6)'],
      ['A3', 0, 0, 0, 1, '2 open tickets'],
    ]);
  });

  it('keeps the top `limit` per period', async () => {
    const rows = await kpiRows(utc, 'at_risk_customers', '2026-10', { params: { limit: '2' } });
    expect(rows.map((r) => r.customer_id)).toEqual(['A1', 'A7']);
  });

  it('reckons the 90 days and the end in the report time zone', async () => {
    // Berlin: A8's NPS 2 (08-03 01:30 local) is inside the 90 days → 12 × 500 = 6000, second.
    // A5's order (08-02 14:00 local) is still outside; A3's ticket resolved 11-01 00:00Z (01:00 local) is
    // still open at the end (10-31 23:00Z), the one created then is after it.
    const rows = await kpiRows(berlin, 'at_risk_customers', '2026-10');
    expect(pick(rows, 'customer_id', 'revenue_at_risk', 'reasons')).toEqual([
      [
        'A1',
        12000,
        'no order in 90 days (2 in the 9 months before), NPS detractor (score 3), 2 open tickets, renewal due 2026-11-20 undecided',
      ],
      ['A8', 6000, 'NPS detractor (score 2)'],
      ['A7', 5000, 'renewal due 2026-11-01 undecided'],
      ['A5', 1800, 'no order in 90 days (2 in the 9 months before)'],
      ['A2', 800, 'NPS detractor (score 6)'],
      ['A3', 0, '2 open tickets'],
    ]);
  });

  it('ranks each period of a series as of its own end', async () => {
    // September (end 10-01; 90 days [07-03, 10-01); renewals due [10-01, 11-30)):
    //   A1: ordered 07-15 (recent), NPS 3, 1 open ticket, S1 due 11-20 → 2 signs, 12 × 1000.
    //   A8: NPS 2 on 08-02; no order before 10-01 (never ordered yet) → 12 × 500.
    //   A7: G1 due 11-01 → MRR 250 at 10-01 → 3000; its only order (10-30) is later.
    //   A2: last order 2025-12-01, its only one in the year: no order since is not a sign; NPS 6 on
    //       08-03 (the 4 of 07-01 is older) → 300 (12 months' revenue).
    //   A6: still active; one order (06-01), 2 open tickets → 100.
    //   A3 (1 open ticket), A4, A5: no sign.
    const rows = await kpiRows(utc, 'at_risk_customers', {
      start: '2026-09-01',
      end: '2026-11-01',
      grain: 'month',
    });
    expect(
      pick(rows.slice(0, 5), 'period_start', 'customer_id', 'revenue_at_risk', 'signs', 'reasons'),
    ).toEqual([
      ['2026-09-01', 'A1', 12000, 2, 'NPS detractor (score 3), renewal due 2026-11-20 undecided'],
      ['2026-09-01', 'A8', 6000, 1, 'NPS detractor (score 2)'],
      ['2026-09-01', 'A7', 3000, 1, 'renewal due 2026-11-01 undecided'],
      ['2026-09-01', 'A2', 300, 1, 'NPS detractor (score 6)'],
      ['2026-09-01', 'A6', 100, 1, '2 open tickets'],
    ]);
    expect(rows.slice(5).map((r) => [r.period_start, r.customer_id])).toEqual([
      ['2026-10-01', 'A1'],
      ['2026-10-01', 'A7'],
      ['2026-10-01', 'A5'],
      ['2026-10-01', 'A2'],
      ['2026-10-01', 'A3'],
    ]);
  });

  it('before the data, says no data rather than "nobody is at risk"', async () => {
    expect(await kpiRows(utc, 'at_risk_customers', '2023-06')).toEqual([
      expect.objectContaining({
        period_start: '2023-06-01',
        coverage: 'none',
        coverage_note: expect.stringMatching(/^no data for /),
      }),
    ]);
  });
});
