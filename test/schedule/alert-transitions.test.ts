import { describe, expect, it } from 'vitest';
import type { AlertState } from '../../lib/deliver/alert-states.ts';
import { evaluateAlert } from '../../lib/insights/alert-rule.ts';
import { alertTransitions } from '../../lib/schedule/alert-transitions.ts';

const run = { period: '2026-10', now: '2026-11-02T08:00:00.000Z', notifyWhenCleared: false };
const holding = (over: Partial<AlertState> = {}): AlertState => ({
  key: '',
  state: 'holding',
  since: '2026-11-01T08:00:00.000Z',
  period: '2026-10',
  value: 0.03,
  episode: 1,
  announced: true,
  ...over,
});

describe('once per change', () => {
  it('announces a key turning to holding, first time or after clearing, each a new episode', () => {
    const first = alertTransitions([{ key: '', holds: true, value: 0.03 }], new Map(), run);
    expect(first.announce).toMatchObject([{ state: 'holding', episode: 1, announced: false }]);
    const after = alertTransitions(
      [{ key: '', holds: true, value: 0.03 }],
      new Map([['', holding({ state: 'clear', episode: 1 })]]),
      run,
    );
    expect(after.announce).toMatchObject([{ episode: 2 }]);
  });

  it('says nothing while it keeps holding, but resends one never announced (a crash before the send)', () => {
    const still = alertTransitions([{ key: '', holds: true, value: 0.04 }], new Map([['', holding()]]), run);
    expect(still.announce).toEqual([]);
    expect(still.stillHolding).toMatchObject([{ value: 0.04, since: '2026-11-01T08:00:00.000Z' }]);
    const crashed = alertTransitions(
      [{ key: '', holds: true, value: 0.04 }],
      new Map([['', holding({ announced: false })]]),
      run,
    );
    expect(crashed.announce).toMatchObject([{ episode: 1 }]);
  });

  it('announces clearing only when asked; an unknown verdict changes nothing', () => {
    const quiet = alertTransitions([{ key: '', holds: false, value: 0.01 }], new Map([['', holding()]]), run);
    expect(quiet.cleared).toEqual([]);
    expect(quiet.writes).toMatchObject([{ state: 'clear', announced: true }]);
    const told = alertTransitions([{ key: '', holds: false, value: 0.01 }], new Map([['', holding()]]), {
      ...run,
      notifyWhenCleared: true,
    });
    expect(told.cleared).toMatchObject([{ state: 'clear', announced: false }]);
    const unknown = alertTransitions(
      [{ key: '', holds: null, value: null }],
      new Map([['', holding()]]),
      run,
    );
    expect(unknown).toEqual({ writes: [], announce: [], cleared: [], stillHolding: [] });
  });
});

describe('the condition', () => {
  const base = { kpi: 'churn_rate', grain: 'month', params: {}, notifyWhenCleared: false } as const;
  it('above, below, off target by the KPI direction, unusual against the usual swing', () => {
    expect(
      evaluateAlert(
        { ...base, when: 'above', value: 0.02 },
        { unit: 'ratio', direction: 'down', value: 0.024 },
      ).holds,
    ).toBe(true);
    expect(
      evaluateAlert(
        { ...base, when: 'below', value: 0.02 },
        { unit: 'ratio', direction: 'down', value: 0.024 },
      ).holds,
    ).toBe(false);
    expect(
      evaluateAlert(
        { ...base, when: 'off_target' },
        { unit: 'ratio', direction: 'down', value: 0.024, target: 0.02 },
      ).holds,
    ).toBe(true);
    expect(
      evaluateAlert(
        { ...base, when: 'off_target' },
        { unit: 'ratio', direction: 'up', value: 0.024, target: 0.02 },
      ).holds,
    ).toBe(false);
    const steady = [0.02, 0.021, 0.02, 0.021, 0.02, 0.021];
    expect(
      evaluateAlert(
        { ...base, when: 'unusual' },
        { unit: 'ratio', direction: 'down', value: 0.05, history: [...steady, 0.05] },
      ).holds,
    ).toBe(true);
    expect(
      evaluateAlert(
        { ...base, when: 'unusual' },
        { unit: 'ratio', direction: 'down', value: 0.02, history: [...steady, 0.02] },
      ).holds,
    ).toBe(false);
    // A flat history has no usual swing to take a multiple of: the move holds, said as such.
    expect(
      evaluateAlert(
        { ...base, when: 'unusual' },
        { unit: 'ratio', direction: 'down', value: 0.05, history: [0.02, 0.02, 0.02, 0.02, 0.05] },
      ),
    ).toMatchObject({
      holds: true,
      flat: true,
      reason: expect.stringMatching(/^moved after 4 periods that barely moved \(/),
    });
    // Two earlier changes are no usual swing: a jump after them is unknown, not "124.8× usual".
    expect(
      evaluateAlert(
        { ...base, when: 'unusual' },
        { unit: 'ratio', direction: 'down', value: 0.05, history: [0.02, 0.021, 0.02, 0.05] },
      ),
    ).toMatchObject({
      holds: null,
      reason: 'unknown: too few whole periods to know the usual swing (it needs 3 earlier changes)',
    });
  });

  it('is unknown, never holding, without a value or a target', () => {
    expect(
      evaluateAlert(
        { ...base, when: 'above', value: 0.02 },
        { unit: 'ratio', direction: 'down', value: null, unknownReason: 'this period is partial' },
      ),
    ).toMatchObject({ holds: null, reason: 'unknown: this period is partial' });
    expect(
      evaluateAlert({ ...base, when: 'off_target' }, { unit: 'ratio', direction: 'down', value: 0.03 }).holds,
    ).toBeNull();
  });
});
