// Ad-hoc SQL for the scratchpad and the prompt: the first rows as JSON, how many there were and
// how long it took. The rest of a large result is counted, never converted.

import { DuckDBTypeId, type Json } from '@duckdb/node-api';
import { jsonNumber, type SqlValue } from '../data/database.ts';
import type { Dataset } from '../data/dataset.ts';
import { PulseError } from '../errors.ts';
import type { ResultColumn } from './result-table.ts';

export interface ScratchResult {
  readonly columns: readonly ResultColumn[];
  /** At most `limit` rows. */
  readonly rows: readonly Record<string, Json>[];
  readonly rowCount: number;
  readonly ms: number;
}

// Lossless JSON gives these as strings; shown and charted as numbers.
const WIDE_NUMBERS = new Set<DuckDBTypeId>([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.DECIMAL,
]);

/**
 * Runs one statement. A KPI body runs as written: `{by}` becomes NULL and `$start`, `$end` and
 * `$grain` come from `params` like any other parameter.
 */
export async function runScratchQuery(
  dataset: Dataset,
  text: string,
  params: Readonly<Record<string, string | number | boolean | null>>,
  limit = 200,
): Promise<ScratchResult> {
  const sql = text.replaceAll('{by}', 'NULL::VARCHAR').trim().replace(/;\s*$/, '');
  if (sql === '') throw new PulseError('usage', 'no SQL to run');
  // Streamed past Database.query, so the locked connection's statement gate is asked here, and
  // only what it admits runs: every statement but the last in full, the last streamed.
  const statements = await dataset.db.admit(sql);
  const bound = statements.map((statement) => dataset.db.bindings(statement.params, params));
  const started = performance.now();
  try {
    const last = statements.length - 1;
    for (let i = 0; i < last; i++) await run(dataset, statements[i]?.sql ?? '', bound[i] ?? {});
    const final = statements[last]?.sql ?? '';
    const values = bound[last] ?? {};
    const reader =
      Object.keys(values).length > 0
        ? await dataset.db.connection.streamAndReadUntil(final, limit, values)
        : await dataset.db.connection.streamAndReadUntil(final, limit);
    const rows = (await reader.getRowObjectsJson()).slice(0, limit);
    await reader.readAll();
    const types = reader.columnTypes();
    const columns = reader.columnNames().map((name, i) => ({ name, type: String(types[i] ?? '') }));
    const wide = columns.filter((_, i) => {
      const type = types[i];
      return type !== undefined && WIDE_NUMBERS.has(type.typeId);
    });
    for (const row of rows) {
      for (const { name } of wide) {
        const value = row[name];
        if (typeof value === 'string') row[name] = jsonNumber(value);
      }
    }
    return { columns, rows, rowCount: reader.currentRowCount, ms: performance.now() - started };
  } catch (error) {
    if (error instanceof PulseError) throw error;
    // DuckDB lists every candidate overload on a type error; the first lines say what matters.
    const message = (error as Error).message
      .split('\n')
      .filter((line) => !line.startsWith('\t'))
      .join('\n')
      .trim();
    throw new PulseError('query', message, { cause: error });
  }
}

async function run(dataset: Dataset, sql: string, values: Record<string, SqlValue>): Promise<void> {
  if (Object.keys(values).length > 0) await dataset.db.connection.run(sql, values);
  else await dataset.db.connection.run(sql);
}
