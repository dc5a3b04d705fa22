// A chart's labels and title hold the CRM's values (a rep, a segment, a campaign). XML has no
// place for most control characters: one in a rep's name ("Daniel Varga\u001b[0m") made the SVG
// unreadable to the PNG renderer, so the e-mail carrying the chart, an alert by rep too, was not
// sent at all. They are drawn escaped, as the CLI shows them.

import { describe, expect, it } from 'vitest';
import { buildBars } from '../../lib/charts/bars.ts';
import { renderPng, renderSvg } from '../../lib/charts/render.ts';

const CONTROLS = ['\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\u001b', '\u001f', '\ufffe', '\ud800'];

describe('a chart whose labels hold control characters', () => {
  for (const control of CONTROLS) {
    const code = `\\u${control.charCodeAt(0).toString(16).padStart(4, '0')}`;
    it(`draws ${code} escaped, and its PNG renders`, async () => {
      const chart = buildBars({
        unit: 'ratio',
        name: 'Close rate',
        dimension: 'Rep',
        title: `Close rate (rep Daniel Varga${control}[0m)`,
        bars: [
          { label: `Daniel Varga${control}[0m`, value: 0.2, sample: 40 },
          { label: 'Umar Abbott', value: 0.3, sample: 40 },
        ],
      });
      const svg = await renderSvg({ ...chart, alt: `${chart.alt} ${control}` });
      expect(svg).not.toContain(control);
      expect(svg).toContain(`Daniel Varga${code}[0m`);
      expect(renderPng(svg).length).toBeGreaterThan(1000);
    });
  }
});
