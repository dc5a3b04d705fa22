import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/data/dataset.ts';
import type { PeriodSpan } from '../../lib/kpi/period.ts';
import { runKpi } from '../../lib/kpi/run.ts';
import { kpiRow, kpiRows, openFixture, testCatalog } from '../helpers.ts';

// Fixture test/fixtures/marketing (instants UTC unless noted; the clock is 2026-11-15T12:00Z).
//
// campaigns: K1 Autumn newsletter (email), K2 Search ads (paid_search), K3 Trade fair (event),
//   K4 Summer webinar (content).
//
// customers (acquired_at → churned_at)       N: Aug none; Sep C2 C3; Oct C4 C5 C6 C8; Nov C7
//   C1 2025-01-10   C2 2026-09-15   C3 2026-09-30 (September's last day)   C4 2026-10-01 (October's first)
//   C5 2026-10-15   C6 2026-10-20 → 2026-10-25 (joins and churns in October)   C7 2026-11-01   C8 2026-10-31
//
// expenses (spent_on, category, campaign, amount)
//   08-10 marketing K4 800
//   09-05 marketing K1 500    09-10 marketing K2 1000   09-15 sales - 2000     09-30 marketing - 300
//   10-01 marketing K1 1000   10-10 marketing K2 2000   10-12 marketing K3 1500 10-15 sales K2 500
//   10-20 marketing - 500     10-25 sales - 2500        10-31 service - 400    11-01 marketing K1 700
//
// subscriptions (customer, mrr, started_at → ends_at, cancelled_at)
//   S1 C1 500 2025-01-10 → 2027-01-10        S2 C4 300 10-01 → 2027-10-01
//   S3 C5 200 10-15 → 2027-10-15             S4 C5 300 11-01 → 2027-11-01 (starts on October's end day)
//   S5 C6 400 10-20 → 2027-10-20, cancelled 10-25   S6 C8 150 10-31 → 2027-10-31, cancelled 11-01
//   S7 C2 250 09-15 → 2027-09-15             S8 C3 150 09-30 → 2027-09-30
//
// orders (amount / cost): R1 10-05 1000/500, R2 10-10 500/250, R3 10-20 300/- (no cost),
//   R4 11-01 00:00 1000/900 (November), R5 09-20 400/- (September has no order with a cost)
//
// leads (created, campaign → customer)
//   L1 08-15 K4 → C4    L2 09-10 K1 → C2    L3 09-20 K2        L9 09-25 -
//   L4 10-01 00:00 K1 (New York: 30 Sep)    L5 10-05 K2 → C5   L6 10-08 K2   L7 10-12 - → C8
//   L8 10-31 23:30 K1 (Berlin: 1 Nov)
//
// opportunities (lead, amount, closed, status)
//   O1 L1 (K4) 3000 10-05 won: a lead from August's webinar wins in October (first touch)
//   O2 L2 (K1) 1200 09-28 won    O3 L5 (K2) 5000 10-14 won    O4 L7 (no campaign) 800 10-30 won
//   O5 L3 (K2) 900 10-20 lost    O6 L6 (K2) 700 11-01 00:00 won (New York: 31 Oct)
//   O7 no lead 400 10-10 won     O8 L4 (K1) open
//
// campaign_touches (campaign, touched, response)
//   T1 K1 10-01 00:00 click (New York: 30 Sep)   T2 K1 10-31 23:30 open (Berlin: 1 Nov)
//   T3 K1 10-03 none     T4 K2 10-04 click       T5 K2 10-07 reply      T6 K2 10-16 purchase
//   T7 K2 10-18 (no response recorded)           T8 K3 10-12 open       T9 K1 10-20 purchase
//   T10 K2 11-01 00:00 click (New York: 31 Oct)
//   T11 K1 09-08 click   T12 K1 09-09 none       T13 K2 09-18 reply     T14 K2 09-29 purchase
//   T15 K4 08-14 reply

const JUL_OCT: PeriodSpan = { start: '2026-07-01', end: '2026-11-01', grain: 'month' };

