import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/data/dataset.ts';
import type { PeriodSpan } from '../../lib/kpi/period.ts';
import { runKpi } from '../../lib/kpi/run.ts';
import { kpiRow, kpiRows, openFixture, testCatalog } from '../helpers.ts';

// Fixture test/fixtures/service (all instants UTC; the clock is 2026-11-15T12:00Z).
//
// customers: C1 SMB EMEA, C2 Enterprise NA, C3 Mid-Market APAC.
//
// tickets   customer channel category  prio   assignee  created          first response     resolved          contacts reopened
//   A1  C1 email billing   high   U1  08-03 09:00  10:00 (1 h)        08-03 12:00 (3 h)      1  false
//   A2  C2 phone technical low    U2  08-10 09:00  11:00 (2 h)        08-11 09:00 (24 h)     2  false
//   A3  C3 chat  technical high   U1  08-20 09:00  18:00 (9 h)        08-20 21:00 (12 h)     1  true
//   S1  C1 web   technical normal U2  09-28 12:00  14:00 (2 h)        10-02 12:00 (96 h)     3  false
//   S2  C2 email billing   normal U1  09-15 08:00  - (waiting)        -
//   T1  C1 email billing   high   U1  10-01 00:00  01:00 (1 h)        10-01 05:00 (5 h)      1  false
//   T2  C2 phone technical low    U2  10-05 15:00  17:00 (2 h)        10-06 01:00 (10 h)     1  true
//   T3  C3 chat  technical high   U1  10-10 08:00  17:00 (9 h)        10-12 08:00 (48 h)     2  false
//   T4  C3 phone account   normal U2  10-14 09:00  09:30 (0.5 h)      10-14 10:00 (1 h)      -  -
//   T5  C2 chat  account   normal U1  10-15 09:00  10:00 (1 h)        10-15 11:00 (2 h)      1  -
//   T6  C1 web   billing   low    U2  10-20 10:00  - (waiting)        -
//   T7  C2 email billing   normal U1  10-31 23:30  - (waiting)        -                         (Berlin: 1 Nov)
//   T8  C1 email technical high   U2  10-24 12:00  10-25 08:30 (20.5 h) 10-26 12:00 (48 h)     1  false (Berlin DST 25 Oct)
//   T9  C3 web   account   low    U1  11-01 00:00  03:00 (3 h)        11-01 04:00 (4 h)      1  false (NY: created 31 Oct)
//   T10 C2 phone billing   high   U2  10-31 12:00  13:00 (1 h)        11-02 12:00 (48 h)     2  false (NY DST 1 Nov)
//
// surveys (customer, ticket, kind, score, responded)
//   nps  N1 C1 7 07-10, N2 C2 8 07-20 (July: passives only); N3 C1 9 08-10, N4 C3 10 08-20 (August: promoters only);
//        none in September; October: N5 C1 10, N6 C1 8, N7 C1 0, N8 C2 9, N9 C2 10, N10 C3 9, N11 C3 7, N12 C3 6;
//        N13 C2 0 at 11-01 00:00 (November in UTC, 31 Oct in New York).
//   csat Q1 C1/T1 5, Q2 C2/T2 4, Q3 C3/T3 3, Q4 C3/T4 1, Q5 C2/T5 5, Q6 C1/T8 2 (October);
//        Q7 C2/A2 4 at 09-01 00:00 (September).
//   ces  E1 C1/T1 7, E2 C2/T2 5, E3 C3/T3 4, E4 C2/T5 1, E5 C3/T4 3 (October); E6 C1/A1 6 (August).

const JUL_OCT: PeriodSpan = { start: '2026-07-01', end: '2026-11-01', grain: 'month' };

