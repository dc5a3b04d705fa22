// Charts as PNG for e-mail: twice the chart's size, opaque, and with the text really drawn
// (resvg drops text silently when it has no font, so the title area must hold dark pixels
// that a render without fonts lacks). Also writes every sample to a temp folder to look at,
// with the time each step took.

import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { titleHeight } from '../../lib/charts/frame.ts';
import { renderPng, renderSvg, resvgOptions } from '../../lib/charts/render.ts';
import { samples } from './samples.ts';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function ihdrSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(String.fromCharCode(...png.subarray(12, 16))).toBe('IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Pixels in rows [0, rows) darker than the grey of secondary text's anti-aliasing. */
function darkPixels(image: { pixels: Uint8Array; width: number }, rows: number): number {
  let dark = 0;
  for (let i = 0; i < image.width * rows * 4; i += 4) {
    const [r = 255, g = 255, b = 255] = image.pixels.subarray(i, i + 3);
    if (r < 90 && g < 90 && b < 90) dark++;
  }
  return dark;
}

function nonWhitePixels(pixels: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < pixels.length; i += 4)
    if ((pixels[i] ?? 255) < 245 || (pixels[i + 2] ?? 255) < 245) count++;
  return count;
}

function rasterize(svg: string, withFonts: boolean) {
  const options = resvgOptions({ scale: 2 });
  const image = new Resvg(
    svg,
    withFonts ? options : { ...options, font: { loadSystemFonts: false, fontFiles: [] } },
  ).render();
  return { pixels: new Uint8Array(image.pixels), width: image.width, height: image.height };
}

describe('renderPng', () => {
  it.each(samples().map((s) => [s.chart.id, s.chart] as const))(
    '%s is a 2× PNG with its text drawn',
    async (_, chart) => {
      const svg = await renderSvg(chart);
      const png = renderPng(svg, { scale: 2 });
      expect([...png.subarray(0, 8)]).toEqual(SIGNATURE);
      expect(ihdrSize(png)).toEqual({ width: 2 * chart.width, height: 2 * chart.height });

      const image = rasterize(svg, true);
      expect(nonWhitePixels(image.pixels)).toBeGreaterThan(300);
      if (chart.width < 200) return; // a sparkline has no text
      const titleRows = 2 * titleHeight(chart.title, chart.width);
      const withFonts = darkPixels(image, titleRows);
      const withoutFonts = darkPixels(rasterize(svg, false), titleRows);
      expect(withFonts).toBeGreaterThan(500);
      expect(withoutFonts).toBeLessThan(withFonts / 10);
    },
  );

  it('scales', async () => {
    const [sample] = samples();
    if (!sample) throw new Error('no samples');
    const png = renderPng(await renderSvg(sample.chart), { scale: 1 });
    expect(ihdrSize(png)).toEqual({ width: sample.chart.width, height: sample.chart.height });
  });
});

describe('every chart, to look at', () => {
  it('writes PNGs to a temp folder and reports the time per chart', async () => {
    const dir = join(tmpdir(), 'crm-pulse-charts');
    mkdirSync(dir, { recursive: true });
    const lines: string[] = [];
    for (const { chart } of samples()) {
      const t0 = performance.now();
      const svg = await renderSvg(chart);
      const t1 = performance.now();
      const png = renderPng(svg, { scale: 2 });
      const t2 = performance.now();
      writeFileSync(join(dir, `${chart.id}.png`), png);
      lines.push(
        `${chart.id.padEnd(30)} svg ${(t1 - t0).toFixed(0).padStart(4)} ms  png ${(t2 - t1).toFixed(0).padStart(4)} ms  ` +
          `${(svg.length / 1024).toFixed(0).padStart(3)} KB svg  ${(png.length / 1024).toFixed(0).padStart(3)} KB png`,
      );
    }
    console.log(`charts written to ${dir}\n${lines.join('\n')}`);
    expect(lines).toHaveLength(samples().length);
  });
});
