// The pieces under the builders: period labels, axis domains and formats, label spreading,
// text widths from the font files and title wrapping.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spreadLabels } from '../../lib/charts/direct-labels.ts';
import { fontFiles } from '../../lib/charts/fonts.ts';
import { idFrom, wrapTitle } from '../../lib/charts/frame.ts';
import { humanize, plural } from '../../lib/charts/labels.ts';
import { periodLabels } from '../../lib/charts/periods.ts';
import { measureText, parseAdvanceWidths } from '../../lib/charts/text-width.ts';
import { axisFormat, formatLabel, niceDomain } from '../../lib/charts/units.ts';

describe('periodLabels', () => {
  it('names months, with the year on the first and on January', () => {
    expect(
      periodLabels(['2025-11-01', '2025-12-01', '2026-01-01', '2026-02-01']).map((l) => l.short),
    ).toEqual(['Nov 2025', 'Dec', 'Jan 2026', 'Feb']);
    expect(periodLabels(['2026-10-01'])).toEqual([{ short: 'Oct 2026', full: 'Oct 2026' }]);
  });

  it('reads quarters, years, weeks and days from the spacing', () => {
    expect(periodLabels(['2026-04-01', '2026-07-01']).map((l) => l.full)).toEqual(['Q2 2026', 'Q3 2026']);
    expect(periodLabels(['2025-01-01', '2026-01-01']).map((l) => l.short)).toEqual(['2025', '2026']);
    expect(periodLabels(['2026-10-05', '2026-10-12']).map((l) => l.full)).toEqual([
      'Week of Oct 5, 2026',
      'Week of Oct 12, 2026',
    ]);
    expect(periodLabels(['2026-10-05', '2026-10-06']).map((l) => l.short)).toEqual(['Oct 5', 'Oct 6']);
  });

  it('keeps labels that are not dates', () => {
    expect(periodLabels(['2026-W41', '2026-W42'])).toEqual([
      { short: '2026-W41', full: '2026-W41' },
      { short: '2026-W42', full: '2026-W42' },
    ]);
  });
});

describe('niceDomain', () => {
  it('rounds outwards to a tick step', () => {
    expect(niceDomain([0.221, 0.284], false)).toEqual([0.22, 0.29]);
    expect(niceDomain([0.2, 0.3], false)).toEqual([0.2, 0.3]);
    expect(niceDomain([0.1, 0.7], false)).toEqual([0.1, 0.7]);
    expect(niceDomain([780_000, 1_194_000], true)).toEqual([0, 1_200_000]);
    expect(niceDomain([5, 5], false)).toEqual([4.4, 5.6]);
    expect(niceDomain([], true)).toEqual([0, 1]);
  });
});

describe('axisFormat and formatLabel', () => {
  it('formats by unit', () => {
    expect(axisFormat('ratio', 0.2)).toEqual({ format: '.0%' });
    expect(axisFormat('ratio', 0.03)).toEqual({ format: '.1%' });
    expect(axisFormat('days', 30)).toEqual({ format: ',.0f' });
    expect(axisFormat('money', 1e6, { currency: 'EUR' }).labelExpr).toContain("'€'");
    expect(formatLabel(1_234_567, 'money')).toBe('$1.2M');
    expect(formatLabel(999, 'money')).toBe('$999.00');
    expect(formatLabel(0, 'money')).toBe('$0');
    expect(formatLabel(0, 'money', { currency: 'EUR', locale: 'de-DE' })).toBe('0\u00a0€');
    expect(formatLabel(0.284, 'ratio')).toBe('28.4 %');
    expect(formatLabel(null, 'ratio')).toBe('n/a');
  });
});

describe('spreadLabels', () => {
  it('moves close labels apart and leaves distant ones alone', () => {
    const [a = 0, b = 0] = spreadLabels([{ value: 0.284 }, { value: 0.28 }], [0.2, 0.3], 200);
    expect((a - b) * 2000).toBeGreaterThanOrEqual(15 - 1e-9);
    expect(spreadLabels([{ value: 0.29 }, { value: 0.21 }], [0.2, 0.3], 200)).toEqual([0.29, 0.21]);
  });

  it('keeps labels inside the plot', () => {
    const ys = spreadLabels([{ value: 0 }, { value: 0 }], [0, 10], 100);
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(0);
  });
});

describe('text widths', () => {
  it('reads advance widths from the TTF', () => {
    const table = parseAdvanceWidths(readFileSync(fontFiles().regular));
    expect(table.widths.get(0x20)).toBeGreaterThan(0.1);
    expect(table.widths.get('M'.codePointAt(0) ?? 0)).toBeGreaterThan(
      table.widths.get('i'.codePointAt(0) ?? 0) ?? 1,
    );
  });

  it('measures semibold wider than regular and far below the 0.8 em guess', () => {
    const regular = measureText('Close rate rose to 28.4 %', 16);
    const semibold = measureText('Close rate rose to 28.4 %', 16, 600);
    expect(semibold).toBeGreaterThan(regular);
    expect(semibold).toBeLessThan(0.6 * 25 * 16);
  });
});

describe('titles and names', () => {
  it('wraps long titles to the width', () => {
    const long =
      'Enterprise deals take twice as long in negotiation as mid-market deals, and the gap is growing';
    const lines = wrapTitle(long, 400);
    expect(Array.isArray(lines)).toBe(true);
    expect((lines as string[]).join(' ')).toBe(long);
    for (const line of lines) expect(measureText(line, 17, 600)).toBeLessThanOrEqual(400);
    expect(wrapTitle('Short', 400)).toBe('Short');
  });

  it('makes ids and words', () => {
    expect(idFrom('Close rate – by Channel')).toBe('close-rate-by-channel');
    expect(humanize('closed_won')).toBe('Closed won');
    expect(humanize('Paid search')).toBe('Paid search');
    expect(plural(1, 'deal')).toBe('1 deal');
    expect(plural(1200, 'deal')).toBe('1,200 deals');
  });
});
