import { describe, expect, it } from 'vitest';
import { createFormatter } from '../../lib/format/formatter.ts';
import { type MoverInput, scoreMover, topMovers, whyUnscored } from '../../lib/insights/movers.ts';
import { unusualness } from '../../lib/report/cells/what-changed.ts';

// Flat close rate: 30 % for four months, then 26 %. Earlier changes 0, 0, 0 → sd 0.
// Floor = max(0.001, 1 % × mean |x|) = max(0.001, 0.01 × 1.46 / 5 = 0.00292) = 0.00292.
// z = −0.04 / 0.00292 = −13.70 (finite: the floor stops the explosion).
const closeRate: MoverInput = {
  id: 'close_rate',
  title: 'Close rate',
  unit: 'ratio',
  direction: 'up',
  values: [0.3, 0.3, 0.3, 0.3, 0.26],
};

// Noisy revenue: 100, 120, 95, 125, 90, then 110. Earlier changes +20, −25, +30, −35:
// mean −2.5, squared deviations 22.5² + 22.5² + 32.5² + 32.5² = 3,125, ÷ 3 = 1,041.67,
// sd = 32.27. Latest change +20 → z = 20 / 32.27 = 0.62: a bigger move than close rate's in
// its own terms, but a usual one.
const revenue: MoverInput = {
  id: 'revenue',
  unit: 'money',
  direction: 'up',
  values: [100, 120, 95, 125, 90, 110],
};

// Churn (lower is better): 5.0, 5.2, 4.9, 5.1, 5.0, then 4.4 %. Earlier changes +0.2, −0.3,
// +0.2, −0.1 points: mean 0, squares 4 + 9 + 4 + 1 = 18 (×1e-6), ÷ 3 = 6e-6, sd = 0.00245
// (above the floor max(0.001, 0.01 × 0.0493)). Latest −0.006 → z = −2.449, good (it fell).
const churn: MoverInput = {
  id: 'churn_rate',
  unit: 'ratio',
  direction: 'down',
  values: [0.05, 0.052, 0.049, 0.051, 0.05, 0.044],
};

