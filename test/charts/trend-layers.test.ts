// A trend leaves out the layers that would draw nothing (no target, no last year, no isolated
// value), to spare Vega their work. The picture must be the one with them: the same spec with
// those layers put back renders to the same pixels.

import { Resvg } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import type { Chart } from '../../lib/charts/chart.ts';
import { renderSvg, resvgOptions } from '../../lib/charts/render.ts';
import { buildTrend, type TrendPoint } from '../../lib/charts/trend.ts';
import { MONTHS } from './samples.ts';

type Layered = { layer: Record<string, unknown>[] } & Record<string, unknown>;

/** The chart with every layer a trend can have, in the order buildTrend puts them. */
function withAllLayers(chart: Chart): Chart {
  const spec = chart.spec as unknown as Layered;
  const filter = (l: Record<string, unknown>) => JSON.stringify(l.transform ?? []);
  const mainAt = spec.layer.findIndex((l) => filter(l).includes("'main'"));
  const { encoding } = spec.layer[mainAt] as { encoding: Record<string, unknown> };
  const { detail: _, ...pointEncoding } = encoding;
  const line = (role: string, strokeDash: number[], strokeWidth: number) => ({
    transform: [{ filter: `datum.role === '${role}'` }],
    mark: { type: 'line', strokeDash, strokeWidth },
    encoding,
  });
  const isolated = {
    transform: [{ filter: 'datum.isolated' }],
    mark: { type: 'point', size: 40 },
    encoding: pointEncoding,
  };
  const after = spec.layer.slice(mainAt + 1).filter((l) => !filter(l).includes('datum.isolated'));
  const layer = [
    line('target', [2, 3], 1.75),
    line('last-year', [6, 4], 2),
    spec.layer[mainAt],
    isolated,
    ...after,
  ];
  return { ...chart, spec: { ...spec, layer } as unknown as TopLevelSpec };
}

function pixels(svg: string): Buffer {
  return new Resvg(svg, resvgOptions({ scale: 2 })).render().pixels;
}

/** Bytes that differ (deep equality on megabytes of pixels is slow in the test runner). */
function differing(a: Buffer, b: Buffer): number {
  let n = Math.abs(a.length - b.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) n++;
  return n;
}

const CASES: [string, TrendPoint[]][] = [
  ['a series alone', MONTHS.map((period, i) => ({ period, value: 100 + i * 3 }))],
  ['with last year', MONTHS.map((period, i) => ({ period, value: 100 + i * 3, yearAgo: 90 + i }))],
  ['with a target', MONTHS.map((period, i) => ({ period, value: 0.2 + i * 0.01, target: 0.3 }))],
];

describe('trend layers that draw nothing', () => {
  it.each(CASES)('are left out without changing a pixel: %s', async (_, points) => {
    const chart = buildTrend({ name: 'Revenue', unit: 'money', points });
    const layers = (chart.spec as unknown as Layered).layer.length;
    const full = withAllLayers(chart);
    expect((full.spec as unknown as Layered).layer.length).toBeGreaterThan(layers);
    expect(differing(pixels(await renderSvg(chart)), pixels(await renderSvg(full)))).toBe(0);
  });

  it('keeps the point for a value with no neighbour', () => {
    const points = MONTHS.map((period, i) => ({ period, value: i === 5 || i === 7 ? null : i }));
    expect(JSON.stringify(buildTrend({ unit: 'count', points }).spec)).toContain('datum.isolated');
  });
});
