// What an unused file looks like, from its header line only: a vendor export a preset reads
// ("try --mapping hubspot"), or the contract table its columns resemble, with a mapping to
// start from. A guess to act on, never applied by itself.

import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { guessSourceColumn } from './column-hints.ts';
import { CONTRACT, type TableName } from './contract.ts';
import { splitRecord } from './csv-tokenizer.ts';
import { globToRegExp } from './glob.ts';
import type { Mapping } from './mapping.ts';

export interface ExportSuggestion {
  /** The advice, in words. */
  readonly message: string;
  readonly preset?: string;
  readonly table?: TableName;
  /** A mapping to start from, as JSON text. */
  readonly mapping?: string;
}

export interface HeaderLine {
  readonly delimiter: string | 'whitespace';
  /** Column names; empty when the first line holds values rather than names. */
  readonly columns: readonly string[];
  /** Fields in the first line. */
  readonly fields: number;
}

const HEADER_BYTES = 64 * 1024;

/** The first line of a file, split as CSV (the likeliest delimiter) or on whitespace. */
export async function readHeaderLine(path: string): Promise<HeaderLine | undefined> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_BYTES, 0);
    const text = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const line = text.split('\n')[0]?.replace(/\r$/, '') ?? '';
    // Binary (Parquet, a spreadsheet): not a text export.
    if (line.trim() === '' || [...line].some(isBinary)) return undefined;
    const counts = [',', ';', '\t', '|'].map((d) => [d, splitRecord(line, d).length] as const);
    const [delimiter, fields] = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
    if (fields > 1) return { delimiter, columns: namesOrNothing(splitRecord(line, delimiter)), fields };
    const words = line.trim().split(/[ \t]+/);
    if (words.length > 1)
      return { delimiter: 'whitespace', columns: namesOrNothing(words), fields: words.length };
    return { delimiter: ',', columns: namesOrNothing([line.trim()]), fields: 1 };
  } finally {
    await handle.close();
  }
}

// NUL and the other C0 controls but tab, line breaks and form feed do not occur in text exports.
function isBinary(char: string): boolean {
  const code = char.charCodeAt(0);
  return code < 9 || (code > 13 && code < 32);
}

// A line of numbers and dates is data, not a header.
function namesOrNothing(fields: readonly string[]): string[] {
  const names = fields.map((f) => f.trim());
  return names.every((f) => /^[-+$€£\d.,/: ]*$/.test(f)) ? [] : names;
}

/** What to do with an unused file, from its header line and the presets; undefined if nothing fits. */
export async function suggestMapping(
  dataDir: string,
  file: string,
  presets: ReadonlyMap<string, Mapping>,
): Promise<ExportSuggestion | undefined> {
  if (file.toLowerCase().endsWith('.parquet')) return undefined;
  const header = await readHeaderLine(join(dataDir, file));
  if (!header) return undefined;
  const preset = bestPreset(file, header.columns, presets);
  if (preset) return preset;
  return resembles(file, header);
}

const norm = (name: string) =>
  name
    .toLowerCase()
    .replace(/^[a-z]+ - /, '')
    .replace(/[^a-z0-9]/g, '');

