import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/data/dataset.ts';
import type { PeriodSpan } from '../../lib/kpi/period.ts';
import { runKpi } from '../../lib/kpi/run.ts';
import { kpiRow, kpiRows, openFixture, testCatalog } from '../helpers.ts';

// Fixture test/fixtures/sales (all instants UTC; the clock is 2026-11-15T12:00Z).
//
// customers            acquired     churned      S(Jul..Sep)  S(Oct)  S(Nov)
//   C1 Enterprise      2025-01-10   -            yes          yes     yes
//   C2 SMB             2026-03-15   -            yes          yes     yes
//   C3 SMB             2025-10-15   -            yes          yes     yes
//   C4 Mid-Market      2026-10-01   2026-10-20   no           no (joins and churns in October)
//   C5 SMB             2025-06-01   2026-09-30   yes          no (last day 30 Sep)
//   C6 Enterprise      2025-02-01   2026-10-01   yes          yes     no
//
// opportunities (amount, created → closed, status, channel, kind, competitor)
//   O1  C1 1000 09-01 00:00 → 10-11 00:00       won  inbound  new_business Acme    40 days
//   O2  C2 3000 09-21 12:00 → 10-01 00:00       won  outbound new_business         9.5 days (October: half-open)
//   O3  C1  500 10-05 00:00 → 10-15 00:00       won  inbound  upsell               10 days
//   O4  C4  200 10-02 00:00 → 10-12 00:00       won  partner  cross_sell           10 days
//   O5  C2  700 09-10 00:00 → 10-20 00:00       lost outbound upsell       Acme
//   O6  C3 2000 08-01 00:00 → 11-01 00:00       won  inbound  new_business Globex  92 days (November)
//   O7  C5  400 07-15 00:00 → 09-30 22:30       won  outbound new_business         77.9375 days (Berlin: October)
//   O8  P9  600 09-05 00:00 → open                   partner  new_business (P9: a prospect)
//   O9  C6  300 09-01 00:00 → 09-20 00:00       won  inbound  upsell               19 days
//   O10 C3  800 10-25 00:00 → open                   outbound new_business Globex
//   O11 C1  150 10-01 00:00 → 10-31 23:59:59    lost inbound  renewal (Berlin: November)
//   O12 C2  250 11-02 00:00 → open                   outbound upsell
//   O13 C1  100 10-10 00:00 → 10-25 00:00       won  inbound  cross_sell           15 days
//
// orders (amount / cost; "new" = order date < acquired_at + 12 months)
//   R1 C1 10-05 10:00 crm 1100/500 recurring     R6  C1 11-01 00:00 crm 999/-   recurring (November)
//   R2 C2 10-06 10:00 crm 500/200 new            R7  C6 09-10 10:00 crm 750/300 recurring
//   R3 C3 10-14 23:30 addon 300/150 new; in Berlin it is 15 Oct = C3's first day past 12 months: recurring
//   R4 C3 10-15 10:00 crm 100/- recurring        R8  C2 09-20 10:00 addon 200/- new
//   R5 C4 10-02 10:00 addon 100/150 new          R9  C1 08-15 10:00 crm 420/- recurring
//   R10 C3 09-30 23:00 crm 100/40 new (Berlin: 1 Oct, still new)
//
// leads (created, source, campaign, product, status, qualified_at, referred_by)
//   L1  10-01 00:00 web K1 crm converted  q 10-03 12:00      (New York: 30 Sep)
//   L2  10-05       web K1 crm disqualified
//   L3  10-10       referral - crm qualified q 10-12         referred by C1
//   L4  10-20       event K2 addon abandoned
//   L5  10-31 23:30 referral - addon open                    referred by C2 (Berlin: November)
//   L6  11-01 00:00 web - crm open                           (New York: 31 Oct)
//   L7  09-15       web K1 crm converted  q 09-20
//   L8  09-20       paid_search K2 crm disqualified
//   L9  09-30 23:00 event - crm qualified q 10-01 00:00      (New York: created and qualified 30 Sep)
//   L10 08-10       web - crm qualified   q 09-05
//   L11 08-20       referral - addon converted q 08-25       referred by C1
//
// opportunity_stages (entered → exited)
//   O1 prospecting 09-01 00:00 → 09-11 00:00 (10)   O1 proposal 09-11 00:00 → 10-11 00:00 (30)
//   O2 prospecting 09-21 12:00 → 09-27 12:00 (6)    O2 proposal 09-27 12:00 → 10-01 00:00 (3.5)
//   O5 prospecting 09-10 22:00 → 09-30 22:00 (20, Berlin: exits 1 Oct 00:00)
//   O5 proposal    09-30 22:00 → 10-20 22:00 (20)   O3 negotiation 10-05 → 10-15 (10)
//   O8 prospecting 09-05 → still in it (not an exit)
//
// activities: calls A1, A2 on O1; A4 on O5; A5 on O2; A6 on O8 (open); A7 on O6; A10 on O7;
//   A3 e-mail and A8 meeting (not calls); A9 a call about C1 with no deal.

