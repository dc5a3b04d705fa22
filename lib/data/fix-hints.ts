// The fix for values that do not read, found by looking at them: a date format that reads them
// all, a derived column for amounts with symbols, a value map for unknown values.

import { basename } from 'node:path';
import { CANDIDATE_DATE_FORMATS, datesKey, inMapping, moneyFix, valuesKey } from './column-hints.ts';
import type { ColumnSpec } from './contract.ts';
import type { Database } from './database.ts';
import { quoteIdent, quoteLiteral } from './sql-text.ts';
import { type StagedTable, typedExpression } from './staged-tables.ts';

export async function formatHint(
  db: Database,
  staged: StagedTable,
  column: ColumnSpec,
  wholeColumn: boolean,
): Promise<string | undefined> {
  const samples = await sampleValues(
    db,
    staged,
    column.name,
    `(${typedExpression(staged, column.name)}) IS NULL`,
  );
  const source = staged.columns.get(column.name)?.sourceColumn ?? column.name;
  let key: string | undefined;
  // A date format fits a column written in another convention, not a few typos among ISO dates.
  if ((column.type === 'ts' || column.type === 'date') && wholeColumn) {
    const format = await bestDateFormat(db, samples);
    if (format) key = datesKey(column.name, format);
  } else if (column.type === 'money' || column.type === 'double') {
    key = moneyFix(column.name, source, samples);
  }
  return key
    ? inMapping(staged.spec.name, key, staged.mappingFile, basename(staged.raw.source.path))
    : undefined;
}

export async function valuesHint(
  db: Database,
  staged: StagedTable,
  column: ColumnSpec,
): Promise<string | undefined> {
  const allowed = (column.values ?? []).map(quoteLiteral).join(', ');
  const col = quoteIdent(column.name);
  // Written otherwise ("Won", " lost"): say which value each one is.
  const near = await db.rows(
    `SELECT DISTINCT ${col}::VARCHAR AS v, lower(trim(${col}::VARCHAR)) AS fixed FROM ${quoteIdent(staged.relation)}
     WHERE ${col}::VARCHAR NOT IN (${allowed}) AND lower(trim(${col}::VARCHAR)) IN (${allowed})
     ORDER BY v LIMIT 5`,
  );
  if (near.length > 0)
    return `values are lower case without spaces: ${near.map((r) => `${JSON.stringify(String(r.v))} is ${String(r.fixed)}`).join(', ')}`;
  const samples = await sampleValues(db, staged, column.name, `${col}::VARCHAR NOT IN (${allowed})`);
  const key = valuesKey(column.name, samples, column.values ?? []);
  return inMapping(staged.spec.name, key, staged.mappingFile, basename(staged.raw.source.path));
}

/** The most frequent non-blank values of a column where a condition holds. */
async function sampleValues(
  db: Database,
  staged: StagedTable,
  column: string,
  where: string,
): Promise<string[]> {
  const col = quoteIdent(column);
  const rows = await db.rows(
    `SELECT trim(${col}::VARCHAR) AS v, count(*) AS n FROM ${quoteIdent(staged.relation)}
     WHERE ${col} IS NOT NULL AND trim(${col}::VARCHAR) <> '' AND ${where}
     GROUP BY ALL ORDER BY n DESC, v LIMIT 20`,
  );
  return rows.map((r) => String(r.v));
}

/** The first candidate format that reads every sample (month first when both would). */
async function bestDateFormat(db: Database, samples: readonly string[]): Promise<string | undefined> {
  if (samples.length === 0) return undefined;
  const values = samples.map((s) => `(${quoteLiteral(s)})`).join(', ');
  const tries = CANDIDATE_DATE_FORMATS.map(
    (f, i) => `count(*) FILTER (try_strptime(v, ${quoteLiteral(f)}) IS NOT NULL) AS f${i}`,
  );
  const [row] = await db.rows(`SELECT ${tries.join(', ')} FROM (VALUES ${values}) t(v)`);
  return CANDIDATE_DATE_FORMATS.find((_, i) => Number(row?.[`f${i}`]) === samples.length);
}