describe('movers', () => {
  it('a flat history is floored, not divided by zero', () => {
    const mover = scoreMover(closeRate);
    expect(mover).toMatchObject({ deviation: 0, floored: true, history: 3, movement: 'down', good: false });
    expect(mover?.scale).toBeCloseTo(0.00292, 12);
    expect(mover?.z).toBeCloseTo(-0.04 / 0.00292, 9);
    expect(mover?.change).toBeCloseTo(-0.04, 12);
  });

  it('a noisy history gives a small z for a usual-sized move', () => {
    const mover = scoreMover(revenue);
    expect(mover).toMatchObject({ floored: false, history: 4, change: 20, movement: 'up', good: true });
    expect(mover?.deviation).toBeCloseTo(Math.sqrt(3125 / 3), 9);
    expect(mover?.z).toBeCloseTo(20 / Math.sqrt(3125 / 3), 9);
    expect(mover?.relativeChange).toBeCloseTo(20 / 90, 12);
  });

  it('ranks by |z| and says whether the move was good the KPI’s way', () => {
    const nps: MoverInput = { id: 'nps', unit: 'score', direction: 'none', values: [30, 31, 30, 31, 32.5] };
    // nps: changes +1, −1, +1 → mean 1/3, squares 4/9 + 16/9 + 4/9, ÷ 2 → sd √(4/3) = 1.155;
    // latest +1.5 → z 1.30; no direction → good null.
    const ranked = topMovers([revenue, nps, churn, closeRate], { top: 3 });
    expect(ranked.map((m) => m.id)).toEqual(['close_rate', 'churn_rate', 'nps']);
    expect(ranked.map((m) => m.good)).toEqual([false, true, null]);
    expect(ranked.map((m) => m.movement)).toEqual(['down', 'down', 'up']);
    expect(ranked[1]?.z).toBeCloseTo(-0.006 / Math.sqrt(6e-6), 9);
    expect(ranked[2]?.z).toBeCloseTo(1.5 / Math.sqrt(4 / 3), 9);
    expect(topMovers([revenue, nps, churn, closeRate]).length).toBe(3);
    expect(topMovers([revenue, nps, churn, closeRate], { top: 10 }).map((m) => m.id)).toEqual([
      'close_rate',
      'churn_rate',
      'nps',
      'revenue',
    ]);
  });

  it('with a least |z|, leave out a move within the usual swing: revenue (z 0.62) is not news', () => {
    expect(topMovers([revenue, churn, closeRate], { minimumZ: 1 }).map((m) => m.id)).toEqual([
      'close_rate',
      'churn_rate',
    ]);
    expect(topMovers([revenue], { minimumZ: 1 })).toEqual([]);
    expect(topMovers([revenue]).map((m) => m.id)).toEqual(['revenue']);
  });

  it('the floor can be set per KPI and as a share of the level', () => {
    // Close rate with a floor of 1 point: z = −0.04 / 0.01 = −4.
    expect(scoreMover({ ...closeRate, minDeviation: 0.01 })?.z).toBeCloseTo(-4, 12);
    // Relative floor 10 %: 0.0292 → z = −1.37.
    expect(scoreMover(closeRate, { relativeFloor: 0.1 })?.z).toBeCloseTo(-0.04 / 0.0292, 9);
  });

  it('leaves out series too short, with a missing latest value, or that did not move', () => {
    const base = { unit: 'count', direction: 'up' } as const;
    expect(scoreMover({ ...base, id: 'two', values: [1, 2] })).toBeNull();
    expect(scoreMover({ ...base, id: 'gap', values: [1, 2, 3, null] })).toBeNull();
    expect(scoreMover({ ...base, id: 'holes', values: [1, null, 3, 4] })).toBeNull(); // no earlier change
    // One or two earlier changes say nothing of a usual swing: one has no spread (a move of 3
    // after a single +1 read as 100× it); three are the least.
    expect(scoreMover({ ...base, id: 'one', values: [1, 2, null, 3, 5] })).toBeNull();
    expect(scoreMover({ ...base, id: 'two', values: [1, 2, 3, 100] })).toBeNull();
    expect(scoreMover({ ...base, id: 'gaps', values: [1, 2, 3, null, 4, 5, null, 6, 9] })?.history).toBe(3);
    const still = { ...base, id: 'still', values: [1, 2, 3, 3] };
    expect(topMovers([still, { ...base, id: 'two', values: [1, 2] }])).toEqual([]);
  });

  it('says why a series cannot be scored, so "nothing unusual" is never said of it', () => {
    // CDNOW after three months: revenue 299K, 380K, 393K, then 143K (−63.7 %). Two earlier
    // changes: not enough to know its usual swing, so it is not judged (it is not "usual").
    expect(whyUnscored([null, 299_060, 379_590, 393_155, 142_824])).toEqual({
      reason: 'short-history',
      earlier: 2,
    });
    expect(whyUnscored([null, null, 0.82])).toEqual({ reason: 'no-previous' });
    expect(whyUnscored([0.3, 0.3, 0.3, null])).toEqual({ reason: 'no-latest' });
    expect(whyUnscored([1, 2, null, 3, 5])).toEqual({ reason: 'short-history', earlier: 1 });
    // Scored exactly when whyUnscored has nothing to say.
    for (const input of [closeRate, revenue, churn]) {
      expect(whyUnscored(input.values)).toBeUndefined();
      expect(scoreMover(input)).not.toBeNull();
    }
  });

  it('ties keep the input order; same input, same answer', () => {
    const a: MoverInput = { id: 'a', unit: 'count', direction: 'up', values: [10, 10, 10, 10, 15] };
    const b: MoverInput = { ...a, id: 'b' };
    expect(topMovers([a, b]).map((m) => m.id)).toEqual(['a', 'b']);
    expect(topMovers([b, a]).map((m) => m.id)).toEqual(['b', 'a']);
    expect(topMovers([revenue, churn, closeRate])).toEqual(topMovers([revenue, churn, closeRate]));
  });
});

describe('how unusual a move is, in words', () => {
  it('is a multiple of the usual swing only when the history varied', () => {
    const format = createFormatter();
    const noisy = scoreMover(churn);
    const flat = scoreMover({ ...closeRate, values: [0.3, 0.3, 0.3, 0.3, 0.3, 0.26] });
    const wobble = scoreMover({ ...closeRate, values: [0.3, 0.3001, 0.3, 0.3001, 0.26] });
    if (!noisy || !flat || !wobble) throw new Error('expected movers');
    expect(unusualness(noisy, 'month', format)).toBe('That is 2.4× its usual swing.');
    expect(unusualness(flat, 'month', format)).toBe('It had not moved at all in the 5 months before.');
    expect(unusualness(wobble, 'week', format)).toBe('It had barely moved in the 4 weeks before.');
    // The biggest mover may be no bigger than it usually moves: said, with the multiple.
    const usual = scoreMover({ ...closeRate, values: [0.3, 0.4, 0.3, 0.4, 0.3, 0.4] });
    if (!usual) throw new Error('expected a mover');
    expect(unusualness(usual, 'month', format)).toBe('That is about its usual swing (0.9×).');
  });
});
