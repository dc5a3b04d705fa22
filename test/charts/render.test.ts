// Charts drawn to SVG without a browser: the title and the direct labels are real text, the
// size is the chart's, and charts without data say so.

import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../lib/charts/render.ts';
import { emptyCharts } from './edge-cases.ts';
import { samples } from './samples.ts';
import { svgSize, svgTexts } from './svg-text.ts';

describe('renderSvg', () => {
  it.each(samples().map((s) => [s.chart.id, s] as const))(
    '%s draws its title and labels',
    async (_, sample) => {
      const { chart } = sample;
      const svg = await renderSvg(chart);
      const texts = svgTexts(svg);
      expect(svgSize(svg)).toEqual({ width: chart.width, height: chart.height });
      // The title is drawn (sparklines only carry it as the SVG's <title>).
      if (chart.width >= 200) expect(texts).toContain(chart.title);
      expect(svg).toContain(`<title>${chart.title.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}</title>`);
      for (const label of sample.labels) expect(texts).toContain(label);
      if (texts.length > 0) expect(svg).toContain('font-family="Source Sans 3');
    },
  );

  it.each(emptyCharts().map((c) => [c.id, c] as const))(
    'empty %s says there is no data',
    async (_, chart) => {
      const svg = await renderSvg(chart);
      expect(svgTexts(svg).some((t) => /^No (data|NPS answers|tickets)/.test(t))).toBe(true);
      expect(chart.table.rows).toEqual([]);
      expect(svgSize(svg)).toEqual({ width: chart.width, height: chart.height });
    },
  );

  it('can leave the title out for a page that prints it as a heading', async () => {
    const chart = samples()[1]?.chart;
    if (!chart) throw new Error('no samples');
    const svg = await renderSvg(chart, { drawTitle: false });
    expect(svgTexts(svg)).not.toContain(chart.title);
    expect(svg).toContain(`<title>${chart.title}</title>`);
    expect(svgSize(svg)).toEqual({ width: chart.width, height: chart.height });
  });

  it('escapes the alt text it puts on the root element', async () => {
    const [sample] = samples();
    if (!sample) throw new Error('no samples');
    const svg = await renderSvg({ ...sample.chart, alt: 'Rates < 5 % & "falling"' });
    expect(svg).toContain('aria-label="Rates &lt; 5 % &amp; &quot;falling&quot;"');
  });
});
