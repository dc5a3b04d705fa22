import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/data/dataset.ts';
import type { PeriodSpan } from '../../lib/kpi/period.ts';
import { runKpi } from '../../lib/kpi/run.ts';
import { kpiRow, kpiRows, openFixture, testCatalog } from '../helpers.ts';

// Fixture test/fixtures/adoption (all instants UTC; the clock is 2026-11-15T12:00Z).
//
// users   team       active_from  active_to    licensed in: Jul Aug Sep Oct Nov
//   U1    sales      2025-01-01   -                          yes yes yes yes yes
//   U2    sales      2026-10-15   -                          -   -   -   yes yes (joins mid-October)
//   U3    marketing  2025-06-01   2026-09-30                 yes yes yes -   -   (last day 30 Sep)
//   U4    service    2026-01-01   -                          yes yes yes yes yes
//   U5    service    -            -                          yes yes yes yes yes (no start: always licensed)
//   U6    marketing  2026-11-01   -                          -   -   -   -   yes (starts exactly at October's end)
//   U7    service    2025-03-01   2026-10-01                 yes yes yes yes -   (last day 1 Oct)
//   → licensed: Jul–Sep U1 U3 U4 U5 U7 = 5; Oct U1 U2 U4 U5 U7 = 5; Nov U1 U2 U4 U5 U6 = 5.
//
// logins: Aug U1 08-05, U4 08-06, U5 08-07, U7 08-08, U3 08-09; Sep U1 09-10, U3 09-30 12:00;
//   Oct U1 10-02 and 10-20, U2 10-16, U3 10-05 (no licence in October), U4 10-31 23:30 (Berlin: 1 Nov);
//   Nov U6 11-01 00:00.
//
// activities: Oct AC1 U1 call, AC2 U1 email, AC3 U1 call, AC4 U2 meeting, AC5 U4 note,
//   AC6 U4 call 10-31 23:30 (Berlin: 1 Nov), AC7 U3 email (U3 has left); Nov AC8 U6 call 11-01 00:00;
//   Sep AC9 U3 call 09-30 12:00; Aug AC10 U5 note, AC11 U7 email.
//
// customers  email              phone        segment     industry owner acquired    region  (✓ = complete)
//   K1   ana@example.com       +1 555 0100  SMB         retail   U1    2025-01-10  EMEA ✓
//   K2   bob@example (no TLD)  +1 555 0101  SMB         retail   U1    2025-02-01  EMEA
//   K3   cat@example.com       -            Enterprise  finance  U2    2025-03-01  NA
//   K4   dan@example.com       +1 555 0103  Mid-Market  finance  U2    2025-04-01  NA ✓ (churned 2026-09-15)
//   K5   eve@example.com       +1 555 0104  -           retail   U1    2026-07-15  EMEA
//   K6   "fay example.com"     +1 555 0105  SMB         -        U2    2026-08-20  NA
//   K7   gus@example.co.uk     +1 555 0106  Enterprise  media    -     2026-09-30  APAC
//   K8   hal@example.com       +1 555 0107  SMB         media    U1    2026-10-01  APAC ✓
//   K9   ivy@example.com       +1 555 0108  SMB         media    U2    2026-11-01  APAC ✓ (November)
//   K10  -                     -            -           -        -     2026-10-31  -
//   K11  "  " (blank)          "  "         SMB         retail   U1    2025-05-01  EMEA
//
// Fixture test/fixtures/adoption-unlicensed: U1 (sales) licensed from 2026-10-15, one login and one
// call on 10-20; no other table.

const JUL_OCT: PeriodSpan = { start: '2026-07-01', end: '2026-11-01', grain: 'month' };

let utc: Dataset;
let berlin: Dataset;
let unlicensed: Dataset;
beforeAll(async () => {
  [utc, berlin, unlicensed] = await Promise.all([
    openFixture('adoption'),
    openFixture('adoption', 'Europe/Berlin'),
    openFixture('adoption-unlicensed'),
  ]);
});
afterAll(() => {
  utc.close();
  berlin.close();
  unlicensed.close();
});

/** The rows of a series as [period_start, ...picked fields]. */
async function series(dataset: Dataset, id: string, fields: string[], span = JUL_OCT) {
  const rows = await kpiRows(dataset, id, span);
  return rows.map((r) => [r.period_start, ...fields.map((f) => r[f])]);
}

describe('the fixtures', () => {
  it('are valid data', () => {
    expect(utc.problems).toEqual([]);
    expect(unlicensed.problems).toEqual([]);
  });
});

