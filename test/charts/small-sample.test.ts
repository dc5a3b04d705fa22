import { describe, expect, it } from 'vitest';
import { buildBars, MIN_SAMPLE } from '../../lib/charts/bars.ts';

// One deal of one is a 100 % close rate, not a leader: a group names the chart only with at
// least MIN_SAMPLE items, and says how many it rests on.
describe('bars by a breakdown', () => {
  it('never names a group of fewer than MIN_SAMPLE items as the leader, and says the n', () => {
    const chart = buildBars({
      unit: 'ratio',
      name: 'Close rate',
      dimension: 'Product',
      bars: [
        { label: 'GTK 500', value: 1, sample: 1 },
        { label: 'GTX Pro', value: 0.64, sample: 34 },
        { label: 'MG Special', value: 0.6, sample: 120 },
      ],
    });
    expect(MIN_SAMPLE).toBe(10);
    expect(chart.title).toBe('GTX Pro leads on close rate with 64.0 % (n = 34)');
    expect(chart.alt).toContain('GTK 500 100.0 %');
  });

  it('names no leader when every group is too small, and still draws them', () => {
    const chart = buildBars({
      unit: 'ratio',
      name: 'Close rate',
      bars: [
        { label: 'A', value: 1, sample: 1 },
        { label: 'B', value: 0.5, sample: 2 },
      ],
    });
    expect(chart.title).toBe('No group has the 10 items a comparison needs');
    expect(chart.alt).toContain('A 100.0 %; B 50.0 %');
  });
});
