// A digest of query results that two engines or two relations can be compared by: numbers
// (also those DuckDB returns as text, like DECIMAL and BIGINT) rounded to 9 significant digits.

import { createHash } from 'node:crypto';

function normalise(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? Number(value.toPrecision(9)) : String(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(Number(value).toPrecision(9));
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  return value;
}

export function digestRows(rows: readonly unknown[]): string {
  return createHash('sha1')
    .update(JSON.stringify(normalise(rows)))
    .digest('hex')
    .slice(0, 16);
}

/** Identifies one query with its parameters, whatever order the queries ran in. */
export function queryKey(sql: string, params: unknown): string {
  return createHash('sha1').update(sql).update(JSON.stringify(params)).digest('hex').slice(0, 16);
}
