// Why a KPI changed, split by a breakdown. Pure and deterministic: numbers in, numbers out.
//
// A ratio KPI (close rate, churn rate, average deal size …) is R = Σn ÷ Σd over its segments.
// Its change between two periods splits exactly into a *rate* effect (segments converting
// better or worse) and a *mix* effect (the denominator moving between segments). A sum KPI
// (revenue, counts) splits into each segment's own change.
//
// Notation, per segment i, period 0 = previous, 1 = current:
//   w_i = d_i ÷ Σd (its share of the denominator), r_i = n_i ÷ d_i (its rate),
//   R = Σn ÷ Σd = Σ w_i r_i, R̄ = (R0 + R1) ÷ 2.
//   rate_i = (w0_i + w1_i) ÷ 2 × (r1_i − r0_i)
//   mix_i  = (w1_i − w0_i) × ((r0_i + r1_i) ÷ 2 − R̄)
//
// Exactness, per segment:
//   rate_i + (w1_i − w0_i)(r0_i + r1_i)/2
//     = ½(w0 r1 − w0 r0 + w1 r1 − w1 r0) + ½(w1 r0 + w1 r1 − w0 r0 − w0 r1)
//     = ½(2 w1 r1 − 2 w0 r0) = w1_i r1_i − w0_i r0_i.
// Summed over i that is Σ w1 r1 − Σ w0 r0 = R1 − R0 = ΔR. Subtracting R̄ inside mix_i takes
// away R̄ × Σ(w1_i − w0_i) = R̄ × (1 − 1) = 0, so
//   ΔR = Σ rate_i + Σ mix_i   exactly (up to floating-point rounding).
// Centring on R̄ is what makes the mix effect read right: moving denominator toward a segment
// that converts below average lowers R (negative), toward an above-average one raises it, and
// toward an average one does nothing.
//
// A segment present in one period only has w = 0 in the other; its missing rate is taken from
// the period where it exists (r0 := r1 or r1 := r0). Then rate_i = 0 and its whole effect is
// mix, and the identity above still holds because the borrowed rate is multiplied by w = 0.

import type { KpiRow } from '../kpi/run.ts';

export interface RatioSegmentInput {
  readonly key: string;
  readonly numerator: number;
  readonly denominator: number;
}

export interface SumSegmentInput {
  readonly key: string;
  readonly value: number;
}

export interface RatioSegmentEffect {
  readonly key: string;
  /** In the period or not (a segment with d = 0 counts as absent). */
  readonly inPrevious: boolean;
  readonly inCurrent: boolean;
  readonly previousWeight: number;
  readonly currentWeight: number;
  /** The segment's rate; for a segment absent in a period, the other period's rate. */
  readonly previousRate: number;
  readonly currentRate: number;
  /** Its items (the denominator) in each period: 0 where absent. */
  readonly previousItems: number;
  readonly currentItems: number;
  /** Its contribution through its own rate changing. */
  readonly rate: number;
  /** Its contribution through its share of the denominator changing. */
  readonly mix: number;
  /** rate + mix. */
  readonly total: number;
}

export interface RatioDecomposition {
  readonly kind: 'ratio';
  /** In order of first appearance: the current period's keys, then keys only in the previous. */
  readonly segments: readonly RatioSegmentEffect[];
  readonly previous: number;
  readonly current: number;
  /** current − previous. */
  readonly change: number;
  readonly rateEffect: number;
  readonly mixEffect: number;
  /** change − (rateEffect + mixEffect): floating-point noise only, ~1e-16. */
  readonly residual: number;
}

export interface SumSegmentEffect {
  readonly key: string;
  readonly previous: number;
  readonly current: number;
  /** current − previous (a missing segment counts as 0). */
  readonly change: number;
}

export interface SumDecomposition {
  readonly kind: 'sum';
  readonly segments: readonly SumSegmentEffect[];
  readonly previous: number;
  readonly current: number;
  readonly change: number;
  /** change − Σ segment changes: floating-point noise only. */
  readonly residual: number;
}

/**
 * Splits the change of R = Σn ÷ Σd into rate and mix effects per segment (see the header).
 * Rows with the same key are added together; segments with d = 0 in both periods are left
 * out. Returns null when either period has Σd = 0 (no rate to compare).
 * Throws a RangeError on a non-finite number, a negative denominator, or a non-zero
 * numerator over a zero denominator (a rate that cannot exist).
 */
