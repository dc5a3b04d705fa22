// The only places where text is put into SQL: identifiers from the contract or an allowlist,
// and literals for statements that cannot take parameters (CREATE VIEW).

import { type ColumnType, SQL_TYPES } from './contract.ts';

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('a SQL literal cannot hold a NUL character');
  return `'${value.replaceAll("'", "''")}'`;
}

// A time of day followed by Z or an offset: such strings are absolute instants.
const OFFSET_SUFFIX = String.raw`'[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|z|[+-]\d{2}(:?\d{2})?)$'`;
// An offset no zone has (+25:00, -99:00, minutes of 60 or more): DuckDB would still move the
// time by it, so such a value is unreadable (the checks report it), never another instant.
const IMPOSSIBLE_OFFSET = String.raw`'[+-]((1[6-9]|[2-9]\d)(:?\d{2})?|\d{2}:?[6-9]\d)$'`;
const TIMESTAMP_TYPES = /^TIMESTAMP(_S|_MS|_NS)?$|^TIMESTAMP WITHOUT TIME ZONE$/;

/**
 * A naive timestamp read as UTC, as an instant. Through epoch microseconds: the same instant
 * as timezone('UTC', ts) in every session time zone, without its ICU call per row, which
 * made every scan of a timestamp column about 5× slower than decoding it. (Infinity becomes
 * NULL, so the checks report it as unreadable.)
 */
export function utcInstant(naive: string): string {
  return `make_timestamptz(epoch_us(${naive}))`;
}

/**
 * A calendar day (a DATE, or a date without a time) in a timestamp column, as an instant: the
 * start of that day in the session time zone, which is the report's. A day has no time to read
 * as UTC: read as UTC midnight, 1 March became 28 February 16:00 in Los Angeles and was counted
 * in February. (Where a clock change skips midnight, ICU gives the day's first hour.)
 */
export function localDayStart(day: string): string {
  // Through epoch microseconds as utcInstant: an infinite date becomes NULL, so it is reported.
  return `make_timestamptz(epoch_us((${day})::DATE::TIMESTAMPTZ))`;
}

/**
 * SQL that turns a source column into its contract type. Timestamps without an offset are
 * UTC whatever the session time zone; a date alone is that day in the report's zone.
 * `tryCast` yields NULL on a bad value (the validator reports those); otherwise it throws.
 */
export function castExpression(
  column: string,
  type: ColumnType,
  sourceType: string,
  tryCast: boolean,
): string {
  const cast = tryCast ? 'TRY_CAST' : 'CAST';
  const col = quoteIdent(column);
  if (type !== 'ts') return `${cast}(${col} AS ${SQL_TYPES[type]})`;
  if (sourceType === 'TIMESTAMP WITH TIME ZONE' || sourceType === 'TIMESTAMPTZ') return col;
  if (sourceType === 'DATE') return localDayStart(col);
  if (TIMESTAMP_TYPES.test(sourceType)) return utcInstant(`${col}::TIMESTAMP`);
  const text = `${col}::VARCHAR`;
  // Ten characters or fewer hold no time of day ("2017-03-01", "2017-3-1"): a calendar day.
  return `CASE WHEN length(${text}) <= 10 THEN ${localDayStart(`${cast}(${text} AS DATE)`)} WHEN regexp_matches(${text}, ${OFFSET_SUFFIX}) THEN CASE WHEN regexp_matches(${text}, ${IMPOSSIBLE_OFFSET}) THEN NULL ELSE ${cast}(${text} AS TIMESTAMPTZ) END ELSE ${utcInstant(`${cast}(${text} AS TIMESTAMP)`)} END`;
}
