// A query result as an aligned text table: `pulse query` and its prompt. Pure.

import { renderTextTable } from '../format/table.ts';

export interface ResultColumn {
  readonly name: string;
  /** DuckDB's type name: BIGINT, DECIMAL(18,2), VARCHAR, DATE, ... */
  readonly type: string;
}

/** Numbers right-aligned, everything else left. */
export function formatResultTable(
  columns: readonly ResultColumn[],
  rows: readonly Readonly<Record<string, unknown>>[],
): string {
  return renderTextTable(
    columns.map((c) => ({ header: c.name, align: isNumericType(c.type) ? 'right' : 'left' })),
    rows.map((row) => columns.map((c) => showCell(row[c.name]))),
  );
}

export function isNumericType(type: string): boolean {
  return /^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|DECIMAL|NUMERIC|DOUBLE|FLOAT|REAL)\b/.test(type);
}

export function showCell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : value.toFixed(4).replace(/0+$/, '');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
