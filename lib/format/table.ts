// Plain-text tables for the terminal and RFC 4180 CSV. Pure.

import { escapeControlCharacters } from './control-characters.ts';

export type Align = 'left' | 'right';

export interface TextColumn {
  readonly header: string;
  readonly align?: Align;
}

/**
 * Columns padded to their widest cell; numbers are usually right-aligned by the caller. Cells
 * hold data, so control characters (a line break too) are shown escaped, on one line.
 */
export function renderTextTable(
  columns: readonly TextColumn[],
  cellsByRow: readonly (readonly string[])[],
): string {
  const rows = cellsByRow.map((r) => r.map(escapeControlCharacters));
  const headers = columns.map((c) => escapeControlCharacters(c.header));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const width = widths[i] ?? 0;
        return columns[i]?.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const header = line(headers);
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [header, rule, ...rows.map(line)].join('\n');
}

export interface CsvOptions {
  /** For people's spreadsheets: text that would run as a formula is kept as text (below). */
  readonly spreadsheet?: boolean;
}

export function renderCsv(
  headers: readonly string[],
  rows: readonly (readonly unknown[])[],
  options: CsvOptions = {},
): string {
  const cell = (value: unknown): string => {
    if (value === null || value === undefined) return '';
    const raw = typeof value === 'object' ? JSON.stringify(value) : String(value);
    const text = options.spreadsheet && typeof value === 'string' ? spreadsheetText(raw) : raw;
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return `${[headers, ...rows].map((r) => r.map(cell).join(',')).join('\n')}\n`;
}

/** Rows of objects to CSV, columns in order of first appearance. */
export function objectsToCsv(rows: readonly Record<string, unknown>[], options: CsvOptions = {}): string {
  const headers: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!headers.includes(key)) headers.push(key);
  return renderCsv(
    headers,
    rows.map((row) => headers.map((h) => row[h])),
    options,
  );
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A text a spreadsheet would run as a formula when the file is opened (a rep the CRM names
 * "=HYPERLINK(...)" or "@SUM(...)|cmd"), with a leading ' so it shows as the text it is
 * (OWASP's advice for CSV injection). A number written as text ("-12.5") is read as the number.
 */
export function spreadsheetText(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}
