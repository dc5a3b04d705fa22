import { describe, expect, it } from 'vitest';
import {
  decomposeRatio,
  decomposeSum,
  type RatioDecomposition,
  type RatioSegmentInput,
  ratioSegments,
  sumSegments,
} from '../../lib/insights/decompose.ts';
import type { KpiRow } from '../../lib/kpi/run.ts';
import { ISSUE_CURRENT, ISSUE_PREVIOUS, seg } from './examples.ts';

function effects(d: RatioDecomposition | null, key: string) {
  const found = d?.segments.find((s) => s.key === key);
  if (!found) throw new Error(`no segment ${key}`);
  return found;
}

function decomposed(current: RatioSegmentInput[], previous: RatioSegmentInput[]): RatioDecomposition {
  const d = decomposeRatio(current, previous);
  if (!d) throw new Error('no decomposition');
  return d;
}

describe('decomposeRatio', () => {
  // ISSUE_CURRENT / ISSUE_PREVIOUS: see examples.ts for the numbers worked out by hand.
  it('splits the issue example into −2.9 points of rate (Enterprise) and −1.2 points of mix (SMB)', () => {
    const d = decomposed(ISSUE_CURRENT, ISSUE_PREVIOUS);
    expect(d.previous).toBeCloseTo(0.284, 12);
    expect(d.current).toBeCloseTo(0.243, 12);
    expect(d.change).toBeCloseTo(-0.041, 12);
    expect(d.rateEffect).toBeCloseTo(-0.029, 12);
    expect(d.mixEffect).toBeCloseTo(-0.012, 12);
    expect(effects(d, 'Enterprise')).toMatchObject({ previousWeight: 0.2, currentWeight: 0.2, mix: 0 });
    expect(effects(d, 'Enterprise').rate).toBeCloseTo(-0.029, 12);
    expect(effects(d, 'SMB').rate).toBe(0);
    expect(effects(d, 'SMB').mix).toBeCloseTo(-0.012, 12);
    expect(effects(d, 'Mid-market').rate).toBe(0);
    expect(effects(d, 'Mid-market').mix).toBeCloseTo(0, 12);
    expect(Math.abs(d.residual)).toBeLessThan(1e-12);
  });

  it('pure mix: rates unchanged, deals shift toward the weaker segment', () => {
    // A converts 0.5, B 0.1, in both periods. Deals 50/50 → 20/80.
    // R0 = (25 + 5) / 100 = 0.3; R1 = (10 + 8) / 100 = 0.18; ΔR = −0.12; R̄ = 0.24.
    // mix A = (0.2 − 0.5) × (0.5 − 0.24) = −0.078; mix B = (0.8 − 0.5) × (0.1 − 0.24) = −0.042.
    const d = decomposed([seg('A', 10, 20), seg('B', 8, 80)], [seg('A', 25, 50), seg('B', 5, 50)]);
    expect(d.change).toBeCloseTo(-0.12, 12);
    expect(d.rateEffect).toBe(0);
    expect(effects(d, 'A').mix).toBeCloseTo(-0.078, 12);
    expect(effects(d, 'B').mix).toBeCloseTo(-0.042, 12);
    expect(d.mixEffect).toBeCloseTo(-0.12, 12);
    expect(Math.abs(d.residual)).toBeLessThan(1e-12);
  });

  it('pure rate: weights unchanged, mix is exactly 0', () => {
    // Deals 40/60 in both periods. A 20 → 30 won (0.5 → 0.75), B 12 → 6 won (0.2 → 0.1).
    // R0 = 32/100 = 0.32, R1 = 36/100 = 0.36, ΔR = 0.04.
    // rate A = 0.4 × 0.25 = 0.1; rate B = 0.6 × (−0.1) = −0.06; 0.1 − 0.06 = 0.04.
    const d = decomposed([seg('A', 30, 40), seg('B', 6, 60)], [seg('A', 20, 40), seg('B', 12, 60)]);
    expect(d.change).toBeCloseTo(0.04, 12);
    expect(d.mixEffect).toBe(0);
    expect(effects(d, 'A').rate).toBeCloseTo(0.1, 12);
    expect(effects(d, 'B').rate).toBeCloseTo(-0.06, 12);
    expect(Math.abs(d.residual)).toBeLessThan(1e-12);
  });

  it('a new segment borrows its own current rate for the previous period: pure mix', () => {
    // Previous: A 30/100 (0.3). Current: A 30/100, C (new) 10/100 (0.1).
    // R0 = 0.3, R1 = 40/200 = 0.2, ΔR = −0.1, R̄ = 0.25.
    // C: w 0 → 0.5, r0 := r1 = 0.1: rate 0, mix 0.5 × (0.1 − 0.25) = −0.075.
    // A: w 1 → 0.5, r 0.3 → 0.3: rate 0, mix −0.5 × (0.3 − 0.25) = −0.025.
    const d = decomposed([seg('A', 30, 100), seg('C', 10, 100)], [seg('A', 30, 100)]);
    expect(effects(d, 'C')).toMatchObject({
      inPrevious: false,
      inCurrent: true,
      previousWeight: 0,
      currentWeight: 0.5,
      previousRate: 0.1,
      currentRate: 0.1,
      rate: 0,
    });
    expect(effects(d, 'C').mix).toBeCloseTo(-0.075, 12);
    expect(effects(d, 'A').mix).toBeCloseTo(-0.025, 12);
    expect(d.change).toBeCloseTo(-0.1, 12);
    expect(Math.abs(d.residual)).toBeLessThan(1e-12);
  });

  it('a vanished segment keeps its previous rate: pure mix', () => {
    // Previous: A 30/100, B 10/100. Current: A 30/100.
    // R0 = 0.2, R1 = 0.3, ΔR = +0.1, R̄ = 0.25.
    // B: w 0.5 → 0, r1 := r0 = 0.1: mix −0.5 × (0.1 − 0.25) = +0.075.
    // A: w 0.5 → 1: mix 0.5 × (0.3 − 0.25) = +0.025.
    const d = decomposed([seg('A', 30, 100)], [seg('A', 30, 100), seg('B', 10, 100)]);
    expect(d.segments.map((s) => s.key)).toEqual(['A', 'B']);
    expect(effects(d, 'B')).toMatchObject({ inPrevious: true, inCurrent: false, currentRate: 0.1, rate: 0 });
    expect(effects(d, 'B').mix).toBeCloseTo(0.075, 12);
    expect(effects(d, 'A').mix).toBeCloseTo(0.025, 12);
    expect(d.change).toBeCloseTo(0.1, 12);
    expect(Math.abs(d.residual)).toBeLessThan(1e-12);
  });

  it('zero denominators: ignored in both periods, absent in one, null for a whole empty period', () => {
    // Z has no deals in either period: left out. C has none in the previous period: as if new,
    // so the result equals the "new segment" case above.
    const d = decomposed(
      [seg('A', 30, 100), seg('C', 10, 100), seg('Z', 0, 0)],
      [seg('A', 30, 100), seg('C', 0, 0), seg('Z', 0, 0)],
    );
    expect(d.segments.map((s) => s.key)).toEqual(['A', 'C']);
    expect(effects(d, 'C')).toMatchObject({ inPrevious: false, previousWeight: 0, rate: 0 });
    expect(effects(d, 'C').mix).toBeCloseTo(-0.075, 12);
    expect(decomposeRatio([seg('A', 1, 2)], [seg('A', 0, 0)])).toBeNull();
    expect(decomposeRatio([seg('A', 1, 2)], [])).toBeNull();
  });

  it('refuses a rate that cannot exist, and adds up rows with the same key', () => {
    expect(() => decomposeRatio([seg('A', 1, 0)], [seg('A', 1, 2)])).toThrow(/zero denominator/);
    expect(() => decomposeRatio([seg('A', 1, -2)], [seg('A', 1, 2)])).toThrow(/negative denominator/);
    expect(() => decomposeRatio([seg('A', Number.NaN, 2)], [seg('A', 1, 2)])).toThrow(/finite/);
    const split = decomposed([seg('A', 1, 4), seg('A', 2, 4)], [seg('A', 1, 2)]);
    expect(split.segments).toHaveLength(1);
    expect(split.current).toBe(3 / 8);
  });

  it('is exact: rate + mix = ΔR for 1,000 random cases (seeded)', () => {
    const random = mulberry32(20261015);
    const int = (max: number) => Math.floor(random() * (max + 1));
    const pool = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
    const period = (scale: 'rate' | 'amount') =>
      pool.flatMap((key) => {
        if (random() < 0.25) return []; // missing in this period
        const denominator = random() < 0.1 ? 0 : int(500);
        const numerator =
          denominator === 0 ? 0 : scale === 'rate' ? int(denominator) : random() * denominator * 50_000;
        return [seg(key, numerator, denominator)];
      });
    let checked = 0;
    for (let i = 0; i < 1000; i++) {
      const scale = i % 2 === 0 ? 'rate' : 'amount';
      const current = period(scale);
      const previous = period(scale);
      const d = decomposeRatio(current, previous);
      const total = (rows: RatioSegmentInput[], f: (r: RatioSegmentInput) => number) =>
        rows.reduce((t, r) => t + f(r), 0);
      const d0 = total(previous, (r) => r.denominator);
      const d1 = total(current, (r) => r.denominator);
      if (d0 === 0 || d1 === 0) {
        expect(d).toBeNull();
        continue;
      }
      if (!d) throw new Error('expected a decomposition');
      const expectedChange =
        total(current, (r) => r.numerator) / d1 - total(previous, (r) => r.numerator) / d0;
      const effectsSum = d.segments.reduce((t, s) => t + s.rate + s.mix, 0);
      // Rates (≤ 1) to 1e-12 absolute; amounts (up to 50,000 per item) to 1e-12 relative.
      const tolerance = 1e-12 * Math.max(1, Math.abs(d.previous), Math.abs(d.current));
      expect(Math.abs(d.residual)).toBeLessThan(tolerance);
      expect(Math.abs(effectsSum - expectedChange)).toBeLessThan(tolerance);
      expect(Math.abs(d.change - expectedChange)).toBeLessThan(tolerance);
      checked++;
    }
    expect(checked).toBeGreaterThan(900);
  });

  it('is deterministic', () => {
    expect(decomposeRatio(ISSUE_CURRENT, ISSUE_PREVIOUS)).toEqual(
      decomposeRatio(ISSUE_CURRENT, ISSUE_PREVIOUS),
    );
  });
});