describe('active_user_rate', () => {
  it('divides licensed users with a login in P by users licensed during P', async () => {
    // Jul: no login → 0/5. Aug: U1, U4, U5, U7, U3 → 5/5. Sep: U1, U3 (on its last licensed day) → 2/5.
    // Oct: U1 (twice: one user), U2, U4 → 3/5; U3 logs in without a licence: not counted.
    expect(await series(utc, 'active_user_rate', ['numerator', 'denominator', 'value'])).toEqual([
      ['2026-07-01', null, null, null], // before the data starts: no data
      ['2026-08-01', 5, 5, 1],
      ['2026-09-01', 2, 5, 0.4],
      ['2026-10-01', 3, 5, 0.6],
    ]);
    // November: U6 (licensed from 11-01, login at 11-01 00:00: half-open) → 1/5.
    expect(await kpiRow(utc, 'active_user_rate', '2026-11')).toMatchObject({
      numerator: 1,
      denominator: 5,
      value: 0.2,
    });
  });

  it('reckons logins in the report time zone', async () => {
    // Berlin: U4's login (10-31 23:30Z) is on 1 Nov 00:30 local → October U1, U2 → 2/5.
    expect(await kpiRow(berlin, 'active_user_rate', '2026-10')).toMatchObject({
      numerator: 2,
      denominator: 5,
      value: 0.4,
    });
  });

  it('gives null when no user is licensed', async () => {
    // adoption-unlicensed: U1 starts 2026-10-15 → September 0/0 → null; October 1/1.
    expect(await kpiRow(unlicensed, 'active_user_rate', '2026-09')).toMatchObject({
      numerator: null,
      denominator: null,
      value: null,
      coverage: 'none',
    });
    expect(await kpiRow(unlicensed, 'active_user_rate', '2026-10')).toMatchObject({ value: 1 });
  });

  it('breaks down by team', async () => {
    const rows = await kpiRows(utc, 'active_user_rate', '2026-10', { by: 'team' });
    // sales: U1, U2 both logged in → 2/2; service: U4 of U4, U5, U7 → 1/3. No marketing user is
    // licensed in October (U3 left, U6 not yet started).
    expect(rows.map((r) => [r.team, r.numerator, r.denominator])).toEqual([
      ['sales', 2, 2],
      ['service', 1, 3],
    ]);
  });
});

describe('activities_per_user', () => {
  it('divides the activities in P by the users licensed during P', async () => {
    // Jul: 0/5. Aug: AC10, AC11 → 2/5. Sep: AC9 → 1/5. Oct: AC1..AC7 → 7/5 (AC7 by U3, who has left,
    // is still an activity of October; AC8 at 11-01 00:00 is November).
    expect(await series(utc, 'activities_per_user', ['numerator', 'denominator', 'value'])).toEqual([
      ['2026-07-01', null, null, null], // before the data starts: no data
      ['2026-08-01', 2, 5, 0.4],
      ['2026-09-01', 1, 5, 0.2],
      ['2026-10-01', 7, 5, 1.4],
    ]);
    // Berlin: AC6 moves to November → 6/5.
    expect(await kpiRow(berlin, 'activities_per_user', '2026-10')).toMatchObject({
      numerator: 6,
      denominator: 5,
      value: 1.2,
    });
    // adoption-unlicensed: nobody licensed in September → null.
    expect(await kpiRow(unlicensed, 'activities_per_user', '2026-09')).toMatchObject({
      numerator: null,
      denominator: null,
      value: null,
      coverage: 'none',
    });
  });

  it('breaks down by team: the team’s activities ÷ the team’s licensed users', async () => {
    const rows = await kpiRows(utc, 'activities_per_user', '2026-10', { by: 'team' });
    // marketing: AC7 (U3) but no licensed marketing user → 1/0 = null; sales: AC1..AC4 ÷ U1, U2 → 2;
    // service: AC5, AC6 ÷ U4, U5, U7 → 2/3.
    expect(rows.map((r) => [r.team, r.numerator, r.denominator, r.value])).toEqual([
      ['marketing', 1, 0, null],
      ['sales', 4, 2, 2],
      ['service', 2, 3, 2 / 3],
    ]);
  });

  it('breaks down by kind, each kind divided by all licensed users', async () => {
    const rows = await kpiRows(utc, 'activities_per_user', '2026-10', { by: 'kind' });
    // call AC1, AC3, AC6; email AC2, AC7; meeting AC4; note AC5 — each ÷ 5 licensed users.
    expect(rows.map((r) => [r.kind, r.numerator, r.denominator, r.value])).toEqual([
      ['call', 3, 5, 0.6],
      ['email', 2, 5, 0.4],
      ['meeting', 1, 5, 0.2],
      ['note', 1, 5, 0.2],
    ]);
    // September: only AC9 (call); every kind still has a row over the 5 licensed users.
    const september = await kpiRows(utc, 'activities_per_user', '2026-09', { by: 'kind' });
    expect(september.map((r) => [r.kind, r.numerator, r.denominator])).toEqual([
      ['call', 1, 5],
      ['email', 0, 5],
      ['meeting', 0, 5],
      ['note', 0, 5],
    ]);
  });
});

