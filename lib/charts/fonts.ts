// The fonts charts are drawn with, from the installed `source-sans` package, so a chart looks
// the same on every machine and never depends on system fonts (a missing font makes resvg
// drop every label without an error).

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const FONT_FAMILY = 'Source Sans 3';
/** For SVG shown in a browser, where the font may not be installed. */
export const FONT_STACK = `${FONT_FAMILY}, 'Source Sans Pro', Helvetica, Arial, sans-serif`;

export const FONT_FACES = {
  regular: 'SourceSans3-Regular.ttf',
  semibold: 'SourceSans3-Semibold.ttf',
  italic: 'SourceSans3-It.ttf',
} as const;
export type FontFace = keyof typeof FONT_FACES;

let cached: Readonly<Record<FontFace, string>> | undefined;

/** Absolute paths of the TTF files, resolved once. */
export function fontFiles(): Readonly<Record<FontFace, string>> {
  if (!cached) {
    const root = dirname(createRequire(import.meta.url).resolve('source-sans/package.json'));
    const entries = Object.entries(FONT_FACES).map(([face, file]) => [face, join(root, 'TTF', file)]);
    cached = Object.fromEntries(entries) as Record<FontFace, string>;
  }
  return cached;
}

/** The face resvg picks for a Vega font weight: bold is drawn with Semibold, the heaviest we ship. */
export function faceForWeight(weight: unknown): FontFace {
  if (weight === 'bold' || weight === 'bolder') return 'semibold';
  const n = Number(weight);
  return Number.isFinite(n) && n >= 600 ? 'semibold' : 'regular';
}
