// Drawing a chart: Vega-Lite → Vega → SVG with no canvas (renderer 'none'; text is measured from
// the font files), then SVG → PNG with resvg and only the bundled fonts, so the picture is the
// same on every machine. Setup notes: ~130 ms for the first SVG, 30–50 ms after; PNG 50–80 ms.

import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { showBidiOverrides } from '../format/control-characters.ts';
import type { Chart } from './chart.ts';
import { FONT_FAMILY, fontFiles } from './fonts.ts';
import { sparklineSvg } from './sparkline-svg.ts';
import { installTextMetrics } from './text-width.ts';

export interface SvgOptions {
  /**
   * Draw the title in the picture (default). A page that prints the title as a heading can
   * leave it out; the chart keeps its size and the plot takes the room.
   */
  readonly drawTitle?: boolean;
}

// Drawing is most of a report's render time, and a preview redraws mostly unchanged charts: the
// same spec and labels always give the same SVG, so recent drawings are kept (bounded).
const drawn = new Map<string, string>();
const DRAWN_LIMIT = 400;

/** The chart as an SVG document, with its title and alt text for assistive technology. */
export async function renderSvg(chart: Chart, options: SvgOptions = {}): Promise<string> {
  // A sparkline has no title to leave out, and its direct drawing is the same SVG as Vega's.
  if (chart.drawing) return xmlCharacters(labelSvg(sparklineSvg(chart.drawing), chart));
  const key = JSON.stringify([chart.spec, chart.title, chart.alt, options.drawTitle ?? true]);
  const hit = drawn.get(key);
  if (hit !== undefined) return hit;
  installTextMetrics();
  const { title: _title, ...untitled } = chart.spec;
  const spec = options.drawTitle === false ? (untitled as Chart['spec']) : chart.spec;
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = xmlCharacters(labelSvg(await view.toSVG(), chart));
    if (drawn.size >= DRAWN_LIMIT) drawn.delete(drawn.keys().next().value ?? '');
    drawn.set(key, svg);
    return svg;
  } finally {
    view.finalize();
  }
}

export interface PngOptions {
  /** Device pixels per CSS pixel: 2 for sharp e-mail images. */
  readonly scale?: number;
}

/** The PNG bytes of an SVG made by renderSvg: opaque white, `scale` × its size. */
export function renderPng(svg: string, options: PngOptions = {}): Uint8Array {
  return new Resvg(svg, resvgOptions(options)).render().asPng();
}

/** resvg's settings: the bundled fonts only, never the system's. */
export function resvgOptions(options: PngOptions = {}): ResvgRenderOptions {
  const files = fontFiles();
  return {
    background: 'white',
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    font: {
      loadSystemFonts: false,
      fontFiles: [files.regular, files.semibold, files.italic],
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
  };
}

function labelSvg(svg: string, chart: Chart): string {
  const open = svg.indexOf('>') + 1;
  return `${svg.slice(0, open - 1)} role="img" aria-label="${escapeXml(chart.alt)}"><title>${escapeXml(chart.title)}</title>${svg.slice(open)}`;
}

// What XML 1.0 has no character for: most C0 controls, U+FFFE, U+FFFF and unpaired surrogates.
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is escaped
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Labels and titles hold the data's text, which may hold a control character (a rep named
 * "Daniel Varga\u001b[0m"): raw, it makes the SVG no XML at all and its PNG, so the e-mail,
 * cannot be made. Drawn escaped, as the CLI shows it; the markup itself holds none. So are the
 * marks that would reverse a label (showBidiOverrides).
 */
function xmlCharacters(svg: string): string {
  return showBidiOverrides(
    svg.replace(NOT_XML, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
}

function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );
}
