// An alert's condition, and whether it holds for one KPI value. Pure: the numbers come in, a
// verdict with its reason goes out. A value the data cannot support (no data, a partial period)
// never holds: the verdict is "unknown" with why, and nothing is sent on it.

import type { Direction, Unit } from '../kpi/definition.ts';
import { MIN_EARLIER_CHANGES, scoreMover } from './movers.ts';

/** How far beyond its usual swing a change must be to count as unusual (as "what changed" says it). */
export const UNUSUAL_FACTOR = 1.5;

export type AlertWhen = 'above' | 'below' | 'off_target' | 'unusual';
export const ALERT_WHEN: readonly AlertWhen[] = ['above', 'below', 'off_target', 'unusual'];

export interface AlertRule {
  readonly kpi: string;
  readonly when: AlertWhen;
  /** The line for above/below, in the KPI's own unit (a ratio as 0.02 for 2 %). */
  readonly value?: number;
  /** For unusual: how many usual swings (default UNUSUAL_FACTOR). */
  readonly factor?: number;
  /** One state per value of this breakdown (e.g. per segment). */
  readonly by?: string;
  readonly grain: 'week' | 'month' | 'quarter' | 'year';
  /** Scope, as a report's params: { region: 'EMEA' }. */
  readonly params: Readonly<Record<string, string>>;
  readonly notifyWhenCleared: boolean;
}

/** What one key (the whole KPI, or one breakdown value) shows for the evaluated period. */
export interface AlertInput {
  readonly unit: Unit;
  readonly direction: Direction;
  /** The period's value; null when the data cannot support one. */
  readonly value: number | null;
  /** Why there is no value ("this period is partial", "no data"); shown when value is null. */
  readonly unknownReason?: string;
  readonly target?: number | null;
  /** Whole values of the trailing periods, oldest first, ending with this one (for unusual). */
  readonly history?: readonly (number | null)[];
}

export interface AlertVerdict {
  /** true: the condition holds; false: it does not; null: unknown (never fires). */
  readonly holds: boolean | null;
  /** The line the value is compared with (the threshold or the target), when there is one. */
  readonly line: number | null;
  /** How far beyond the usual swing (unusual only). */
  readonly swings?: number;
  /**
   * Unusual only: the history barely varied, so swings is a multiple of the smallest swing
   * counted, not of a measured one; said as "after N periods without a move".
   */
  readonly flat?: boolean;
  /** "above 0.02", "below its target 0.3", "3.1× its usual swing", or why it is unknown. */
  readonly reason: string;
}

export function evaluateAlert(rule: AlertRule, input: AlertInput): AlertVerdict {
  if (input.value === null)
    return { holds: null, line: null, reason: `unknown: ${input.unknownReason ?? 'no data for the period'}` };
  const value = input.value;
  switch (rule.when) {
    case 'above':
    case 'below': {
      const line = rule.value ?? Number.NaN;
      const holds = rule.when === 'above' ? value > line : value < line;
      return { holds, line, reason: `${holds ? 'is' : 'is not'} ${rule.when} the line` };
    }
    case 'off_target': {
      const target = input.target ?? null;
      if (target === null) return { holds: null, line: null, reason: 'unknown: no target for the period' };
      const off = input.direction === 'down' ? value > target : value < target;
      return { holds: off, line: target, reason: off ? 'is off target' : 'is on target' };
    }
    case 'unusual': {
      const mover = scoreMover({
        id: rule.kpi,
        unit: input.unit,
        direction: input.direction,
        values: input.history ?? [],
      });
      if (!mover)
        return {
          holds: null,
          line: null,
          reason: `unknown: too few whole periods to know the usual swing (it needs ${MIN_EARLIER_CHANGES} earlier changes)`,
        };
      const factor = rule.factor ?? UNUSUAL_FACTOR;
      const swings = Math.abs(mover.z);
      return {
        holds: swings >= factor,
        line: null,
        swings,
        ...(mover.floored ? { flat: true } : {}),
        reason: mover.floored
          ? `moved after ${mover.history + 1} periods that barely moved (${swings.toFixed(1)}× the smallest swing counted; the line is ${factor}×)`
          : `moved ${swings.toFixed(1)}× its usual swing (the line is ${factor}×)`,
      };
    }
  }
}