let utc: Dataset;
let berlin: Dataset;
let newYork: Dataset;
beforeAll(async () => {
  [utc, berlin, newYork] = await Promise.all([
    openFixture('service'),
    openFixture('service', 'Europe/Berlin'),
    openFixture('service', 'America/New_York'),
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

describe('first_response_hours', () => {
  it('is the mean hours to a first response of tickets created in P, with median, count and waiting', async () => {
    // Jul: no ticket → null, 0, 0. Aug: A1 1, A2 2, A3 9 → mean 4, median 2 (the mean is pulled up by A3).
    // Sep: S1 2 → 2; S2 has no first response → waiting 1.
    // Oct: T1 1, T2 2, T3 9, T4 0.5, T5 1, T8 20.5, T10 1 → 35 / 7 = 5, median 1 (sorted 0.5 1 1 1 2 9 20.5);
    //   waiting T6, T7. T1 is created at 10-01 00:00 exactly: October.
    expect(
      await series(utc, 'first_response_hours', ['value', 'median_hours', 'tickets', 'waiting']),
    ).toEqual([
      ['2026-07-01', null, null, null, null], // before the data starts: no data
      ['2026-08-01', 4, 2, 3, 0],
      ['2026-09-01', 2, 2, 1, 1],
      ['2026-10-01', 5, 1, 7, 2],
    ]);
    // November: T9 (created at 11-01 00:00: half-open) 3 h.
    expect(await kpiRow(utc, 'first_response_hours', '2026-11')).toMatchObject({
      value: 3,
      median_hours: 3,
      tickets: 1,
      waiting: 0,
    });
  });

  it('reckons creation in the report time zone and elapsed hours across DST', async () => {
    // Berlin: T7 (10-31 23:30Z) is created on 1 Nov 00:30 local → October waits for T6 only.
    // T8 runs 24 Oct 14:00 CEST → 25 Oct 09:30 CET: 19.5 h on the wall clock, 20.5 h elapsed → still 35 / 7.
    expect(await kpiRow(berlin, 'first_response_hours', '2026-10')).toMatchObject({
      value: 5,
      median_hours: 1,
      tickets: 7,
      waiting: 1,
    });
    expect(await kpiRow(berlin, 'first_response_hours', '2026-11')).toMatchObject({ tickets: 1, waiting: 1 });
  });

  it('breaks down by assignee', async () => {
    const rows = await kpiRows(utc, 'first_response_hours', '2026-10', { by: 'assignee' });
    // U1: T1 1, T3 9, T5 1 → 11/3, median 1, waiting T7. U2: T2 2, T4 0.5, T8 20.5, T10 1 → 24/4 = 6,
    // median (1 + 2) / 2 = 1.5, waiting T6.
    expect(rows.map((r) => [r.assignee, r.median_hours, r.tickets, r.waiting])).toEqual([
      ['U1', 1, 3, 1],
      ['U2', 1.5, 4, 1],
    ]);
    expect(rows[0]?.value).toBeCloseTo(11 / 3, 12);
    expect(rows[1]?.value).toBe(6);
  });
});

describe('resolution_hours', () => {
  it('is the mean hours created → resolved of tickets resolved in P, with median and count', async () => {
    // Aug: A1 3, A2 24, A3 12 → 13, median 12. Sep: nothing resolved → null.
    // Oct: S1 96 (created in September), T1 5, T2 10, T3 48, T4 1, T5 2, T8 48 → 210 / 7 = 30,
    //   median 10 (sorted 1 2 5 10 48 48 96). Open T6, T7 are not counted.
    expect(await series(utc, 'resolution_hours', ['value', 'median_hours', 'tickets'])).toEqual([
      ['2026-07-01', null, null, null], // before the data starts: no data
      ['2026-08-01', 13, 12, 3],
      ['2026-09-01', null, null, 0],
      ['2026-10-01', 30, 10, 7],
    ]);
  });

  it('measures elapsed hours exactly across a DST change', async () => {
    // Berlin, 26 Oct: T8 24 Oct 14:00 CEST → 26 Oct 13:00 CET = 47 h on the wall clock, 48 h elapsed.
    expect(
      await kpiRow(berlin, 'resolution_hours', { start: '2026-10-26', end: '2026-10-27', grain: 'range' }),
    ).toMatchObject({ value: 48, median_hours: 48, tickets: 1 });
    // New York, November (from 11-01 04:00Z): T9 resolved at 00:00 local, the first instant, 4 h;
    // T10 31 Oct 08:00 EDT → 2 Nov 07:00 EST = 48 h across the 1 Nov change → (4 + 48) / 2 = 26.
    expect(await kpiRow(newYork, 'resolution_hours', '2026-11')).toMatchObject({
      value: 26,
      median_hours: 26,
      tickets: 2,
    });
  });

  it('breaks down by segment', async () => {
    const rows = await kpiRows(utc, 'resolution_hours', '2026-10', { by: 'segment' });
    // Enterprise (C2): T2 10, T5 2 → 6; Mid-Market (C3): T3 48, T4 1 → 24.5;
    // SMB (C1): S1 96, T1 5, T8 48 → 149/3, median 48.
    expect(rows.map((r) => [r.segment, r.median_hours, r.tickets])).toEqual([
      ['Enterprise', 6, 2],
      ['Mid-Market', 24.5, 2],
      ['SMB', 48, 3],
    ]);
    expect(rows.slice(0, 2).map((r) => r.value)).toEqual([6, 24.5]);
    expect(rows[2]?.value).toBeCloseTo(149 / 3, 12);
  });
});

describe('first_contact_resolution_rate', () => {
  it('divides tickets resolved in P with one contact and not reopened by tickets resolved in P', async () => {
    // Aug: A1 yes; A2 two contacts; A3 reopened → 1/3. Jul, Sep: nothing resolved → null.
    // Oct: T1 yes; T5 yes (reopened NULL = not reopened); T8 yes; S1 3 contacts, T2 reopened,
    //   T3 2 contacts, T4 contacts NULL (unknown → not FCR, still in the denominator) → 3/7.
    expect(await series(utc, 'first_contact_resolution_rate', ['numerator', 'denominator', 'value'])).toEqual(
      [
        ['2026-07-01', null, null, null], // before the data starts: no data
        ['2026-08-01', 1, 3, 1 / 3],
        ['2026-09-01', 0, 0, null],
        ['2026-10-01', 3, 7, 3 / 7],
      ],
    );
  });

  it('breaks down by channel', async () => {
    const rows = await kpiRows(utc, 'first_contact_resolution_rate', '2026-10', { by: 'channel' });
    // chat: T3 no, T5 yes → 1/2; email: T1, T8 yes → 2/2; phone: T2, T4 no → 0/2; web: S1 no → 0/1.
    expect(rows.map((r) => [r.channel, r.numerator, r.denominator, r.value])).toEqual([
      ['chat', 1, 2, 0.5],
      ['email', 2, 2, 1],
      ['phone', 0, 2, 0],
      ['web', 0, 1, 0],
    ]);
  });
});

describe('same_day_resolution_rate', () => {
  it('divides tickets resolved on their creation day by tickets resolved in P', async () => {
    // Aug: A1 (09:00 → 12:00), A3 (09:00 → 21:00) same day; A2 next day → 2/3.
    // Oct (UTC): T1, T4, T5 same day; S1, T2 (10-05 → 10-06 01:00), T3, T8 not → 3/7.
    expect(
      await series(utc, 'same_day_resolution_rate', ['numerator', 'denominator', 'value', 'same_day']),
    ).toEqual([
      ['2026-07-01', null, null, null, null], // before the data starts: no data
      ['2026-08-01', 2, 3, 2 / 3, 2],
      ['2026-09-01', 0, 0, null, 0],
      ['2026-10-01', 3, 7, 3 / 7, 3],
    ]);
  });

  it('compares local calendar days in the report time zone', async () => {
    // T2 is created 10-05 15:00Z and resolved 10-06 01:00Z, just after midnight UTC: another day in UTC,
    // but 11:00 → 21:00 on 5 Oct in New York.
    const days: PeriodSpan = { start: '2026-10-05', end: '2026-10-07', grain: 'range' };
    expect(await kpiRow(utc, 'same_day_resolution_rate', days)).toMatchObject({
      numerator: 0,
      denominator: 1,
      value: 0,
      same_day: 0,
    });
    expect(await kpiRow(newYork, 'same_day_resolution_rate', days)).toMatchObject({
      numerator: 1,
      denominator: 1,
      value: 1,
      same_day: 1,
    });
    // New York, October: T2, T4, T5 same day; T1 (created 30 Sep 20:00, resolved 1 Oct 01:00 local) is not → 3/7.
    // By channel: phone T2 and T4 → 2/2 in New York; 1/2 in UTC (T4 only).
    const ny = await kpiRows(newYork, 'same_day_resolution_rate', '2026-10', { by: 'channel' });
    expect(ny.map((r) => [r.channel, r.same_day, r.denominator])).toEqual([
      ['chat', 1, 2], // T5 (T3 not)
      ['email', 0, 2], // T1, T8 not
      ['phone', 2, 2],
      ['web', 0, 1], // S1
    ]);
    const u = await kpiRows(utc, 'same_day_resolution_rate', '2026-10', { by: 'channel' });
    expect(u.map((r) => [r.channel, r.same_day, r.denominator])).toEqual([
      ['chat', 1, 2], // T5
      ['email', 1, 2], // T1
      ['phone', 1, 2], // T4
      ['web', 0, 1],
    ]);
    // November: T9 (11-01 00:00 → 04:00Z) is same-day in UTC but runs 31 Oct 20:00 → 1 Nov 00:00 in
    // New York; T10 is not → UTC 1/2, New York 0/2.
    expect(await kpiRow(utc, 'same_day_resolution_rate', '2026-11')).toMatchObject({
      same_day: 1,
      denominator: 2,
    });
    expect(await kpiRow(newYork, 'same_day_resolution_rate', '2026-11')).toMatchObject({
      same_day: 0,
      denominator: 2,
      value: 0,
    });
  });
});

describe('tickets_by_type', () => {
  it('is one row per period × category × channel with tickets and share, most tickets first', async () => {
    const rows = await kpiRows(utc, 'tickets_by_type', {
      start: '2026-07-01',
      end: '2026-10-01',
      grain: 'month',
    });
    // Jul: before the first ticket → no data, said. Aug: A1, A2, A3, one each → 1/3. Sep: S1, S2 → 1/2 each.
    expect(rows[0]).toEqual(
      expect.objectContaining({
        period_start: '2026-07-01',
        coverage: 'none',
        coverage_note: expect.stringMatching(/^no data for /),
      }),
    );
    expect(rows.slice(1).map((r) => [r.period_start, r.category, r.channel, r.tickets, r.share])).toEqual([
      ['2026-08-01', 'billing', 'email', 1, 1 / 3],
      ['2026-08-01', 'technical', 'chat', 1, 1 / 3],
      ['2026-08-01', 'technical', 'phone', 1, 1 / 3],
      ['2026-09-01', 'billing', 'email', 1, 0.5],
      ['2026-09-01', 'technical', 'web', 1, 0.5],
    ]);
  });

  it('counts tickets created in P, half-open, ordered by tickets then category and channel', async () => {
    const rows = await kpiRows(utc, 'tickets_by_type', '2026-10');
    // October: T1, T2, T3, T4, T5, T6, T7, T8, T10 = 9 (T9 at 11-01 00:00 is November).
    // billing/email T1, T7 = 2; all other pairs one ticket each.
    expect(rows.map((r) => [r.category, r.channel, r.tickets, r.share])).toEqual([
      ['billing', 'email', 2, 2 / 9],
      ['account', 'chat', 1, 1 / 9], // T5
      ['account', 'phone', 1, 1 / 9], // T4
      ['billing', 'phone', 1, 1 / 9], // T10
      ['billing', 'web', 1, 1 / 9], // T6
      ['technical', 'chat', 1, 1 / 9], // T3
      ['technical', 'email', 1, 1 / 9], // T8
      ['technical', 'phone', 1, 1 / 9], // T2
    ]);
    // Berlin: T7 moves to November → billing/email has T1 only, 8 tickets in October.
    const berlinRows = await kpiRows(berlin, 'tickets_by_type', '2026-10');
    expect(berlinRows.map((r) => r.tickets)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(berlinRows[0]).toMatchObject({ category: 'account', channel: 'chat', share: 1 / 8 });
  });
});

describe('nps', () => {
  it('is % promoters − % detractors of the nps answers in P, from −100 to 100', async () => {
    // Jul: N1 7, N2 8 — only passives → 0. Aug: N3 9, N4 10 — all promoters → 100. Sep: no answer → null.
    // Oct: promoters N5 10, N8 9, N9 10, N10 9 = 4; passives N6 8, N11 7 = 2; detractors N7 0, N12 6 = 2
    //   → (4 − 2) / 8 × 100 = 25. CSAT and CES answers are not NPS answers.
    expect(await series(utc, 'nps', ['value', 'promoters', 'passives', 'detractors', 'responses'])).toEqual([
      ['2026-07-01', 0, 0, 2, 0, 2],
      ['2026-08-01', 100, 2, 0, 0, 2],
      ['2026-09-01', null, 0, 0, 0, 0],
      ['2026-10-01', 25, 4, 2, 2, 8],
    ]);
    // November: N13 0 (at 11-01 00:00: half-open) — one detractor → −100.
    expect(await kpiRow(utc, 'nps', '2026-11')).toMatchObject({ value: -100, detractors: 1, responses: 1 });
  });

  it('reckons answers in the report time zone', async () => {
    // New York: N13 is given on 31 Oct 20:00 local → October: 4 promoters, 2 passives, 3 detractors of 9
    // → (4 − 3) / 9 × 100.
    const row = await kpiRow(newYork, 'nps', '2026-10');
    expect(row).toMatchObject({ promoters: 4, passives: 2, detractors: 3, responses: 9 });
    expect(row.value).toBeCloseTo(100 / 9, 12);
  });

  it('breaks down by segment and region', async () => {
    const bySegment = await kpiRows(utc, 'nps', '2026-10', { by: 'segment' });
    // Enterprise (C2): N8 9, N9 10 → 100; Mid-Market (C3): N10 9, N11 7, N12 6 → (1 − 1) / 3 = 0;
    // SMB (C1): N5 10, N6 8, N7 0 → 0.
    expect(bySegment.map((r) => [r.segment, r.value, r.promoters, r.passives, r.detractors])).toEqual([
      ['Enterprise', 100, 2, 0, 0],
      ['Mid-Market', 0, 1, 1, 1],
      ['SMB', 0, 1, 1, 1],
    ]);
    const byRegion = await kpiRows(utc, 'nps', '2026-10', { by: 'region' });
    expect(byRegion.map((r) => [r.region, r.value, r.responses])).toEqual([
      ['APAC', 0, 3], // C3
      ['EMEA', 0, 3], // C1
      ['NA', 100, 2], // C2
    ]);
  });
});

describe('csat', () => {
  it('is the share of csat answers in P scoring 4 or 5 (of 5)', async () => {
    // Oct: Q1 5, Q2 4, Q5 5 satisfied; Q3 3, Q4 1, Q6 2 not → 3/6. Sep: Q7 4 (at 09-01 00:00) → 1/1.
    // Jul, Aug: no csat answer → null (E6 in August is a CES answer).
    expect(await series(utc, 'csat', ['numerator', 'denominator', 'value'])).toEqual([
      ['2026-07-01', 0, 0, null],
      ['2026-08-01', 0, 0, null],
      ['2026-09-01', 1, 1, 1],
      ['2026-10-01', 3, 6, 0.5],
    ]);
    // New York: Q7 is given on 31 Aug 20:00 local → August 1/1, September none.
    expect(await kpiRow(newYork, 'csat', '2026-08')).toMatchObject({ numerator: 1, denominator: 1 });
    expect(await kpiRow(newYork, 'csat', '2026-09')).toMatchObject({ denominator: 0, value: null });
  });

  it('breaks down by the category of the ticket surveyed', async () => {
    const rows = await kpiRows(utc, 'csat', '2026-10', { by: 'category' });
    // account: Q4 (T4) 1, Q5 (T5) 5 → 1/2; billing: Q1 (T1) 5 → 1/1;
    // technical: Q2 (T2) 4, Q3 (T3) 3, Q6 (T8) 2 → 1/3.
    expect(rows.map((r) => [r.category, r.numerator, r.denominator])).toEqual([
      ['account', 1, 2],
      ['billing', 1, 1],
      ['technical', 1, 3],
    ]);
  });
});

describe('ces', () => {
  it('is the mean ces score in P (1–7, higher = easier) with the share scoring 5 or more', async () => {
    // Oct: E1 7, E2 5, E3 4, E4 1, E5 3 → 20 / 5 = 4; easy (≥ 5): E1, E2 → 2/5. Aug: E6 6 → 6, 1/1.
    expect(await series(utc, 'ces', ['value', 'share_easy', 'responses'])).toEqual([
      ['2026-07-01', null, null, 0],
      ['2026-08-01', 6, 1, 1],
      ['2026-09-01', null, null, 0],
      ['2026-10-01', 4, 0.4, 5],
    ]);
  });

  it('breaks down by segment and by the channel of the ticket surveyed', async () => {
    const bySegment = await kpiRows(utc, 'ces', '2026-10', { by: 'segment' });
    // Enterprise (C2): E2 5, E4 1 → 3, 1/2; Mid-Market (C3): E3 4, E5 3 → 3.5, 0; SMB (C1): E1 7 → 7, 1.
    expect(bySegment.map((r) => [r.segment, r.value, r.share_easy, r.responses])).toEqual([
      ['Enterprise', 3, 0.5, 2],
      ['Mid-Market', 3.5, 0, 2],
      ['SMB', 7, 1, 1],
    ]);
    const byChannel = await kpiRows(utc, 'ces', '2026-10', { by: 'channel' });
    // chat: E3 (T3) 4, E4 (T5) 1 → 2.5; email: E1 (T1) 7; phone: E2 (T2) 5, E5 (T4) 3 → 4.
    expect(byChannel.map((r) => [r.channel, r.value, r.responses])).toEqual([
      ['chat', 2.5, 2],
      ['email', 7, 1],
      ['phone', 4, 2],
    ]);
  });
});

describe('every service KPI', () => {
  it('runs every declared breakdown', async () => {
    const catalog = await testCatalog();
    const service = catalog.kpis.filter((k) => k.area === 'service');
    // Every Service KPI of the catalog (more may be added).
    expect(service.map((k) => k.id)).toEqual(
      expect.arrayContaining([
        'ces',
        'csat',
        'first_contact_resolution_rate',
        'first_response_hours',
        'nps',
        'resolution_hours',
        'same_day_resolution_rate',
        'tickets_by_type',
      ]),
    );
    for (const kpi of service) {
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