let utc: Dataset;
let berlin: Dataset;
let newYork: Dataset;
beforeAll(async () => {
  [utc, berlin, newYork] = await Promise.all([
    openFixture('marketing'),
    openFixture('marketing', 'Europe/Berlin'),
    openFixture('marketing', 'America/New_York'),
  ]);
});
afterAll(() => {
  utc.close();
  berlin.close();
  newYork.close();
});

/** The rows of a series as [period_start, ...picked fields]. */
async function series(dataset: Dataset, id: string, fields: string[], span = JUL_OCT) {
  const rows = await kpiRows(dataset, id, span);
  return rows.map((r) => [r.period_start, ...fields.map((f) => r[f])]);
}

describe('the fixture', () => {
  it('is valid data', () => {
    expect(utc.problems).toEqual([]);
  });
});

describe('cac', () => {
  it('divides marketing + sales expenses in P by the customers acquired in P', async () => {
    // Jul: nothing → 0/0. Aug: K4 800 but no new customer → 800/0 → null.
    // Sep: marketing 500 + 1000 + 300 = 1800, sales 2000 → 3800 / (C2, C3) = 1900.
    // Oct: marketing 1000 + 2000 + 1500 + 500 = 5000, sales 500 + 2500 = 3000 (service 400 left out)
    //   → 8000 / (C4, C5, C6 who also churned, C8) = 2000.
    expect(
      await series(utc, 'cac', ['numerator', 'denominator', 'value', 'marketing_spend', 'sales_spend']),
    ).toEqual([
      ['2026-07-01', null, null, null, null, null], // before the data starts: no data
      ['2026-08-01', 800, 0, null, 800, 0],
      ['2026-09-01', 3800, 2, 1900, 1800, 2000],
      ['2026-10-01', 8000, 4, 2000, 5000, 3000],
    ]);
  });

  it('is null, not 0 or infinite, with no new customers', async () => {
    expect(await kpiRow(utc, 'cac', '2026-08')).toMatchObject({
      numerator: 800,
      denominator: 0,
      value: null,
    });
  });

  it('counts days half-open: the first day of the next period belongs to it', async () => {
    // November: the 11-01 expense (700) and C7 (acquired 11-01) → 700 / 1.
    expect(await kpiRow(utc, 'cac', '2026-11')).toMatchObject({ numerator: 700, denominator: 1, value: 700 });
  });
});

describe('cac_payback_months', () => {
  it('divides cac by the margin-adjusted MRR per new customer', async () => {
    // October: cac 2000. MRR at 2026-11-01 of C4, C5, C6, C8: C4 S2 300; C5 S3 200 + S4 300 (starts on
    // the end day: started_at <= t) = 500; C6 0 (S5 cancelled 10-25); C8 0 (S6 cancelled on 11-01:
    // t < cancelled_at fails) → 800 / 4 = 200. Gross margin: R1 + R2 → (1500 − 750) / 1500 = 0.5
    // (R3 has no cost; R4 at 11-01 00:00 is November). 2000 / (200 × 0.5) = 20 months.
    expect(await kpiRow(utc, 'cac_payback_months', '2026-10')).toEqual({
      id: 'cac_payback_months',
      period_start: '2026-10-01',
      period_end: '2026-11-01',
      value: 20,
      cac: 2000,
      mrr_per_new_customer: 200,
      gross_margin: 0.5,
    });
  });

  it('is null without cost data, without new customers and without new MRR', async () => {
    // Jul, Aug: no new customer → cac null. Sep: cac 1900; MRR at 10-01: C2 250, C3 150 → 200; but the
    // only order (R5) has no cost → gross margin null → null.
    expect(
      await series(utc, 'cac_payback_months', ['value', 'cac', 'mrr_per_new_customer', 'gross_margin']),
    ).toEqual([
      ['2026-07-01', null, null, null, null],
      ['2026-08-01', null, null, null, null],
      ['2026-09-01', null, 1900, 200, null],
      ['2026-10-01', 20, 2000, 200, 0.5],
    ]);
    // November: cac 700 / C7; C7 has no subscription → MRR 0 → null; margin R4 (1000 − 900) / 1000.
    const november = await kpiRow(utc, 'cac_payback_months', '2026-11');
    expect(november).toMatchObject({ value: null, cac: 700, mrr_per_new_customer: 0 });
    expect(november.gross_margin).toBeCloseTo(0.1, 12);
  });
});

