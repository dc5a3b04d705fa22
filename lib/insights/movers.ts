// Which KPIs moved unusually this period. Pure and deterministic.
//
// For each KPI: the period-over-period changes of its series c_k = x_k − x_(k−1); the latest
// change c_last is compared with the spread of the earlier ones:
//   z = c_last ÷ max(sd(c_1 … c_(last−1)), floor)
// sd is the sample standard deviation (n − 1) of at least MIN_EARLIER_CHANGES changes: one or
// two say little about a usual swing (one has no spread at all, and made any move look like
// 100× it). The floor keeps a flat history (sd = 0) from turning any wobble into z = ∞:
//   floor = max(minDeviation (per KPI, else a default per unit), relativeFloor × mean |x|)
// KPIs are ranked by |z|, largest first; ties keep the input order.

import { isGood } from '../kpi/compare.ts';
import type { Direction, Unit } from '../kpi/definition.ts';

export interface MoverInput {
  readonly id: string;
  /** For sentences; defaults to the id. */
  readonly title?: string;
  readonly unit: Unit;
  readonly direction: Direction;
  /** Oldest → newest, one value per period; null = no data for that period. */
  readonly values: readonly (number | null)[];
  /** The smallest deviation to divide by, in the KPI's own units (overrides the unit default). */
  readonly minDeviation?: number;
}

export interface Mover {
  readonly id: string;
  readonly title: string;
  readonly unit: Unit;
  readonly direction: Direction;
  readonly latest: number;
  readonly previous: number;
  /** latest − previous. */
  readonly change: number;
  /** change ÷ |previous|; null when previous is 0. */
  readonly relativeChange: number | null;
  /** Sample standard deviation of the earlier changes. */
  readonly deviation: number;
  /** What the change was divided by: max(deviation, floor). */
  readonly scale: number;
  /** true when the floor, not the history, set the scale. */
  readonly floored: boolean;
  /** change ÷ scale: how many usual variations the latest change is. */
  readonly z: number;
  /** How many earlier changes the deviation comes from. */
  readonly history: number;
  /** Which way the KPI moved. */
  readonly movement: Direction;
  /** true = moved the KPI's good way; null = no direction. */
  readonly good: boolean | null;
}

export interface MoverOptions {
  /** How many movers to return (default 3). */
  readonly top?: number;
  /** The floor as a share of the series' mean absolute level (default 0.01 = 1 %). */
  readonly relativeFloor?: number;
  /** The least |z| of a mover (default 0: any change); 1 = at least its usual swing. */
  readonly minimumZ?: number;
}

/** Default floor per unit, in the unit's own terms: 0.1 point of a rate, 0.1 day, one unit. */
export const DEFAULT_MIN_DEVIATION: Readonly<Record<Unit, number>> = {
  ratio: 0.001,
  score: 0.1,
  days: 0.1,
  hours: 0.1,
  months: 0.1,
  money: 1,
  count: 1,
  table: 1,
};

/** How many earlier period-over-period changes a usual swing is measured from, at least. */
export const MIN_EARLIER_CHANGES = 3;

/**
 * The `top` KPIs whose latest change is most unusual. A KPI needs its last two values and at
 * least MIN_EARLIER_CHANGES earlier changes between consecutive values; KPIs without
 * that, or whose latest change is 0, are not movers and are left out.
 */
export function topMovers(inputs: readonly MoverInput[], options: MoverOptions = {}): Mover[] {
  const top = options.top ?? 3;
  const movers = inputs.flatMap((input) => {
    const mover = scoreMover(input, options);
    return mover && mover.change !== 0 && Math.abs(mover.z) >= (options.minimumZ ?? 0) ? [mover] : [];
  });
  // Array.prototype.sort is stable: equal |z| keep the input order.
  return movers.sort((a, b) => Math.abs(b.z) - Math.abs(a.z)).slice(0, Math.max(0, top));
}

/**
 * Why a series' latest change cannot be measured against its usual swing: no latest value, no
 * previous one, or fewer than MIN_EARLIER_CHANGES earlier changes. A report says which, so that
 * "nothing moved more than usual" is never printed when nothing was judged.
 */
export type Unscored =
  | { readonly reason: 'no-latest' }
  | { readonly reason: 'no-previous' }
  | { readonly reason: 'short-history'; readonly earlier: number };

/** Why `values` cannot be scored; undefined when they can (scoreMover then gives a mover). */
export function whyUnscored(values: readonly (number | null)[]): Unscored | undefined {
  if (!isValue(values.at(-1))) return { reason: 'no-latest' };
  if (!isValue(values.at(-2))) return { reason: 'no-previous' };
  const earlier = earlierChanges(values).length;
  return earlier < MIN_EARLIER_CHANGES ? { reason: 'short-history', earlier } : undefined;
}

/** One KPI's latest change against its history; null when the series is too short (whyUnscored). */
export function scoreMover(
  input: MoverInput,
  options: Pick<MoverOptions, 'relativeFloor'> = {},
): Mover | null {
  const { values } = input;
  const latest = values.at(-1);
  const previous = values.at(-2);
  if (!isValue(latest) || !isValue(previous)) return null;
  const earlier = earlierChanges(values);
  if (earlier.length < MIN_EARLIER_CHANGES) return null;

  const deviation = sampleDeviation(earlier);
  const levels = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const meanLevel = levels.reduce((total, v) => total + Math.abs(v), 0) / levels.length;
  const floor = Math.max(
    input.minDeviation ?? DEFAULT_MIN_DEVIATION[input.unit],
    (options.relativeFloor ?? 0.01) * meanLevel,
  );
  const scale = Math.max(deviation, floor);
  const change = latest - previous;
  return {
    id: input.id,
    title: input.title ?? input.id,
    unit: input.unit,
    direction: input.direction,
    latest,
    previous,
    change,
    relativeChange: previous === 0 ? null : change / Math.abs(previous),
    deviation,
    scale,
    floored: deviation < floor,
    z: change / scale,
    history: earlier.length,
    movement: change > 0 ? 'up' : change < 0 ? 'down' : 'none',
    good: isGood(change, input.direction),
  };
}

function isValue(value: number | null | undefined): value is number {
  return value !== null && value !== undefined && Number.isFinite(value);
}

/** The changes between consecutive values before the latest change, skipping gaps. */
function earlierChanges(values: readonly (number | null)[]): number[] {
  const earlier: number[] = [];
  for (let k = 1; k < values.length - 1; k++) {
    const a = values[k - 1];
    const b = values[k];
    if (isValue(a) && isValue(b)) earlier.push(b - a);
  }
  return earlier;
}

function sampleDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((total, v) => total + v, 0) / values.length;
  const squares = values.reduce((total, v) => total + (v - mean) ** 2, 0);
  return Math.sqrt(squares / (values.length - 1));
}
