import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/data/dataset.ts';
import { kpiRow, kpiRows, openFixture } from '../helpers.ts';

// test/fixtures/funnel: four deals closed in October 2026 and one open.
//   F1 won:  prospecting → qualification → proposal → negotiation
//   F2 lost: prospecting → qualification
//   F3 lost: qualification → proposal (skipped prospecting)
//   F4 won:  prospecting → qualification → proposal → negotiation
// Orders: A 100 at 2026-10-01 00:00Z, B 250.50 at 2026-10-31 23:30Z, C 70 at 2026-11-01 00:00Z,
// D 30 at 2026-09-30 23:59Z.
describe('KPIs the reports need', () => {
  let utc: Dataset;
  let newYork: Dataset;
  beforeAll(async () => {
    utc = await openFixture('funnel');
    newYork = await openFixture('funnel', 'America/New_York');
  });
  afterAll(() => {
    utc.close();
    newYork.close();
  });

  it('stage_funnel counts the deals that reached each stage, in stage order, then won', async () => {
    // Mean positions: prospecting 1, qualification 1.75, proposal 2.67, negotiation 4.
    // Furthest stage: F1 4, F2 2, F3 3, F4 4 → reached 4, 4, 3, 2; won 2 (F1, F4); F5 is open.
    const rows = await kpiRows(utc, 'stage_funnel', '2026-10');
    expect(rows.map((r) => [r.stage, r.deals, r.conversion_rate, r.reached_share])).toEqual([
      ['prospecting', 4, null, 1],
      ['qualification', 4, 1, 1],
      ['proposal', 3, 0.75, 0.75],
      ['negotiation', 2, 2 / 3, 0.5],
      ['won', 2, 1, 0.5],
    ]);
  });

  it('stage_funnel before the first close is no data, said, not an empty funnel', async () => {
    expect(await kpiRows(utc, 'stage_funnel', '2026-09')).toEqual([
      expect.objectContaining({
        period_start: '2026-09-01',
        coverage: 'none',
        coverage_note: expect.stringMatching(/^no data for /),
      }),
    ]);
  });

  it('revenue sums the orders of the period in the report time zone', async () => {
    // UTC October: A + B = 350.50 (C is November, D September).
    expect(await kpiRow(utc, 'revenue', '2026-10')).toMatchObject({ value: 350.5, orders: 2, customers: 1 });
    // New York (UTC−4): A is 30 Sep 20:00, C is 31 Oct 20:00 → B + C = 320.50.
    expect(await kpiRow(newYork, 'revenue', '2026-10')).toMatchObject({
      value: 320.5,
      orders: 2,
      customers: 2,
    });
    expect(await kpiRow(utc, 'revenue', '2026-08')).toMatchObject({ value: null, coverage: 'none' });
  });

  it('resolution_time_distribution buckets the tickets resolved in the period, every bucket present', async () => {
    // T1 0.5 h, T2 5 h, T3 30 h resolved in October; T4 in September; T5 open.
    const rows = await kpiRows(utc, 'resolution_time_distribution', '2026-10');
    expect(rows.map((r) => [r.bucket_label, r.tickets])).toEqual([
      ['under 1 h', 1],
      ['1–4 h', 0],
      ['4–8 h', 1],
      ['8–24 h', 0],
      ['1–3 days', 1],
      ['3–7 days', 0],
      ['over 7 days', 0],
    ]);
    expect(rows[0]?.share).toBeCloseTo(1 / 3);
  });

  it('names reps by their user name where the users table has one', async () => {
    const rows = await kpiRows(utc, 'won_revenue', '2026-10', { by: 'rep' });
    // U1 = Ada Lovelace won F1 (1000); U2 is not in users: shown by id, won F4 (500).
    expect(rows.map((r) => [r.rep, r.value])).toEqual([
      ['Ada Lovelace', 1000],
      ['U2', 500],
    ]);
  });
});