describe('campaign_roi', () => {
  it('is (attributed revenue − campaign cost) ÷ campaign cost over all campaigns', async () => {
    // Campaign cost = expenses with a campaign_id only: Aug K4 800; Sep K1 500 + K2 1000 = 1500;
    // Oct K1 1000 + K2 2000 + K3 1500 + K2 (sales) 500 = 5000 (the 500 marketing and 2500 sales without a
    // campaign are not campaign cost). Revenue = won deals whose lead has a campaign: Sep O2 1200 (K1);
    // Oct O1 3000 (K4, lead from August) + O3 5000 (K2) = 8000 (O4's lead has no campaign, O7 no lead,
    // O5 lost). Jul 0/0 → null; Aug (0 − 800) / 800 = −1; Sep (1200 − 1500) / 1500 = −0.2;
    // Oct (8000 − 5000) / 5000 = 0.6.
    expect(
      await series(utc, 'campaign_roi', ['numerator', 'denominator', 'value', 'cost', 'revenue']),
    ).toEqual([
      ['2026-07-01', null, null, null, null, null], // before the data starts: no data
      ['2026-08-01', null, null, null, null, null], // before the data starts: no data
      ['2026-09-01', -300, 1500, -0.2, 1500, 1200],
      ['2026-10-01', 3000, 5000, 0.6, 5000, 8000],
    ]);
  });

  it('breaks down by campaign, by hand', async () => {
    const rows = await kpiRows(utc, 'campaign_roi', '2026-10', { by: 'campaign' });
    // K1: cost 1000, no won deal → −100 %. K2: cost 2000 + 500 = 2500, O3 5000 → 2500 / 2500 = 1.
    // K3: cost 1500 and nothing else → −100 %. K4: no cost in October but O1 3000 won now from a lead it
    // produced in August (first touch counts in the period the deal is won) → 3000 / 0 → null.
    expect(rows.map((r) => [r.campaign, r.numerator, r.denominator, r.value, r.cost, r.revenue])).toEqual([
      ['K1', -1000, 1000, -1, 1000, 0],
      ['K2', 2500, 2500, 1, 2500, 5000],
      ['K3', -1500, 1500, -1, 1500, 0],
      ['K4', 3000, 0, null, 0, 3000],
    ]);
    // September: K1 (1200 − 500) / 500 = 1.4; K2 (0 − 1000) / 1000 = −1.
    const september = await kpiRows(utc, 'campaign_roi', '2026-09', { by: 'campaign' });
    expect(september.map((r) => [r.campaign, r.value])).toEqual([
      ['K1', 1.4],
      ['K2', -1],
    ]);
  });

  it('breaks down by campaign channel', async () => {
    const rows = await kpiRows(utc, 'campaign_roi', '2026-10', { by: 'channel' });
    // content K4 3000/0; email K1 −1000/1000; event K3 −1500/1500; paid_search K2 2500/2500.
    expect(rows.map((r) => [r.channel, r.numerator, r.denominator, r.value])).toEqual([
      ['content', 3000, 0, null],
      ['email', -1000, 1000, -1],
      ['event', -1500, 1500, -1],
      ['paid_search', 2500, 2500, 1],
    ]);
  });

  it('reckons the close in the report time zone', async () => {
    // New York: O6 (K2, 700) closes 31 Oct 20:00 local → October revenue 8700, cost unchanged (dates):
    // (8700 − 5000) / 5000 = 0.74. In UTC it is November's: (700 − 700 K1) / 700 = 0.
    const october = await kpiRow(newYork, 'campaign_roi', '2026-10');
    expect(october).toMatchObject({ numerator: 3700, denominator: 5000, revenue: 8700 });
    expect(october.value).toBeCloseTo(0.74, 12);
    expect(await kpiRow(utc, 'campaign_roi', '2026-11')).toMatchObject({
      numerator: 0,
      denominator: 700,
      value: 0,
    });
  });
});