const JUL_OCT: PeriodSpan = { start: '2026-07-01', end: '2026-11-01', grain: 'month' };
const SEP_NOV: PeriodSpan = { start: '2026-09-01', end: '2026-12-01', grain: 'range' };

let utc: Dataset;
let berlin: Dataset;
let newYork: Dataset;
beforeAll(async () => {
  [utc, berlin, newYork] = await Promise.all([
    openFixture('sales'),
    openFixture('sales', 'Europe/Berlin'),
    openFixture('sales', 'America/New_York'),
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

describe('lead_conversion_rate', () => {
  it('is a cohort rate: leads created in P now converted ÷ leads created in P', async () => {
    // October: L1..L5 created, L1 converted → 1 / 5.
    expect(await kpiRow(utc, 'lead_conversion_rate', '2026-10')).toMatchObject({
      numerator: 1,
      denominator: 5,
      value: 0.2,
    });
    // July: no lead → null; August: L10, L11 (converted) → 1/2; September: L7 (converted), L8, L9 → 1/3.
    expect(await series(utc, 'lead_conversion_rate', ['numerator', 'denominator', 'value'])).toEqual([
      ['2026-07-01', null, null, null], // before the data starts: no data
      ['2026-08-01', 1, 2, 0.5],
      ['2026-09-01', 1, 3, 1 / 3],
      ['2026-10-01', 1, 5, 0.2],
    ]);
  });

  it('reckons creation days in the report time zone', async () => {
    // New York (UTC−4): L1 (10-01 00:00Z) and L9 fall in September, L6 (11-01 00:00Z) in October.
    // September: L1 conv, L7 conv, L8, L9 → 2/4. October: L2..L6, none converted → 0/5.
    expect(await kpiRow(newYork, 'lead_conversion_rate', '2026-09')).toMatchObject({
      numerator: 2,
      denominator: 4,
      value: 0.5,
    });
    expect(await kpiRow(newYork, 'lead_conversion_rate', '2026-10')).toMatchObject({
      numerator: 0,
      denominator: 5,
      value: 0,
    });
  });

  it('breaks down by source', async () => {
    const rows = await kpiRows(utc, 'lead_conversion_rate', '2026-10', { by: 'source' });
    // event: L4 → 0/1; referral: L3, L5 → 0/2; web: L1 (converted), L2 → 1/2.
    expect(rows.map((r) => [r.source, r.numerator, r.denominator, r.value])).toEqual([
      ['event', 0, 1, 0],
      ['referral', 0, 2, 0],
      ['web', 1, 2, 0.5],
    ]);
  });
});

describe('lead_disqualification_rate and lead_abandonment_rate', () => {
  it('divide the leads created in P now disqualified / abandoned by the leads created in P', async () => {
    // Disqualified: L8 (Sep), L2 (Oct). Aug 0/2, Sep 1/3, Oct 1/5; July has no lead → null.
    expect(await series(utc, 'lead_disqualification_rate', ['numerator', 'denominator', 'value'])).toEqual([
      ['2026-07-01', null, null, null], // before the data starts: no data
      ['2026-08-01', 0, 2, 0],
      ['2026-09-01', 1, 3, 1 / 3],
      ['2026-10-01', 1, 5, 0.2],
    ]);
    // Abandoned: L4 (Oct) only.
    expect(await series(utc, 'lead_abandonment_rate', ['numerator', 'denominator', 'value'])).toEqual([
      ['2026-07-01', null, null, null], // before the data starts: no data
      ['2026-08-01', 0, 2, 0],
      ['2026-09-01', 0, 3, 0],
      ['2026-10-01', 1, 5, 0.2],
    ]);
  });

  it('break down by campaign', async () => {
    const rows = await kpiRows(utc, 'lead_disqualification_rate', '2026-10', { by: 'campaign' });
    // K1: L1, L2 (disqualified) → 1/2; K2: L4 → 0/1; no campaign: L3, L5 → 0/2.
    expect(rows.map((r) => [r.campaign, r.numerator, r.denominator])).toEqual([
      ['K1', 1, 2],
      ['K2', 0, 1],
      [null, 0, 2],
    ]);
  });
});

describe('new_leads and referral_leads', () => {
  it('count the leads created in P, half-open', async () => {
    // Aug: L10, L11; Sep: L7, L8, L9; Oct: L1..L5 (L6 at 11-01 00:00 belongs to November).
    expect(await series(utc, 'new_leads', ['value'])).toEqual([
      ['2026-07-01', null], // before the data starts: no data
      ['2026-08-01', 2],
      ['2026-09-01', 3],
      ['2026-10-01', 5],
    ]);
    expect(await kpiRow(utc, 'new_leads', '2026-11')).toMatchObject({ value: 1 }); // L6
    // New York: L1 and L9 move to September, L6 to October → Sep 4, Oct 5 (L2..L6).
    expect(await kpiRow(newYork, 'new_leads', '2026-09')).toMatchObject({ value: 4 });
    expect(await kpiRow(newYork, 'new_leads', '2026-10')).toMatchObject({ value: 5 });
  });

  it('new_leads breaks down by source, product and campaign', async () => {
    const bySource = await kpiRows(utc, 'new_leads', '2026-10', { by: 'source' });
    // event L4; referral L3, L5; web L1, L2.
    expect(bySource.map((r) => [r.source, r.value])).toEqual([
      ['event', 1],
      ['referral', 2],
      ['web', 2],
    ]);
    const byProduct = await kpiRows(utc, 'new_leads', '2026-10', { by: 'product' });
    // addon L4, L5; crm L1, L2, L3.
    expect(byProduct.map((r) => [r.product, r.value])).toEqual([
      ['addon', 2],
      ['crm', 3],
    ]);
    const byCampaign = await kpiRows(utc, 'new_leads', '2026-10', { by: 'campaign' });
    // K1 L1, L2; K2 L4; none L3, L5.
    expect(byCampaign.map((r) => [r.campaign, r.value])).toEqual([
      ['K1', 2],
      ['K2', 1],
      [null, 2],
    ]);
  });

  it('referral_leads counts the leads created in P with referred_by', async () => {
    // L11 (Aug), L3 and L5 (Oct).
    expect(await series(utc, 'referral_leads', ['value'])).toEqual([
      ['2026-07-01', null], // before the data starts: no data
      ['2026-08-01', 1],
      ['2026-09-01', 0],
      ['2026-10-01', 2],
    ]);
    // Berlin: L5 (10-31 23:30Z) is created on 1 Nov 00:30 local → October keeps only L3.
    expect(await kpiRow(berlin, 'referral_leads', '2026-10')).toMatchObject({ value: 1 });
    expect(await kpiRow(berlin, 'referral_leads', '2026-11')).toMatchObject({ value: 1 });
    const rows = await kpiRows(utc, 'referral_leads', '2026-10', { by: 'product' });
    expect(rows.map((r) => [r.product, r.value])).toEqual([
      ['addon', 1], // L5
      ['crm', 1], // L3
    ]);
  });
});

describe('lead_velocity_rate', () => {
  it('is (qualified in P − qualified in the previous period) ÷ the previous', async () => {
    // Qualified: L11 08-25; L7 09-20, L10 09-05; L1 10-03, L3 10-12, L9 10-01 00:00 (half-open: October).
    // Oct 3 vs 2 → 0.5. The data starts in August: July and August compare with months it does
    // not hold, September with one it holds in part, so they are no data (not 1 vs 0 or 2 vs 1).
    expect(
      await series(utc, 'lead_velocity_rate', [
        'numerator',
        'denominator',
        'value',
        'qualified',
        'previous_qualified',
      ]),
    ).toEqual([
      ['2026-07-01', null, null, null, null, null], // before the data starts: no data
      ['2026-08-01', null, null, null, null, null],
      ['2026-09-01', null, null, null, null, null],
      ['2026-10-01', 1, 2, 0.5, 3, 2],
    ]);
  });

  it('can be negative, and reckons in the report time zone', async () => {
    // New York: L9 is qualified on 30 Sep 20:00 local → Sep: L7, L10, L9 = 3; Oct: L1, L3 = 2.
    // (2 − 3) / 3 = −1/3.
    const row = await kpiRow(newYork, 'lead_velocity_rate', '2026-10');
    expect(row).toMatchObject({ numerator: -1, denominator: 3, qualified: 2, previous_qualified: 3 });
    expect(row.value).toBeCloseTo(-1 / 3, 12);
  });

  it('breaks down by source, comparing each source with its own previous period', async () => {
    const rows = await kpiRows(utc, 'lead_velocity_rate', '2026-10', { by: 'source' });
    // event: L9 Oct, none Sep → 1/0 null; referral: L3 Oct → null; web: L1 Oct vs L7, L10 Sep → (1−2)/2.
    expect(rows.map((r) => [r.source, r.numerator, r.denominator, r.value])).toEqual([
      ['event', 1, 0, null],
      ['referral', 1, 0, null],
      ['web', -1, 2, -0.5],
    ]);
  });
});

describe('sales_cycle_days', () => {
  it('is the mean days created → closed of deals won in P, with median and count', async () => {
    // October (UTC) won: O1 40, O2 9.5 (closed exactly at 10-01 00:00), O3 10, O4 10, O13 15.
    // Mean 84.5 / 5 = 16.9; median 10. O5 and O11 are lost, O8/O10/O12 open: not counted.
    expect(await kpiRow(utc, 'sales_cycle_days', '2026-10')).toMatchObject({
      value: 16.9,
      median_days: 10,
      deals: 5,
    });
    // Jul, Aug: before the first close in the data (September), so no data at all, not 0 deals;
    // Sep: O7 77.9375 (07-15 00:00 → 09-30 22:30), O9 19 → 48.46875.
    expect(await series(utc, 'sales_cycle_days', ['value', 'median_days', 'deals'])).toEqual([
      ['2026-07-01', null, null, null],
      ['2026-08-01', null, null, null],
      ['2026-09-01', 48.46875, 48.46875, 2],
      ['2026-10-01', 16.9, 10, 5],
    ]);
  });

  it('reckons in the report time zone and measures elapsed time across DST', async () => {
    // Berlin: O7 closes 1 Oct 00:30 local → October: 40, 9.5, 10, 10, 15, 77.9375 → 162.4375 / 6;
    // median (10 + 15) / 2 = 12.5.
    const october = await kpiRow(berlin, 'sales_cycle_days', '2026-10');
    expect(october).toMatchObject({ median_days: 12.5, deals: 6 });
    expect(october.value).toBeCloseTo(162.4375 / 6, 12);
    // O6 runs 08-01 00:00Z → 11-01 00:00Z across the 25 Oct clock change: still exactly 92 days.
    expect(await kpiRow(berlin, 'sales_cycle_days', '2026-11')).toMatchObject({ value: 92, deals: 1 });
  });

  it('breaks down by channel (time to close by channel)', async () => {
    const rows = await kpiRows(utc, 'sales_cycle_days', '2026-10', { by: 'channel' });
    // inbound: O1 40, O3 10, O13 15 → 65/3, median 15; outbound: O2 9.5; partner: O4 10.
    expect(rows.map((r) => [r.channel, r.median_days, r.deals])).toEqual([
      ['inbound', 15, 3],
      ['outbound', 9.5, 1],
      ['partner', 10, 1],
    ]);
    expect(rows[0]?.value).toBeCloseTo(65 / 3, 12);
    expect(rows.slice(1).map((r) => r.value)).toEqual([9.5, 10]);
  });
});

describe('stage_duration_days', () => {
  it('is the mean days entered → exited of the stage exits in P, over all stages', async () => {
    // September exits: O1 prospecting 10, O2 prospecting 6, O5 prospecting 20 → 36/3 = 12, median 10.
    // October exits: O1 proposal 30, O2 proposal 3.5 (exit at 10-01 00:00: October), O5 proposal 20,
    // O3 negotiation 10 → 63.5 / 4 = 15.875, median (10 + 20) / 2 = 15. O8 has not exited.
    expect(await series(utc, 'stage_duration_days', ['value', 'median_days', 'exits'])).toEqual([
      ['2026-07-01', null, null, null], // before the data starts: no data
      ['2026-08-01', null, null, null], // before the data starts: no data
      ['2026-09-01', 12, 10, 3],
      ['2026-10-01', 15.875, 15, 4],
    ]);
  });

  it('breaks down by stage (the longest is the bottleneck)', async () => {
    const rows = await kpiRows(utc, 'stage_duration_days', '2026-10', { by: 'stage' });
    // negotiation: O3 10; proposal: 30, 3.5, 20 → 53.5 / 3 (the bottleneck), median 20.
    expect(rows.map((r) => [r.stage, r.median_days, r.exits])).toEqual([
      ['negotiation', 10, 1],
      ['proposal', 20, 3],
    ]);
    expect(rows[0]?.value).toBe(10);
    expect(rows[1]?.value).toBeCloseTo(53.5 / 3, 12);
  });

  it('breaks down by the deal channel', async () => {
    const rows = await kpiRows(utc, 'stage_duration_days', '2026-10', { by: 'channel' });
    // inbound: O1 proposal 30, O3 negotiation 10 → 20; outbound: O2 proposal 3.5, O5 proposal 20 → 11.75.
    expect(rows.map((r) => [r.channel, r.value, r.exits])).toEqual([
      ['inbound', 20, 2],
      ['outbound', 11.75, 2],
    ]);
  });

  it('reckons exits in the report time zone', async () => {
    // Berlin: O5 prospecting exits at 1 Oct 00:00 local (the period's first instant) → October:
    // 30, 3.5, 20, 20, 10 → 83.5 / 5 = 16.7. September: O1 prospecting 10, O2 prospecting 6 → 8.
    expect(await kpiRow(berlin, 'stage_duration_days', '2026-10')).toMatchObject({ value: 16.7, exits: 5 });
    expect(await kpiRow(berlin, 'stage_duration_days', '2026-09')).toMatchObject({ value: 8, exits: 2 });
  });
});

describe('open_pipeline', () => {
  it('sums the deals open at the end of each period', async () => {
    // End of Jul (08-01 00:00): O7 400 (O6 is created exactly at the end: not yet) → 400, 1.
    // End of Aug (09-01 00:00): O6 2000, O7 400 (O1, O9 created exactly at the end) → 2400, 2.
    // End of Sep (10-01 00:00): O1 1000, O2 3000 (closes exactly at the end: still open), O5 700,
    //   O6 2000, O8 600 → 7300, 5. O7 closed 09-30 22:30; O11 is created exactly at the end.
    // End of Oct (11-01 00:00): O6 2000 (closes exactly at the end), O8 600, O10 800 → 3400, 3;
    //   O11 closed 10-31 23:59:59, O12 not created yet.
    expect(await series(utc, 'open_pipeline', ['value', 'deals'])).toEqual([
      ['2026-07-01', 400, 1],
      ['2026-08-01', 2400, 2],
      ['2026-09-01', 7300, 5],
      ['2026-10-01', 3400, 3],
    ]);
  });

  it('reckons the end in the report time zone', async () => {
    // Berlin's end of October is 10-31 23:00Z: O11 (closed 23:59:59Z) is still open → 3400 + 150, 4.
    expect(await kpiRow(berlin, 'open_pipeline', '2026-10')).toMatchObject({ value: 3550, deals: 4 });
  });

  it('breaks down by owner', async () => {
    const rows = await kpiRows(utc, 'open_pipeline', '2026-10', { by: 'owner' });
    // U1: O6 2000; U2: O8 600, O10 800.
    expect(rows.map((r) => [r.owner, r.value, r.deals])).toEqual([
      ['U1', 2000, 1],
      ['U2', 1400, 2],
    ]);
  });
});

describe('won_revenue and avg_deal_size', () => {
  it('sum and average the amounts of deals won in P', async () => {
    // Sep: O7 400, O9 300 → 700, mean 350. Oct: O1 1000, O2 3000, O3 500, O4 200, O13 100 → 4800,
    // mean 960. Lost O5/O11 and open deals are left out. No won deal: revenue 0, average null.
    expect(await series(utc, 'won_revenue', ['value', 'deals'])).toEqual([
      ['2026-07-01', null, null], // before the data starts: no data
      ['2026-08-01', null, null], // before the data starts: no data
      ['2026-09-01', 700, 2],
      ['2026-10-01', 4800, 5],
    ]);
    expect(await series(utc, 'avg_deal_size', ['value', 'deals'])).toEqual([
      ['2026-07-01', null, null], // before the data starts: no data
      ['2026-08-01', null, null], // before the data starts: no data
      ['2026-09-01', 350, 2],
      ['2026-10-01', 960, 5],
    ]);
    // November: O6 closes at 11-01 00:00 exactly → 2000.
    expect(await kpiRow(utc, 'won_revenue', '2026-11')).toMatchObject({ value: 2000, deals: 1 });
  });

  it('reckon in the report time zone', async () => {
    // Berlin: O7 (400) moves to October → 5200 over 6 deals; September keeps O9 only.
    expect(await kpiRow(berlin, 'won_revenue', '2026-10')).toMatchObject({ value: 5200, deals: 6 });
    expect(await kpiRow(berlin, 'avg_deal_size', '2026-09')).toMatchObject({ value: 300, deals: 1 });
  });

  it('break down by kind and segment', async () => {
    const byKind = await kpiRows(utc, 'won_revenue', '2026-10', { by: 'kind' });
    // cross_sell: O4 200, O13 100; new_business: O1 1000, O2 3000; upsell: O3 500.
    expect(byKind.map((r) => [r.kind, r.value, r.deals])).toEqual([
      ['cross_sell', 300, 2],
      ['new_business', 4000, 2],
      ['upsell', 500, 1],
    ]);
    const bySegment = await kpiRows(utc, 'avg_deal_size', '2026-10', { by: 'segment' });
    // Enterprise (C1): O1 1000, O3 500, O13 100 → 1600/3; Mid-Market (C4): O4 200; SMB (C2): O2 3000.
    expect(bySegment.map((r) => [r.segment, r.deals])).toEqual([
      ['Enterprise', 3],
      ['Mid-Market', 1],
      ['SMB', 1],
    ]);
    expect(bySegment[0]?.value).toBeCloseTo(1600 / 3, 10);
    expect(bySegment.slice(1).map((r) => r.value)).toEqual([200, 3000]);
  });
});

describe('upsell_rate', () => {
  it('divides the customers of S with a won upsell/cross-sell in P by S', async () => {
    // S(Jul) = S(Aug) = S(Sep) = C1, C2, C3, C5, C6 = 5. September: O9 (C6 upsell, won 09-20) → 1/5.
    // S(Oct) = C1, C2, C3, C6 = 4 (C4 acquired 1 Oct, C5 churned 30 Sep). October: C1 (O3 upsell and
    // O13 cross_sell: one customer, two deals) → 1/4. C4's won cross-sell O4 does not count: C4 joined
    // (and churned) within October so is not in S. O5 (C2 upsell) was lost.
    expect(await series(utc, 'upsell_rate', ['numerator', 'denominator', 'value', 'deals'])).toEqual([
      ['2026-07-01', null, null, null, null], // before the data starts: no data
      ['2026-08-01', null, null, null, null], // before the data starts: no data
      ['2026-09-01', 1, 5, 0.2, 1],
      ['2026-10-01', 1, 4, 0.25, 2],
    ]);
  });

  it('gives null when no customer is active at the start', async () => {
    // C1, the first customer, is acquired on 2025-01-10: S(January 2025) = 0.
    expect(await kpiRow(utc, 'upsell_rate', '2025-01')).toMatchObject({
      numerator: null,
      denominator: null,
      value: null,
      coverage: 'none',
    });
  });

  it('breaks down by segment', async () => {
    const rows = await kpiRows(utc, 'upsell_rate', '2026-10', { by: 'segment' });
    // Enterprise: C1 (upsold), C6 → 1/2; SMB: C2, C3 → 0/2.
    expect(rows.map((r) => [r.segment, r.numerator, r.denominator, r.value])).toEqual([
      ['Enterprise', 1, 2, 0.5],
      ['SMB', 0, 2, 0],
    ]);
  });
});

describe('competitive_knockouts', () => {
  it('counts the won deals with a competitor, with the win rate in competitive deals', async () => {
    // October: O1 won vs Acme, O5 lost vs Acme → 1 knockout, 2 competitive deals, win rate 0.5.
    // Jul–Sep: no closed deal with a competitor → 0, 0, win rate null. O10 (Globex) is still open.
    expect(await series(utc, 'competitive_knockouts', ['value', 'competitive_deals', 'win_rate'])).toEqual([
      ['2026-07-01', null, null, null], // before the data starts: no data
      ['2026-08-01', null, null, null], // before the data starts: no data
      ['2026-09-01', 0, 0, null],
      ['2026-10-01', 1, 2, 0.5],
    ]);
  });

  it('breaks down by competitor', async () => {
    const rows = await kpiRows(utc, 'competitive_knockouts', SEP_NOV, { by: 'competitor' });
    // Acme: O1 won, O5 lost → 1, 2, 0.5; Globex: O6 won 11-01 → 1, 1, 1.
    expect(rows.map((r) => [r.competitor, r.value, r.competitive_deals, r.win_rate])).toEqual([
      ['Acme', 1, 2, 0.5],
      ['Globex', 1, 1, 1],
    ]);
  });
});

describe('calls_per_opportunity', () => {
  it('divides the calls linked to deals closed in P by those deals', async () => {
    // October closed: O1, O2, O3, O4, O5, O11, O13 = 7; calls: O1 A1+A2, O2 A5, O5 A4 → 4/7
    // (A3 e-mail and A8 meeting are not calls; A6 is on open O8; A9 has no deal).
    // September closed: O7 (A10), O9 → 1/2. Jul, Aug: no closed deal → null.
    expect(await series(utc, 'calls_per_opportunity', ['numerator', 'denominator', 'value'])).toEqual([
      ['2026-07-01', null, null, null], // before the data starts: no data
      ['2026-08-01', null, null, null], // before the data starts: no data
      ['2026-09-01', 1, 2, 0.5],
      ['2026-10-01', 4, 7, 4 / 7],
    ]);
  });

  it('breaks down by status (won vs lost)', async () => {
    const rows = await kpiRows(utc, 'calls_per_opportunity', '2026-10', { by: 'status' });
    // lost: O5 (1 call), O11 → 1/2; won: O1 (2), O2 (1), O3, O4, O13 → 3/5.
    expect(rows.map((r) => [r.status, r.numerator, r.denominator, r.value])).toEqual([
      ['lost', 1, 2, 0.5],
      ['won', 3, 5, 0.6],
    ]);
  });
});

describe('new_revenue and recurring_revenue', () => {
  it('split order revenue at 12 months after acquired_at', async () => {
    // October: new R2 500 (C2, acquired 2026-03-15), R3 300 (C3, 14 Oct < 2026-10-15), R5 100 (C4)
    //   → 900, 3 orders, 3 customers; recurring R1 1100 (C1), R4 100 (C3 on 15 Oct = 12 months) → 1200.
    // September: new R8 200, R10 100 → 300; recurring R7 750. August: recurring R9 420.
    expect(await series(utc, 'new_revenue', ['value', 'orders', 'customers'])).toEqual([
      ['2026-07-01', null, null, null], // before the data starts: no data
      ['2026-08-01', 0, 0, 0],
      ['2026-09-01', 300, 2, 2],
      ['2026-10-01', 900, 3, 3],
    ]);
    expect(await series(utc, 'recurring_revenue', ['value', 'orders', 'customers'])).toEqual([
      ['2026-07-01', null, null, null], // before the data starts: no data
      ['2026-08-01', 420, 1, 1],
      ['2026-09-01', 750, 1, 1],
      ['2026-10-01', 1200, 2, 2],
    ]);
  });

  it('use the local order date, in the report time zone', async () => {
    // Berlin: R3 is ordered on 15 Oct 01:30 local → recurring; R10 (1 Oct 01:00 local) joins October
    // as new; R6 (1 Nov 01:00) stays in November. new 500 + 100 + 100 = 700; recurring 1100 + 300 + 100.
    expect(await kpiRow(berlin, 'new_revenue', '2026-10')).toMatchObject({ value: 700, orders: 3 });
    expect(await kpiRow(berlin, 'recurring_revenue', '2026-10')).toMatchObject({
      value: 1500,
      orders: 3,
      customers: 2,
    });
  });

  it('break down by segment', async () => {
    const rows = await kpiRows(utc, 'new_revenue', '2026-10', { by: 'segment' });
    // Mid-Market: R5 100 (C4); SMB: R2 500 (C2) + R3 300 (C3).
    expect(rows.map((r) => [r.segment, r.value, r.orders])).toEqual([
      ['Mid-Market', 100, 1],
      ['SMB', 800, 2],
    ]);
  });
});

describe('revenue_growth', () => {
  it('compares order revenue with the previous period', async () => {
    // Revenue: Jun 0, Jul 0, Aug 420 (R9), Sep 1050 (R7 750, R8 200, R10 100),
    // Oct 2100 (R1 1100, R2 500, R3 300, R4 100, R5 100; R6 at 11-01 00:00 is November).
    // Oct: 1050/1050 = 1. The data starts in August: July and August compare with months it does
    // not hold, September with one it holds in part (630/420 would overstate growth), so no data.
    expect(
      await series(utc, 'revenue_growth', [
        'numerator',
        'denominator',
        'value',
        'revenue',
        'previous_revenue',
      ]),
    ).toEqual([
      ['2026-07-01', null, null, null, null, null], // before the data starts: no data
      ['2026-08-01', null, null, null, null, null],
      ['2026-09-01', null, null, null, null, null],
      ['2026-10-01', 1050, 1050, 1, 2100, 1050],
    ]);
  });

  it('breaks down by segment, each against its own previous period', async () => {
    const rows = await kpiRows(utc, 'revenue_growth', '2026-10', { by: 'segment' });
    // Enterprise: Oct R1 1100 vs Sep R7 750 → 350/750; Mid-Market: R5 100 vs 0 → null;
    // SMB: Oct R2 500 + R3 300 + R4 100 = 900 vs Sep R8 200 + R10 100 = 300 → 600/300 = 2.
    expect(rows.map((r) => [r.segment, r.numerator, r.denominator])).toEqual([
      ['Enterprise', 350, 750],
      ['Mid-Market', 100, 0],
      ['SMB', 600, 300],
    ]);
    expect(rows[0]?.value).toBeCloseTo(350 / 750, 12);
    expect(rows.slice(1).map((r) => r.value)).toEqual([null, 2]);
  });
});

describe('gross_margin', () => {
  it('is (Σ amount − Σ cost) ÷ Σ amount over the orders in P with a cost', async () => {
    // Oct: with cost R1 1100/500, R2 500/200, R3 300/150, R5 100/150 → (2000 − 1000) / 2000;
    //   R4 has no cost. Sep: R7 750/300, R10 100/40 → 510/850 = 0.6; R8 has no cost.
    // Aug: only R9, without cost → 0/0 → null. Jul: no order → null.
    expect(
      await series(utc, 'gross_margin', [
        'numerator',
        'denominator',
        'value',
        'orders',
        'orders_without_cost',
      ]),
    ).toEqual([
      ['2026-07-01', null, null, null, null, null], // before the data starts: no data
      ['2026-08-01', 0, 0, null, 0, 1],
      ['2026-09-01', 510, 850, 0.6, 2, 1],
      ['2026-10-01', 1000, 2000, 0.5, 4, 1],
    ]);
  });

  it('breaks down by product', async () => {
    const rows = await kpiRows(utc, 'gross_margin', '2026-10', { by: 'product' });
    // addon: R3 300/150, R5 100/150 → 100/400; crm: R1 1100/500, R2 500/200 → 900/1600 (R4 no cost).
    expect(rows.map((r) => [r.product, r.numerator, r.denominator, r.value, r.orders_without_cost])).toEqual([
      ['addon', 100, 400, 0.25, 0],
      ['crm', 900, 1600, 0.5625, 1],
    ]);
  });
});

describe('every sales KPI', () => {
  it('runs every declared breakdown', async () => {
    const catalog = await testCatalog();
    const sales = catalog.kpis.filter((k) => k.area === 'sales');
    // Every Sales KPI of the catalog (more may be added).
    expect(sales.map((k) => k.id)).toEqual(
      expect.arrayContaining([
        'avg_deal_size',
        'calls_per_opportunity',
        'close_rate',
        'competitive_knockouts',
        'gross_margin',
        'lead_abandonment_rate',
        'lead_conversion_rate',
        'lead_disqualification_rate',
        'lead_velocity_rate',
        'new_leads',
        'new_revenue',
        'open_pipeline',
        'recurring_revenue',
        'referral_leads',
        'revenue_growth',
        'sales_cycle_days',
        'stage_duration_days',
        'upsell_rate',
        'won_revenue',
      ]),
    );
    for (const kpi of sales) {
      for (const by of [undefined, ...kpi.breakdowns.map((b) => b.name)]) {
        const result = await runKpi(utc, kpi, { span: JUL_OCT, ...(by ? { by } : {}) });
        expect(result.available, `${kpi.id} by ${by}`).toBe(true);
        // A series has a row per period; a table-shaped KPI lists only what it finds.
        if (kpi.unit !== 'table') expect(result.rows.length, `${kpi.id} by ${by}`).toBeGreaterThanOrEqual(4);
        if (by) expect(Object.keys(result.rows[0] ?? {}), `${kpi.id} by ${by}`).toContain(by);
      }
    }
  });
});

// Fixture test/fixtures/sales-minimal: leads and opportunities with their required columns only
// (plus opportunities.closed_at); no other table.
describe('availability from the declared needs', () => {
  let minimal: Dataset;
  beforeAll(async () => {
    minimal = await openFixture('sales-minimal');
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
    // M1, M2 created in October; M2 converted → 1/2. N1 won after 2 days.
    expect(await kpiRow(minimal, 'new_leads', '2026-10')).toMatchObject({ value: 2 });
    expect(await kpiRow(minimal, 'lead_conversion_rate', '2026-10')).toMatchObject({ value: 0.5 });
    expect(await kpiRow(minimal, 'sales_cycle_days', '2026-10')).toMatchObject({ value: 2, deals: 1 });
  });

  it('reports what is missing instead of computing from NULL columns', async () => {
    expect(await missing('referral_leads')).toEqual(['leads.referred_by']);
    expect(await missing('lead_velocity_rate')).toEqual(['leads.qualified_at']);
    expect(await missing('new_leads', 'source')).toEqual(['leads.source']);
    expect(await missing('sales_cycle_days', 'segment')).toEqual([
      'opportunities.customer_id',
      'customers.segment',
    ]);
    expect(await missing('open_pipeline')).toEqual(['opportunities.amount']);
    expect(await missing('competitive_knockouts')).toEqual(['opportunities.competitor']);
    expect(await missing('calls_per_opportunity')).toEqual(['activities.kind', 'activities.opportunity_id']);
    expect(await missing('stage_duration_days')).toEqual([
      'opportunity_stages.entered_at',
      'opportunity_stages.exited_at',
    ]);
    expect(await missing('upsell_rate')).toEqual([
      'customers.acquired_at',
      'customers.churned_at',
      'opportunities.customer_id',
      'opportunities.kind',
    ]);
    expect(await missing('new_revenue')).toEqual([
      'orders.ordered_at',
      'orders.amount',
      'orders.customer_id',
      'customers.acquired_at',
    ]);
    expect(await missing('gross_margin')).toEqual(['orders.ordered_at', 'orders.amount', 'orders.cost']);
  });
});