describe('decomposeSum', () => {
  it("gives each segment's change, missing segments counting as 0", () => {
    // Previous: Enterprise 6.2M, SMB 3.088M, Partner 0.1M = 9.388M.
    // Current: Enterprise 6.0M, SMB 3.0M, Startup 0.05M = 9.05M. Change −338,000 =
    // −200,000 (Enterprise) − 88,000 (SMB) − 100,000 (Partner, gone) + 50,000 (Startup, new).
    const d = decomposeSum(
      [
        { key: 'Enterprise', value: 6_000_000 },
        { key: 'SMB', value: 3_000_000 },
        { key: 'Startup', value: 50_000 },
      ],
      [
        { key: 'Enterprise', value: 6_200_000 },
        { key: 'SMB', value: 3_088_000 },
        { key: 'Partner', value: 100_000 },
      ],
    );
    expect(d.segments).toEqual([
      { key: 'Enterprise', previous: 6_200_000, current: 6_000_000, change: -200_000 },
      { key: 'SMB', previous: 3_088_000, current: 3_000_000, change: -88_000 },
      { key: 'Startup', previous: 0, current: 50_000, change: 50_000 },
      { key: 'Partner', previous: 100_000, current: 0, change: -100_000 },
    ]);
    expect(d).toMatchObject({ previous: 9_388_000, current: 9_050_000, change: -338_000, residual: 0 });
  });
});

describe('segments from KPI rows', () => {
  const row = (extra: Record<string, string | number | null>): KpiRow => ({
    id: 'close_rate',
    period_start: '2026-10-01',
    period_end: '2026-11-01',
    value: null,
    ...extra,
  });

  it('reads the breakdown column, numerator and denominator; a null breakdown is "(blank)"', () => {
    const rows = [
      row({ segment: 'SMB', numerator: 3, denominator: 10 }),
      row({ segment: null, numerator: 1, denominator: 4 }),
      row({ segment: 'Enterprise', numerator: null, denominator: null }),
    ];
    expect(ratioSegments(rows, 'segment')).toEqual([seg('SMB', 3, 10), seg('(blank)', 1, 4)]);
    expect(sumSegments([row({ segment: 'SMB', value: 12 }), row({ segment: 'X' })], 'segment')).toEqual([
      { key: 'SMB', value: 12 },
    ]);
  });
});

/** A small seeded generator, so the random cases are the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