describe('campaign_pnl', () => {
  it('gives one row per campaign with activity or cost, by revenue', async () => {
    const rows = await kpiRows(utc, 'campaign_pnl', '2026-10');
    // K2: cost 2000 + 500; touches T4..T7 = 4, responses T4 click, T5 reply, T6 purchase = 3, purchases 1;
    //   leads L5, L6; won O3 5000; ROI 1; per touch 2500/4; per lead 2500/2.
    // K4: only O1 3000 (first touch from August): no cost → ROI, cost per touch and per lead null.
    // K1: cost 1000; touches T1, T2, T3, T9 = 4, responses T1 click, T9 purchase = 2; leads L4, L8;
    //   nothing won → ROI −1; 1000/4; 1000/2.
    // K3: cost 1500; touch T8 (open, no response); no lead → ROI −1; 1500/1; per lead null.
    // K1 and K3 tie at revenue 0: campaign_id breaks the tie.
    expect(
      rows.map((r) => [
        r.campaign_id,
        r.name,
        r.channel,
        r.cost,
        r.touches,
        r.responses,
        r.purchases,
        r.leads,
        r.won_deals,
        r.revenue,
        r.roi,
        r.cost_per_interaction,
        r.cost_per_lead,
      ]),
    ).toEqual([
      ['K2', 'Search ads', 'paid_search', 2500, 4, 3, 1, 2, 1, 5000, 1, 625, 1250],
      ['K4', 'Summer webinar', 'content', 0, 0, 0, 0, 0, 1, 3000, null, null, null],
      ['K1', 'Autumn newsletter', 'email', 1000, 4, 2, 1, 2, 0, 0, -1, 250, 500],
      ['K3', 'Trade fair', 'event', 1500, 1, 0, 0, 0, 0, 0, -1, 1500, null],
    ]);
  });

  it('orders a series by period, then revenue; an empty period still has a row', async () => {
    const rows = await kpiRows(utc, 'campaign_pnl', JUL_OCT);
    // Jul: before the data → one row saying no data. Aug: K4 (cost 800, T15 reply, lead L1) → ROI −1.
    // Sep: K1 (cost 500, T11 click + T12, L2, O2 1200) ROI 1.4; K2 (cost 1000, T13 reply + T14
    // purchase, L3, nothing won) ROI −1. Oct as above.
    expect(rows[0]).toEqual(
      expect.objectContaining({
        period_start: '2026-07-01',
        coverage: 'none',
        coverage_note: expect.stringMatching(/^no data for /),
      }),
    );
    expect(
      rows
        .slice(1)
        .map((r) => [
          r.period_start,
          r.campaign_id,
          r.cost,
          r.touches,
          r.responses,
          r.leads,
          r.revenue,
          r.roi,
        ]),
    ).toEqual([
      ['2026-08-01', 'K4', 800, 1, 1, 1, 0, -1],
      ['2026-09-01', 'K1', 500, 2, 1, 1, 1200, 1.4],
      ['2026-09-01', 'K2', 1000, 2, 2, 1, 0, -1],
      ['2026-10-01', 'K2', 2500, 4, 3, 2, 5000, 1],
      ['2026-10-01', 'K4', 0, 0, 0, 0, 3000, null],
      ['2026-10-01', 'K1', 1000, 4, 2, 2, 0, -1],
      ['2026-10-01', 'K3', 1500, 1, 0, 0, 0, -1],
    ]);
  });

  it('reckons touches and leads in the report time zone', async () => {
    // Berlin: T2 and L8 (10-31 23:30Z) fall on 1 Nov → K1 has 3 touches and 1 lead in October.
    const rows = await kpiRows(berlin, 'campaign_pnl', '2026-10');
    expect(rows.find((r) => r.campaign_id === 'K1')).toMatchObject({
      touches: 3,
      leads: 1,
      cost_per_interaction: 1000 / 3,
      cost_per_lead: 1000,
    });
  });
});

