// Problems of a table as a whole: lines that cannot be read, columns that are missing, and
// column types that can never be the contract's. Pure: from what loading and mapping found.

import { basename } from 'node:path';
import { guessSourceColumn, inMapping, renameKey } from './column-hints.ts';
import type { ColumnSpec } from './contract.ts';
import type { FileControlCharacters } from './csv-table.ts';
import type { MalformedRow } from './malformed-row.ts';
import type { Problem } from './problems.ts';
import type { StagedTable } from './staged-tables.ts';

/** Header lines that cannot be read, and malformed lines grouped by what is wrong. */
export function unreadableProblems(staged: StagedTable, maxExamples: number): Problem[] {
  const table = staged.spec.name;
  const problems: Problem[] = staged.raw.headerProblems.map(({ file, detail, expected, hint }) => ({
    severity: 'error',
    rule: 'malformed_header',
    table,
    file,
    expected: expected ?? `a header line with the column names (${detail})`,
    count: 1,
    examples: [{ loc: 1, file, value: null }],
    hint: hint ?? 'the first line must name the columns, separated by the delimiter',
  }));
  const byError = new Map<string, MalformedRow[]>();
  for (const m of staged.raw.malformed) {
    const group = byError.get(m.error);
    if (group) group.push(m);
    else byError.set(m.error, [m]);
  }
  const whitespace = staged.raw.source.dialect.whitespace;
  for (const [error, rows] of byError) {
    const fieldCount = whitespace
      ? {
          expected: 'one value per column, separated by spaces (a value cannot hold a space)',
          hint: `give every line ${whitespace.columns ? `the ${whitespace.columns.length} columns of csv.columns` : 'as many values as the header line names'}; a missing value cannot be left blank in a whitespace-separated file`,
        }
      : {
          expected:
            'as many fields as the header, quoted where they hold the delimiter, quotes or line breaks',
          hint: 'quote fields that contain the delimiter, quotes or line breaks with double quotes, and write a quote inside a quoted field as ""',
        };
    problems.push({
      severity: 'error',
      rule: 'malformed_line',
      table,
      file: staged.raw.source.path,
      expected:
        error === 'invalid_encoding'
          ? 'UTF-8 text'
          : error === 'line_too_long'
            ? 'a line under 1 MB'
            : fieldCount.expected,
      count: rows.length,
      examples: rows
        .slice(0, maxExamples)
        .map((m) => ({ loc: m.line, file: m.file, value: m.raw, detail: m.detail })),
      hint:
        error === 'invalid_encoding'
          ? 'save the export as UTF-8, or set "csv": {"encoding": "latin-1"} for the table in the mapping'
          : fieldCount.hint,
    });
  }
  return problems;
}

/**
 * CSV values with control characters (other than tab, CR and LF): kept, since they may be
 * meant, but invisible in a spreadsheet and able to garble a terminal, so each column is a
 * warning with the lines, and the values shown escaped (`\u0000`).
 */
export function controlCharacterProblems(staged: StagedTable): Problem[] {
  const byColumn = new Map<string, FileControlCharacters[]>();
  for (const found of staged.raw.controlCharacters)
    byColumn.set(found.column, [...(byColumn.get(found.column) ?? []), found]);
  return [...byColumn].map(([column, files]) => ({
    severity: 'warning',
    rule: 'control_character',
    table: staged.spec.name,
    file: staged.raw.source.path,
    column,
    expected: 'text without control characters such as NUL or ESC (tab and line breaks are fine)',
    count: files.reduce((n, f) => n + f.count, 0),
    examples: files.flatMap((f) => f.examples.map((e) => ({ loc: e.line, file: f.file, value: e.value }))),
    hint: 'remove them in the CRM or the export; they are read as written, and shown escaped (\\u0000)',
  }));
}

/**
 * Required columns the table lacks (errors) and optional ones written in another case (warnings),
 * each with the columns found and the mapping key that maps the likeliest of them.
 */
export function missingColumnProblems(staged: StagedTable): Problem[] {
  const file = staged.raw.source.path;
  const found = staged.sourceColumns;
  if (staged.raw.headerProblems.length > 0 && found.length === 0) return [];
  const normalise = (name: string) =>
    name
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
  const problems: Problem[] = [];
  for (const column of staged.spec.columns) {
    if (staged.columns.has(column.name) || staged.failed.has(column.name)) continue;
    const lookalike = found.find((name) => normalise(name) === column.name);
    if (!column.required && !lookalike) continue;
    const unresolved = staged.unresolved.get(column.name);
    const guess = lookalike ?? guessSourceColumn(column.name, found);
    const key = renameKey(guess ?? '<your column>', column.name);
    const fix = inMapping(staged.spec.name, key, staged.mappingFile, basename(file));
    const renamed = unresolved
      ? `the mapping renames ${unresolved.map((u) => `"${u}"`).join(' or ')} to ${column.name}, but ${file} has no such column; `
      : '';
    problems.push({
      severity: column.required ? 'error' : 'warning',
      rule: lookalike && !unresolved ? 'unknown_column_case' : 'missing_column',
      table: staged.spec.name,
      file,
      column: column.name,
      expected: `a column named ${column.name} (found: ${found.join(', ') || 'no columns'})`,
      count: staged.raw.rowCount,
      examples: [],
      hint:
        lookalike && !staged.mappingFile
          ? `rename the column "${lookalike}" to "${column.name}" in the file, or ${fix}`
          : `${renamed}${fix}`,
    });
  }
  return problems;
}

const NUMERIC = /^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|DECIMAL.*|NUMERIC.*|FLOAT|DOUBLE|REAL)$/;
const TEMPORAL = /^(DATE|TIMESTAMP.*)$/;

/** Whether a column of a (non-text) type can become the contract type at all. */
export function canHold(type: ColumnSpec['type'], found: string): boolean {
  if (found === 'VARCHAR' || type === 'id' || type === 'text') return true;
  switch (type) {
    case 'ts':
    case 'date':
      return TEMPORAL.test(found);
    case 'money':
    case 'double':
    case 'int':
      return NUMERIC.test(found);
    case 'bool':
      return found === 'BOOLEAN' || NUMERIC.test(found);
  }
}