function bestPreset(
  file: string,
  columns: readonly string[],
  presets: ReadonlyMap<string, Mapping>,
): ExportSuggestion | undefined {
  const have = new Set(columns.map(norm));
  let best:
    | {
        preset: string;
        label: string;
        table: TableName;
        patterns: readonly string[];
        matched: string[];
        ratio: number;
      }
    | undefined;
  for (const [preset, mapping] of presets) {
    for (const table of mapping.tables.values()) {
      // The export columns the preset reads: renamed, or quoted in its SQL.
      const sql = [...table.derive.values(), table.where ?? ''].join(' ');
      const read = new Set([
        ...table.rename.map((r) => r.source),
        ...[...sql.matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? ''),
      ]);
      const matched = [...read].filter((c) => have.has(norm(c)));
      const ratio = matched.length / Math.max(1, read.size);
      if (matched.length < 3 && !(matched.length >= 2 && ratio >= 0.5)) continue;
      if (
        best &&
        (matched.length < best.matched.length ||
          (matched.length === best.matched.length && ratio <= best.ratio))
      )
        continue;
      best = {
        preset,
        label: mapping.name ?? preset,
        table: table.table,
        patterns: table.files,
        matched,
        ratio,
      };
    }
  }
  if (!best) return undefined;
  const name = file.split('/').at(-1) ?? file;
  const fits = best.patterns.some((p) => globToRegExp(p).test(file) || globToRegExp(p).test(name));
  const rename = fits
    ? ''
    : `; the preset reads files named ${best.patterns.map((p) => JSON.stringify(p)).join(' or ')}: rename the file, or copy mappings/${best.preset}.json and change tables.${best.table}.files`;
  return {
    message: `looks like a ${best.label} export (${best.table}: ${best.matched.slice(0, 5).join(', ')}): try --mapping ${best.preset}${rename}`,
    preset: best.preset,
    table: best.table,
  };
}

function resembles(file: string, header: HeaderLine): ExportSuggestion | undefined {
  const csv =
    header.delimiter === 'whitespace'
      ? {
          delimiter: 'whitespace',
          ...(header.columns.length === 0
            ? { header: false, columns: Array.from({ length: header.fields }, (_, i) => `column${i + 1}`) }
            : {}),
        }
      : header.delimiter === ','
        ? undefined
        : { delimiter: header.delimiter };
  let best: { table: TableName; pairs: [string, string][]; missing: string[]; required: number } | undefined;
  for (const spec of CONTRACT) {
    const taken = new Set<string>();
    const pairs: [string, string][] = [];
    for (const column of spec.columns) {
      const found = guessSourceColumn(
        column.name,
        header.columns.filter((c) => !taken.has(c)),
      );
      if (found === undefined) continue;
      taken.add(found);
      pairs.push([found, column.name]);
    }
    const required = spec.columns.filter((c) => c.required);
    const missing = required.filter((c) => !pairs.some(([, t]) => t === c.name)).map((c) => c.name);
    const requiredFound = required.length - missing.length;
    // The table's own id (or another required column) must be there: a few optional columns alike say little.
    if (requiredFound === 0 || (pairs.length < 2 && missing.length > 0)) continue;
    if (
      best &&
      (pairs.length < best.pairs.length ||
        (pairs.length === best.pairs.length && requiredFound <= best.required))
    )
      continue;
    best = { table: spec.name, pairs, missing, required: requiredFound };
  }
  const layout =
    header.delimiter === 'whitespace'
      ? `columns separated by spaces${header.columns.length === 0 ? ', no header line' : ''} (read with "csv": ${JSON.stringify(csv)})`
      : undefined;
  if (!best) {
    if (!layout) return undefined;
    return {
      message: `${layout}: name its columns in a mapping, then map them to a contract table (mappings/README.md)`,
      mapping: JSON.stringify({ tables: { '<table>': { files: file, csv } } }),
    };
  }
  const rename = Object.fromEntries(best.pairs.filter(([from, to]) => from !== to));
  const table = {
    files: file,
    ...(csv ? { csv } : {}),
    ...(Object.keys(rename).length > 0 ? { rename } : {}),
  };
  const snippet = JSON.stringify({ tables: { [best.table]: table } });
  const needs =
    best.missing.length > 0
      ? `; ${best.table} also needs ${best.missing.join(', ')}, which no column looks like (derive it, see mappings/README.md)`
      : '';
  return {
    message: `its columns look most like ${best.table} (${best.pairs.map(([f, t]) => (f === t ? t : `${f} → ${t}`)).join(', ')})${layout ? `; ${layout}` : ''}. Start a mapping with ${snippet}, then run pulse check again for the values and dates to map${needs}`,
    table: best.table,
    mapping: snippet,
  };
}