describe('cost_per_lead', () => {
  it('divides marketing expenses in P by the leads created in P', async () => {
    // Marketing: Aug 800; Sep 500 + 1000 + 300 = 1800; Oct 1000 + 2000 + 1500 + 500 = 5000 (the sales
    // expenses, K2's 500 included, are not marketing). Leads: Aug L1; Sep L2, L3, L9; Oct L4 (10-01
    // 00:00), L5, L6, L7, L8. Jul 0/0 → null.
    expect(await series(utc, 'cost_per_lead', ['numerator', 'denominator', 'value'])).toEqual([
      ['2026-07-01', null, null, null], // before the data starts: no data
      ['2026-08-01', 800, 1, 800],
      ['2026-09-01', 1800, 3, 600],
      ['2026-10-01', 5000, 5, 1000],
    ]);
    // November: 700 spent on 11-01, no lead → null.
    expect(await kpiRow(utc, 'cost_per_lead', '2026-11')).toMatchObject({ denominator: 0, value: null });
  });

  it('reckons lead creation in the report time zone', async () => {
    // Berlin: L8 is created on 1 Nov → 5000 / 4. New York: L4 on 30 Sep → Sep 1800 / 4, Oct 5000 / 4.
    expect(await kpiRow(berlin, 'cost_per_lead', '2026-10')).toMatchObject({ denominator: 4, value: 1250 });
    expect(await kpiRow(newYork, 'cost_per_lead', '2026-09')).toMatchObject({ denominator: 4, value: 450 });
  });

  it('breaks down by campaign, matching campaign_id on both sides', async () => {
    const rows = await kpiRows(utc, 'cost_per_lead', '2026-10', { by: 'campaign' });
    // K1 1000 / (L4, L8); K2 2000 / (L5, L6) (its 500 sales expense is not marketing); K3 1500 / 0 → null;
    // no campaign: 500 / L7.
    expect(rows.map((r) => [r.campaign, r.numerator, r.denominator, r.value])).toEqual([
      ['K1', 1000, 2, 500],
      ['K2', 2000, 2, 1000],
      ['K3', 1500, 0, null],
      [null, 500, 1, 500],
    ]);
  });

  it('breaks down by campaign channel', async () => {
    const rows = await kpiRows(utc, 'cost_per_lead', '2026-09', { by: 'channel' });
    // email K1 500 / L2; paid_search K2 1000 / L3; none 300 / L9.
    expect(rows.map((r) => [r.channel, r.numerator, r.denominator, r.value])).toEqual([
      ['email', 500, 1, 500],
      ['paid_search', 1000, 1, 1000],
      [null, 300, 1, 300],
    ]);
  });
});

describe('response_rate and purchase_rate', () => {
  it('divide the touches answered with click/reply/purchase (or purchase) by the touches in P', async () => {
    // Aug: T15 reply → 1/1, no purchase 0/1. Sep: T11 click, T12 none, T13 reply, T14 purchase → 3/4, 1/4.
    // Oct: T1..T9 = 9 (T10 at 11-01 00:00 is November); responses T1, T4, T5, T6, T9 = 5 (T2, T8 open,
    // T3 none, T7 no response recorded); purchases T6, T9 = 2. Jul: no touch → null.
    expect(await series(utc, 'response_rate', ['numerator', 'denominator', 'value'])).toEqual([
      ['2026-07-01', null, null, null], // before the data starts: no data
      ['2026-08-01', 1, 1, 1],
      ['2026-09-01', 3, 4, 0.75],
      ['2026-10-01', 5, 9, 5 / 9],
    ]);
    expect(await series(utc, 'purchase_rate', ['numerator', 'denominator', 'value'])).toEqual([
      ['2026-07-01', null, null, null], // before the data starts: no data
      ['2026-08-01', 0, 1, 0],
      ['2026-09-01', 1, 4, 0.25],
      ['2026-10-01', 2, 9, 2 / 9],
    ]);
  });

  it('reckon touches in the report time zone', async () => {
    // Berlin: T2 (open) moves to November → 5/8. New York: T1 (click) moves to September, T10 (click)
    // into October → Oct 5/9 again, Sep 4/5.
    expect(await kpiRow(berlin, 'response_rate', '2026-10')).toMatchObject({ numerator: 5, denominator: 8 });
    expect(await kpiRow(newYork, 'response_rate', '2026-09')).toMatchObject({ numerator: 4, denominator: 5 });
    expect(await kpiRow(berlin, 'purchase_rate', '2026-10')).toMatchObject({ numerator: 2, denominator: 8 });
  });

  it('break down by campaign and channel', async () => {
    const byCampaign = await kpiRows(utc, 'response_rate', '2026-10', { by: 'campaign' });
    // K1: T1 click, T2, T3, T9 purchase → 2/4; K2: T4, T5, T6 of T4..T7 → 3/4; K3: T8 open → 0/1.
    expect(byCampaign.map((r) => [r.campaign, r.numerator, r.denominator, r.value])).toEqual([
      ['K1', 2, 4, 0.5],
      ['K2', 3, 4, 0.75],
      ['K3', 0, 1, 0],
    ]);
    const byChannel = await kpiRows(utc, 'purchase_rate', '2026-10', { by: 'channel' });
    // email K1: T9 → 1/4; event K3: 0/1; paid_search K2: T6 → 1/4.
    expect(byChannel.map((r) => [r.channel, r.numerator, r.denominator, r.value])).toEqual([
      ['email', 1, 4, 0.25],
      ['event', 0, 1, 0],
      ['paid_search', 1, 4, 0.25],
    ]);
  });
});

