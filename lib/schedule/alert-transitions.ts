// Once per change: from the verdicts of this run and the states last seen, which keys turned to
// holding (announce), which cleared (announce only with notifyWhenCleared), and the states to
// keep. Pure. An unknown verdict (no data, a partial period) changes nothing and sends nothing.

import type { AlertState } from '../deliver/alert-states.ts';

export interface Verdict {
  readonly key: string;
  readonly holds: boolean | null;
  readonly value: number | null;
}

export interface Transitions {
  /** States to write, before anything is sent. */
  readonly writes: readonly AlertState[];
  /** Keys whose turn to holding is announced now (new, or not yet announced before a crash). */
  readonly announce: readonly AlertState[];
  /** Keys whose clearing is announced now (notifyWhenCleared). */
  readonly cleared: readonly AlertState[];
  /** Keys that hold and were announced before: why nothing is sent for them. */
  readonly stillHolding: readonly AlertState[];
}

export function alertTransitions(
  verdicts: readonly Verdict[],
  previous: ReadonlyMap<string, AlertState>,
  run: { readonly period: string; readonly now: string; readonly notifyWhenCleared: boolean },
): Transitions {
  const writes: AlertState[] = [];
  const announce: AlertState[] = [];
  const cleared: AlertState[] = [];
  const stillHolding: AlertState[] = [];
  for (const verdict of verdicts) {
    if (verdict.holds === null) continue;
    const before = previous.get(verdict.key);
    const seen = { key: verdict.key, period: run.period, value: verdict.value };
    if (verdict.holds) {
      if (!before || before.state === 'clear') {
        const state: AlertState = {
          ...seen,
          state: 'holding',
          since: run.now,
          episode: (before?.episode ?? 0) + 1,
          announced: false,
        };
        writes.push(state);
        announce.push(state);
      } else {
        const state: AlertState = { ...before, ...seen };
        writes.push(state);
        if (before.announced) stillHolding.push(state);
        else announce.push(state);
      }
    } else if (before?.state === 'holding') {
      const state: AlertState = {
        ...seen,
        state: 'clear',
        since: run.now,
        episode: before.episode,
        announced: !run.notifyWhenCleared,
      };
      writes.push(state);
      if (run.notifyWhenCleared) cleared.push(state);
    } else if (before && !before.announced && run.notifyWhenCleared) {
      // Cleared before a crash, not yet announced.
      const state: AlertState = { ...before, ...seen };
      writes.push(state);
      cleared.push(state);
    } else {
      writes.push({
        ...seen,
        state: 'clear',
        since: before?.since ?? run.now,
        episode: before?.episode ?? 0,
        announced: true,
      });
    }
  }
  return { writes, announce, cleared, stillHolding };
}
