// The direct sparkline drawing must be exactly what Vega draws for the sparkline's spec: the
// same bytes, so the HTML and the PNGs of a report do not change. Compared on hand-picked edge
// cases (gaps, a lone point, a flat series, the last value near an edge, where Vega's margin
// rounding shows) and on a few hundred seeded random series.

import { describe, expect, it } from 'vitest';
import type { Chart } from '../../lib/charts/chart.ts';
import { renderSvg } from '../../lib/charts/render.ts';
import { buildSparkline, type SparklineInput } from '../../lib/charts/sparkline.ts';

const MONTHS = Array.from({ length: 36 }, (_, i) => {
  const month = (i % 12) + 1;
  return `${2024 + Math.floor(i / 12)}-${String(month).padStart(2, '0')}-01`;
});

function sparkline(values: readonly (number | null)[], options: Partial<SparklineInput> = {}): Chart {
  return buildSparkline({
    unit: 'count',
    ...options,
    points: values.map((value, i) => ({ period: MONTHS[i] ?? `p${i}`, value })),
  });
}

/** Vega's drawing of the same chart: the chart without its direct drawing. */
async function drawnByVega(chart: Chart): Promise<string> {
  const { drawing: _, ...spec } = chart;
  return renderSvg(spec);
}

const EDGE_CASES: [string, (number | null)[], Partial<SparklineInput>?][] = [
  ['a single point', [5]],
  ['two points', [1, 2]],
  ['a flat series', [3, 3, 3, 3]],
  ['a gap in the middle', [10, 12, 9, 14, 13, null, 15, 17, 16, 18, 19, 21]],
  ['leading and trailing gaps', [null, null, 4, 6, 5, null]],
  ['a lone point between gaps', [1, 2, null, 7, null, 3, 4]],
  ['only the last value known', [null, null, null, 8]],
  ['the last value the highest', [0, 1, 2, 3, 4, 5]],
  ['the last value the lowest', [5, 4, 3, 2, 1, 0]],
  ['the last value just below the top', [0, 100, 95]],
  ['the last value just above the bottom', [100, 0, 4]],
  ['negative values', [-5, -1, -30, -2.5]],
  ['large money values', [1_234_567.89, 2_345_678.12, 1_999_999.99]],
  ['tiny ratios', [0.0012, 0.0013, 0.00125, 0.0014]],
  ['values a rounding error apart', [0.1 + 0.2, 0.3, 0.30000000000000004]],
  ['a wide, tall one', [3, 1, 4, 1, 5, 9, 2, 6], { width: 300, height: 80 }],
  ['a narrow one', [3, 1, 4, 1, 5, 9, 2, 6], { width: 61, height: 21 }],
];

describe('sparkline drawn without Vega', () => {
  it.each(EDGE_CASES)('matches Vega byte for byte: %s', async (_, values, options) => {
    const chart = sparkline(values, options);
    expect(chart.drawing).toBeDefined();
    expect(await renderSvg(chart)).toBe(await drawnByVega(chart));
  });

  it('matches Vega on 150 random series', async () => {
    let seed = 20261101;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const mismatches: string[] = [];
    for (let k = 0; k < 150; k++) {
      const scale = [1, 0.01, 1e6, -40][k % 4] ?? 1;
      const values: (number | null)[] = Array.from({ length: 1 + Math.floor(random() * 24) }, () =>
        random() < 0.15 ? null : scale * random(),
      );
      if (!values.some((v) => v !== null)) values.push(1);
      const size = random() < 0.7 ? {} : { width: 60 + Math.floor(random() * 240), height: 20 + k };
      const chart = sparkline(values, size);
      if ((await renderSvg(chart)) !== (await drawnByVega(chart)))
        mismatches.push(JSON.stringify({ values, ...size }));
    }
    expect(mismatches).toEqual([]);
  });

  it('leaves series it cannot draw the same way to Vega', () => {
    // Repeated labels share one x position in Vega.
    const repeated = buildSparkline({
      unit: 'count',
      points: [
        { period: 'A', value: 1 },
        { period: 'A', value: 2 },
      ],
    });
    expect(repeated.drawing).toBeUndefined();
    expect(sparkline([1, Number.POSITIVE_INFINITY, 2]).drawing).toBeUndefined();
    expect(sparkline([null, null]).drawing).toBeUndefined(); // the "no data" chart
  });

  it('carries the title and alt text like every chart', async () => {
    const chart = sparkline([10, 12, 9, 14, 13, null, 15, 17, 16, 18, 19, 21]);
    const svg = await renderSvg(chart);
    expect(svg).toContain('<title>Last 12 periods</title>');
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-label="Last 12 periods: from 10 in Jan 2024/);
  });
});
