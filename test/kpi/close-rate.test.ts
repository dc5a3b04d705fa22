import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/data/dataset.ts';
import { kpiRow, kpiRows, openFixture } from '../helpers.ts';

// Fixture test/fixtures/close-rate: six deals.
//   O1 won  closed 2026-09-30 22:30Z   O2 lost closed 2026-09-30 21:30Z
//   O3 lost closed 2026-10-15          O4 open (never counted)
//   O5 won  closed 2026-10-31 23:59:59 O6 won  closed 2026-11-01 00:00 (November: half-open)
describe('close_rate', () => {
  let utc: Dataset;
  let berlin: Dataset;
  beforeAll(async () => {
    utc = await openFixture('close-rate');
    berlin = await openFixture('close-rate', 'Europe/Berlin');
  });
  afterAll(() => {
    utc.close();
    berlin.close();
  });

  it('divides won by won + lost closed in the period, ignoring open deals', async () => {
    // UTC September: O1 won, O2 lost → 1 / 2. October: O3 lost, O5 won → 1 / 2.
    expect(await kpiRow(utc, 'close_rate', '2026-09')).toMatchObject({
      value: 0.5,
      numerator: 1,
      denominator: 2,
    });
    expect(await kpiRow(utc, 'close_rate', '2026-10')).toMatchObject({
      value: 0.5,
      numerator: 1,
      denominator: 2,
    });
  });

  it('reckons periods in the report time zone', async () => {
    // Berlin (UTC+2 until 25 Oct, UTC+1 after): O1 closes 2026-10-01 00:30 local → October;
    // O2 closes 23:30 on 30 Sep → September; O5 closes 2026-11-01 00:59 local → November.
    // September: O2 lost → 0 / 1. October: O1 won, O3 lost → 1 / 2.
    expect(await kpiRow(berlin, 'close_rate', '2026-09')).toMatchObject({
      value: 0,
      numerator: 0,
      denominator: 1,
    });
    expect(await kpiRow(berlin, 'close_rate', '2026-10')).toMatchObject({
      value: 0.5,
      numerator: 1,
      denominator: 2,
    });
  });

  it('gives null, not 0, when nothing closed', async () => {
    expect(await kpiRow(utc, 'close_rate', '2026-08')).toMatchObject({ value: null, coverage: 'none' });
  });

  it('breaks down by an allowlisted dimension, one field named after it', async () => {
    const rows = await kpiRows(
      utc,
      'close_rate',
      { start: '2026-09-01', end: '2026-12-01', grain: 'range' },
      { by: 'channel' },
    );
    // inbound: O1 won, O2 lost, O6 won → 2 / 3; outbound: O3 lost, O5 won → 1 / 2.
    expect(rows.map((r) => [r.channel, r.numerator, r.denominator])).toEqual([
      ['inbound', 2, 3],
      ['outbound', 1, 2],
    ]);
  });

  it('refuses a breakdown that is not declared, listing the allowed ones', async () => {
    await expect(kpiRows(utc, 'close_rate', '2026-10', { by: 'region' })).rejects.toThrow(
      /--by "region" is not a breakdown of close_rate; allowed: owner, rep, product, channel, kind, segment/,
    );
  });
});