describe('every marketing KPI', () => {
  it('runs every declared breakdown', async () => {
    const catalog = await testCatalog();
    const marketing = catalog.kpis.filter((k) => k.area === 'marketing');
    expect(marketing.map((k) => k.id)).toEqual(
      expect.arrayContaining([
        'cac',
        'cac_payback_months',
        'campaign_pnl',
        'campaign_roi',
        'cost_per_lead',
        'purchase_rate',
        'response_rate',
      ]),
    );
    for (const kpi of marketing) {
      for (const by of [undefined, ...kpi.breakdowns.map((b) => b.name)]) {
        const result = await runKpi(utc, kpi, { span: JUL_OCT, ...(by ? { by } : {}) });
        expect(result.available, `${kpi.id} by ${by}`).toBe(true);
        expect(result.rows.length, `${kpi.id} by ${by}`).toBeGreaterThanOrEqual(4);
        if (by) expect(Object.keys(result.rows[0] ?? {}), `${kpi.id} by ${by}`).toContain(by);
      }
    }
  });
});

// Fixture test/fixtures/marketing-minimal: no campaign_id on expenses or leads, no orders.cost, no
// subscriptions.cancelled_at, no campaign_touches.response, no campaign names or channels, no opportunities.
//   M1 acquired 2026-10-05 with S1 (mrr 100); expenses 10-03 marketing 600, 10-04 sales 300;
//   leads N1..N3 created in October; one touch of K9.
describe('availability from the declared needs', () => {
  let minimal: Dataset;
  beforeAll(async () => {
    minimal = await openFixture('marketing-minimal');
  });
  afterAll(() => {
    minimal.close();
  });

  async function missing(id: string, by?: string) {
    const result = await runKpi(minimal, (await testCatalog()).get(id), {
      span: { start: '2026-10-01', end: '2026-11-01', grain: 'month' },
      ...(by ? { by } : {}),
    });
    return result.available ? [] : result.missing;
  }

  it('computes what the columns allow', async () => {
    // cac: (600 + 300) / M1; cost_per_lead: 600 / (N1, N2, N3).
    expect(await kpiRow(minimal, 'cac', '2026-10')).toMatchObject({ value: 900 });
    expect(await kpiRow(minimal, 'cost_per_lead', '2026-10')).toMatchObject({ value: 200 });
  });

  it('reports what is missing instead of computing from NULL columns', async () => {
    // No cost data at all: CAC payback is not available rather than 0.
    expect(await missing('cac_payback_months')).toEqual(['subscriptions.cancelled_at', 'orders.cost']);
    expect(await missing('campaign_roi')).toEqual([
      'expenses.campaign_id',
      'leads.campaign_id',
      'opportunities.lead_id',
      'opportunities.status',
      'opportunities.closed_at',
      'opportunities.amount',
    ]);
    expect(await missing('cost_per_lead', 'campaign')).toEqual(['expenses.campaign_id', 'leads.campaign_id']);
    expect(await missing('response_rate')).toEqual(['campaign_touches.response']);
    expect(await missing('purchase_rate', 'channel')).toEqual([
      'campaign_touches.response',
      'campaigns.channel',
    ]);
    expect(await missing('campaign_pnl')).toContain('campaigns.name');
  });
});