export function decomposeRatio(
  current: readonly RatioSegmentInput[],
  previous: readonly RatioSegmentInput[],
): RatioDecomposition | null {
  const now = aggregateRatio(current, 'current');
  const before = aggregateRatio(previous, 'previous');
  const d1 = sum([...now.values()].map((s) => s.denominator));
  const d0 = sum([...before.values()].map((s) => s.denominator));
  if (d1 === 0 || d0 === 0) return null;
  const R1 = sum([...now.values()].map((s) => s.numerator)) / d1;
  const R0 = sum([...before.values()].map((s) => s.numerator)) / d0;
  const mean = (R0 + R1) / 2;

  const segments: RatioSegmentEffect[] = [];
  for (const key of unionKeys(now.keys(), before.keys())) {
    const a = before.get(key);
    const b = now.get(key);
    const inPrevious = a !== undefined && a.denominator > 0;
    const inCurrent = b !== undefined && b.denominator > 0;
    if (!inPrevious && !inCurrent) continue;
    const w0 = inPrevious ? a.denominator / d0 : 0;
    const w1 = inCurrent ? b.denominator / d1 : 0;
    const ownR0 = inPrevious ? a.numerator / a.denominator : undefined;
    const ownR1 = inCurrent ? b.numerator / b.denominator : undefined;
    // At least one of the two exists (checked above).
    const r0 = ownR0 ?? (ownR1 as number);
    const r1 = ownR1 ?? (ownR0 as number);
    const rate = ((w0 + w1) / 2) * (r1 - r0);
    const mix = (w1 - w0) * ((r0 + r1) / 2 - mean);
    segments.push({
      key,
      inPrevious,
      inCurrent,
      previousWeight: w0,
      currentWeight: w1,
      previousRate: r0,
      currentRate: r1,
      previousItems: inPrevious ? a.denominator : 0,
      currentItems: inCurrent ? b.denominator : 0,
      rate,
      mix,
      total: rate + mix,
    });
  }
  const rateEffect = sum(segments.map((s) => s.rate));
  const mixEffect = sum(segments.map((s) => s.mix));
  const change = R1 - R0;
  return {
    kind: 'ratio',
    segments,
    previous: R0,
    current: R1,
    change,
    rateEffect,
    mixEffect,
    residual: change - (rateEffect + mixEffect),
  };
}

/** Each segment's change of a summed KPI (money, counts); rows with the same key are added. */
export function decomposeSum(
  current: readonly SumSegmentInput[],
  previous: readonly SumSegmentInput[],
): SumDecomposition {
  const now = aggregateSum(current, 'current');
  const before = aggregateSum(previous, 'previous');
  const segments = unionKeys(now.keys(), before.keys()).map((key) => {
    const v0 = before.get(key) ?? 0;
    const v1 = now.get(key) ?? 0;
    return { key, previous: v0, current: v1, change: v1 - v0 };
  });
  const total0 = sum([...before.values()]);
  const total1 = sum([...now.values()]);
  const change = total1 - total0;
  return {
    kind: 'sum',
    segments,
    previous: total0,
    current: total1,
    change,
    residual: change - sum(segments.map((s) => s.change)),
  };
}

/** Label of rows whose breakdown value is null. */
export const BLANK_SEGMENT = '(blank)';

/**
 * One period's rows of a ratio KPI broken down by `by` (as `runKpi` returns them: the
 * breakdown value in column `by`, plus `numerator` and `denominator`). Rows without a
 * denominator are skipped.
 */
export function ratioSegments(rows: readonly KpiRow[], by: string): RatioSegmentInput[] {
  return rows.flatMap((row) => {
    if (row.denominator === null || row.denominator === undefined) return [];
    const numerator = Number(row.numerator ?? 0);
    const denominator = Number(row.denominator);
    return [{ key: segmentKey(row, by), numerator, denominator }];
  });
}

/** One period's rows of a summed KPI broken down by `by`; rows without a value are skipped. */
export function sumSegments(rows: readonly KpiRow[], by: string): SumSegmentInput[] {
  return rows.flatMap((row) => (row.value === null ? [] : [{ key: segmentKey(row, by), value: row.value }]));
}

function segmentKey(row: KpiRow, by: string): string {
  const value = row[by];
  return value === null || value === undefined ? BLANK_SEGMENT : String(value);
}

function aggregateRatio(
  rows: readonly RatioSegmentInput[],
  period: string,
): Map<string, { numerator: number; denominator: number }> {
  const out = new Map<string, { numerator: number; denominator: number }>();
  for (const row of rows) {
    const { key, numerator, denominator } = row;
    if (!Number.isFinite(numerator) || !Number.isFinite(denominator)) {
      throw new RangeError(`${period} segment "${key}": numerator and denominator must be finite numbers`);
    }
    if (denominator < 0)
      throw new RangeError(`${period} segment "${key}": negative denominator ${denominator}`);
    const seen = out.get(key) ?? { numerator: 0, denominator: 0 };
    out.set(key, { numerator: seen.numerator + numerator, denominator: seen.denominator + denominator });
  }
  for (const [key, s] of out) {
    if (s.denominator === 0 && s.numerator !== 0) {
      throw new RangeError(`${period} segment "${key}": numerator ${s.numerator} over a zero denominator`);
    }
  }
  return out;
}

function aggregateSum(rows: readonly SumSegmentInput[], period: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const { key, value } of rows) {
    if (!Number.isFinite(value)) throw new RangeError(`${period} segment "${key}": value must be finite`);
    out.set(key, (out.get(key) ?? 0) + value);
  }
  return out;
}

function unionKeys(first: Iterable<string>, second: Iterable<string>): string[] {
  return [...new Set([...first, ...second])];
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
