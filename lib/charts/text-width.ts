// Text widths from the fonts' own metrics. Without a canvas Vega guesses 0.8 em a character,
// which is 60 % too wide for Source Sans: axes then reserve too much room and labels are
// dropped or truncated for no reason. Vega lets a program supply `textMetrics.width` (as
// vl-convert does); this reads the advance widths from the TTF files (cmap + hmtx), ignoring
// kerning, which errs on the wide side.

import { readFileSync } from 'node:fs';
import * as vega from 'vega';
import { type FontFace, faceForWeight, fontFiles } from './fonts.ts';

/** Advance widths in em by code point, and the width used for characters the font lacks. */
export interface AdvanceTable {
  readonly widths: ReadonlyMap<number, number>;
  readonly fallback: number;
}

const tables = new Map<FontFace, AdvanceTable>();

export function advanceTable(face: FontFace): AdvanceTable {
  let table = tables.get(face);
  if (!table) {
    table = parseAdvanceWidths(readFileSync(fontFiles()[face]));
    tables.set(face, table);
  }
  return table;
}

/** Width in px of one line of text. */
export function measureText(text: string, fontSize: number, weight?: unknown): number {
  const { widths, fallback } = advanceTable(faceForWeight(weight));
  let em = 0;
  for (const ch of text) em += widths.get(ch.codePointAt(0) ?? 0) ?? fallback;
  return em * fontSize;
}

/** Vega's hook for text measurement; exported by vega but missing from its typings. */
interface TextMetrics {
  width: (item: { fontSize?: unknown; fontWeight?: unknown }, text: unknown) => number;
}

let installed = false;

/** Makes Vega measure text with the chart fonts; idempotent. */
export function installTextMetrics(): void {
  if (installed) return;
  const { textMetrics } = vega as unknown as { textMetrics: TextMetrics };
  textMetrics.width = (item, text) => {
    const size = item.fontSize == null ? 11 : Number(item.fontSize) || 0;
    const line = text == null ? '' : String(text).trim();
    return size <= 0 || !line ? 0 : measureText(line, size, item.fontWeight);
  };
  installed = true;
}

/** Reads a TrueType/OpenType font's advance widths for every mapped code point. */
export function parseAdvanceWidths(font: Uint8Array): AdvanceTable {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const offsets = new Map<string, number>();
  const numTables = view.getUint16(4);
  for (let i = 0; i < numTables; i++) {
    const record = 12 + i * 16;
    const tag = String.fromCharCode(...font.subarray(record, record + 4));
    offsets.set(tag, view.getUint32(record + 8));
  }
  const at = (tag: string) => {
    const offset = offsets.get(tag);
    if (offset === undefined) throw new Error(`font has no ${tag} table`);
    return offset;
  };
  const unitsPerEm = view.getUint16(at('head') + 18);
  const numberOfHMetrics = view.getUint16(at('hhea') + 34);
  const hmtx = at('hmtx');
  const advance = (glyph: number) =>
    view.getUint16(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1)) / unitsPerEm;

  const widths = new Map<number, number>();
  for (const [code, glyph] of cmapEntries(view, at('cmap'))) widths.set(code, advance(glyph));
  return { widths, fallback: widths.get(0x6e) ?? 0.5 };
}

/** Code point → glyph pairs from the Unicode subtable (format 12 preferred, else format 4). */
function* cmapEntries(view: DataView, cmap: number): Generator<[number, number]> {
  const subtables: { format: number; offset: number }[] = [];
  for (let i = 0; i < view.getUint16(cmap + 2); i++) {
    const record = cmap + 4 + i * 8;
    const platform = view.getUint16(record);
    const encoding = view.getUint16(record + 2);
    if (platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10))) {
      const offset = cmap + view.getUint32(record + 4);
      subtables.push({ format: view.getUint16(offset), offset });
    }
  }
  const table = subtables.find((s) => s.format === 12) ?? subtables.find((s) => s.format === 4);
  if (!table) throw new Error('font has no unicode cmap subtable of format 4 or 12');
  const { offset } = table;
  if (table.format === 12) {
    for (let g = 0; g < view.getUint32(offset + 12); g++) {
      const group = offset + 16 + g * 12;
      const start = view.getUint32(group);
      const startGlyph = view.getUint32(group + 8);
      for (let code = start; code <= view.getUint32(group + 4); code++)
        yield [code, startGlyph + code - start];
    }
    return;
  }
  const segments = view.getUint16(offset + 6) / 2;
  const ends = offset + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;
  for (let s = 0; s < segments; s++) {
    const start = view.getUint16(starts + 2 * s);
    const end = view.getUint16(ends + 2 * s);
    const delta = view.getInt16(deltas + 2 * s);
    const rangeOffset = view.getUint16(rangeOffsets + 2 * s);
    for (let code = start; code <= end && code !== 0xffff; code++) {
      let glyph = code;
      if (rangeOffset !== 0) {
        glyph = view.getUint16(rangeOffsets + 2 * s + rangeOffset + 2 * (code - start));
        if (glyph === 0) continue;
      }
      yield [code, (glyph + delta) & 0xffff];
    }
  }
}
