import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/data/dataset.ts';
import { attainment, comparisonSpans, isGood, onTrack } from '../../lib/kpi/compare.ts';
import { parsePeriod, parseRange } from '../../lib/kpi/period.ts';
import { runKpiCompared } from '../../lib/kpi/run-compared.ts';
import { readTargets } from '../../lib/kpi/targets.ts';
import { openFixture, testCatalog } from '../helpers.ts';

// test/fixtures/compare: close rate 1/4 in 2025-10, 1/2 in 2026-09, 3/4 in 2026-10. A0 (lost on
// 2025-09-30) makes October 2025 a whole month of data; D1 (open, created 2026-10-31) dates the
// export: it covers October 2026 to its last day, so every compared month is whole.
// Targets: close_rate 0.8 for 2026-10 and 0.5 for 2026-09; sales_cycle_days 30 for 2026-10.
describe('comparisons and targets', () => {
  let dataset: Dataset;
  beforeAll(async () => {
    dataset = await openFixture('compare');
  });
  afterAll(() => dataset.close());

  async function compared(id: string, period: ReturnType<typeof parsePeriod>, by?: string) {
    const result = await runKpiCompared(
      dataset,
      (await testCatalog()).get(id),
      { span: period, ...(by ? { by } : {}) },
      await readTargets(dataset),
    );
    if (!result.available) throw new Error('not available');
    return result.compared;
  }

  it('compares with the previous month and the same month last year, and the target', async () => {
    const [october] = await compared('close_rate', parsePeriod('2026-10'));
    expect(october).toMatchObject({
      value: 0.75,
      previous_value: 0.5, // 2026-09: B1 won, B2 lost
      change: 0.25,
      relative_change: 0.5, // 0.25 ÷ 0.5
      change_is_good: true, // close rate: up is good
      year_ago_value: 0.25, // 2025-10: A1 won of four
      yoy_change: 0.5,
      yoy_relative_change: 2,
      yoy_is_good: true,
      target: 0.8,
      on_track: false,
    });
    expect(october?.attainment).toBeCloseTo(0.9375); // 0.75 ÷ 0.8
  });

  it('gives each period of a series its own comparisons', async () => {
    const rows = await compared('close_rate', { start: '2026-09-01', end: '2026-11-01', grain: 'month' });
    expect(rows.map((r) => [r.period_start, r.value, r.previous_value, r.target, r.on_track])).toEqual([
      ['2026-09-01', 0.5, null, 0.5, true], // no deals closed in 2026-08: no previous value
      ['2026-10-01', 0.75, 0.5, 0.8, false],
    ]);
  });

  it('compares a custom range with the range before it and the same dates last year', async () => {
    const [row] = await compared('close_rate', parseRange('2026-10-10', '2026-10-12'));
    // [10, 12) Oct 2026: C1, C2 won → 1. The two days before: nothing → null.
    // [10, 12) Oct 2025: A1 won, A2 lost → 0.5.
    expect(row).toMatchObject({
      value: 1,
      previous_value: null,
      year_ago_value: 0.5,
      yoy_change: 0.5,
      target: null,
    });
  });

  it('colours by direction: a shorter sales cycle is better, and beating a lower-is-better target is on track', async () => {
    const [october] = await compared('sales_cycle_days', parsePeriod('2026-10'));
    // C1..C3 won after 39, 40, 41 days → mean 40; 2026-09: B1 won after 40 days → no change.
    expect(october).toMatchObject({
      value: 40,
      previous_value: 40,
      change: 0,
      change_is_good: null,
      target: 30,
    });
    expect(october?.on_track).toBe(false);
    expect(october?.attainment).toBeCloseTo(0.75); // 30 ÷ 40: below 1 = worse than target
  });

  it('matches breakdown rows with their own previous period and only applies targets per segment', async () => {
    const rows = await compared('close_rate', parsePeriod('2026-10'), 'channel');
    // inbound: 2/2 now, 1/1 in September; outbound: 1/2 now, 0/1 in September.
    expect(rows.map((r) => [r.channel, r.value, r.previous_value, r.target])).toEqual([
      ['inbound', 1, 1, null],
      ['outbound', 0.5, 0, null],
    ]);
  });

  it('judges changes and attainment by direction', () => {
    expect(isGood(0.1, 'up')).toBe(true);
    expect(isGood(0.1, 'down')).toBe(false);
    expect(isGood(0, 'up')).toBeNull();
    expect(isGood(0.1, 'none')).toBeNull();
    expect(attainment(20, 25, 'down')).toBe(1.25);
    expect(onTrack(20, 25, 'down')).toBe(true);
    expect(attainment(null, 25, 'up')).toBeNull();
  });

  it('computes a year of history in one series so week, month and quarter comparisons come from one query', () => {
    expect(comparisonSpans(parsePeriod('2026-10'))).toEqual([
      { start: '2025-10-01', end: '2026-11-01', grain: 'month' },
    ]);
    expect(comparisonSpans(parsePeriod('2026-W44'))).toEqual([
      { start: '2025-10-27', end: '2026-11-02', grain: 'week' },
    ]);
  });
});