describe('data_completeness', () => {
  it('divides complete customer records by customers acquired before the end, with per-field rates', async () => {
    // Oct (acquired before 11-01): K1..K8, K10, K11 = 10 (K9 is acquired on 11-01: November).
    //   Complete: K1, K4 (churned, still counted), K8 → 3/10. K2 and K6 have an implausible e-mail,
    //   K3 no phone, K5 no segment, K6 no industry, K7 no owner, K10 nothing, K11 blank e-mail and phone.
    //   email K1..K8 = 8/10; phone all but K3, K10, K11 = 7/10; segment all but K5, K10 = 8/10;
    //   industry all but K6, K10 = 8/10; owner all but K7, K10 = 8/10; plausible e-mail K1, K3, K4, K5,
    //   K7, K8 = 6/10.
    expect(await kpiRow(utc, 'data_completeness', '2026-10')).toMatchObject({
      numerator: 3,
      denominator: 10,
      value: 0.3,
      email_rate: 0.8,
      phone_rate: 0.7,
      segment_rate: 0.8,
      industry_rate: 0.8,
      owner_rate: 0.8,
      valid_email_rate: 0.6,
    });
    // Jul: K1..K5, K11 → K1, K4 = 2/6. Aug: + K6 → 2/7. Sep: + K7 (acquired 09-30) → 2/8.
    expect(await series(utc, 'data_completeness', ['numerator', 'denominator', 'value'])).toEqual([
      ['2026-07-01', 2, 6, 1 / 3],
      ['2026-08-01', 2, 7, 2 / 7],
      ['2026-09-01', 2, 8, 0.25],
      ['2026-10-01', 3, 10, 0.3],
    ]);
    // Sep per field: email 7/8 (K11 blank), phone 6/8 (K3, K11), plausible e-mail K1, K3, K4, K5, K7 = 5/8.
    expect(await kpiRow(utc, 'data_completeness', '2026-09')).toMatchObject({
      email_rate: 0.875,
      phone_rate: 0.75,
      valid_email_rate: 0.625,
    });
  });

  it('gives null rates before the first customer', async () => {
    // December 2024: no customer acquired before 2025-01-01.
    expect(await kpiRow(utc, 'data_completeness', '2024-12')).toMatchObject({
      numerator: null,
      denominator: null,
      value: null,
      email_rate: null,
      valid_email_rate: null,
      coverage: 'none',
    });
  });

  it('breaks down by region', async () => {
    const rows = await kpiRows(utc, 'data_completeness', '2026-10', { by: 'region' });
    // APAC: K7, K8 ✓ → 1/2, owner 1/2; EMEA: K1 ✓, K2, K5, K11 → 1/4, plausible e-mail K1, K5 = 2/4;
    // NA: K3, K4 ✓, K6 → 1/3; no region: K10 → 0/1.
    expect(rows.map((r) => [r.region, r.numerator, r.denominator, r.owner_rate, r.valid_email_rate])).toEqual(
      [
        ['APAC', 1, 2, 0.5, 1],
        ['EMEA', 1, 4, 1, 0.5],
        ['NA', 1, 3, 1, 2 / 3],
        [null, 0, 1, 0, 0],
      ],
    );
  });
});

describe('every adoption KPI', () => {
  it('runs every declared breakdown', async () => {
    const catalog = await testCatalog();
    const adoption = catalog.kpis.filter((k) => k.area === 'adoption');
    expect(adoption.map((k) => k.id)).toEqual(
      expect.arrayContaining(['active_user_rate', 'activities_per_user', 'data_completeness']),
    );
    for (const kpi of adoption) {
      for (const by of [undefined, ...kpi.breakdowns.map((b) => b.name)]) {
        const result = await runKpi(utc, kpi, { span: JUL_OCT, ...(by ? { by } : {}) });
        expect(result.available, `${kpi.id} by ${by}`).toBe(true);
        expect(result.rows.length, `${kpi.id} by ${by}`).toBeGreaterThanOrEqual(4);
        if (by) expect(Object.keys(result.rows[0] ?? {}), `${kpi.id} by ${by}`).toContain(by);
      }
    }
  });

  it('reports what is missing instead of computing from absent columns', async () => {
    // adoption-unlicensed has users, logins and activities but no customers table.
    const result = await runKpi(unlicensed, (await testCatalog()).get('data_completeness'), {
      span: JUL_OCT,
    });
    expect(result.available ? [] : result.missing).toEqual([
      'customers.acquired_at',
      'customers.email',
      'customers.phone',
      'customers.segment',
      'customers.industry',
      'customers.owner_id',
    ]);
  });
});
