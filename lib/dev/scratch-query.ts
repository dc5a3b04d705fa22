// Ad-hoc SQL for the scratchpad and the prompt: the first rows as JSON, how many there were and
// how long it took. The rest of a large result is counted, never converted.

import { DuckDBTypeId, type Json } from '@duckdb/node-api';
import { usedParams } from '../data/database.ts';
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
  const used = usedParams(sql);
  const missing = used.filter((name) => !(name in params));
  if (missing.length > 0) {
    throw new PulseError(
      'param',
      `the SQL uses ${missing.map((m) => `$${m}`).join(', ')} but no value was given; give ${missing[0]}=VALUE`,
    );
  }
  const bound = Object.fromEntries(used.map((name) => [name, params[name] ?? null]));
  // Streamed past Database.query, so the locked connection's statement gate is asked here.
  await dataset.db.admit(sql);
  const started = performance.now();
  try {
    const reader =
      used.length > 0
        ? await dataset.db.connection.streamAndReadUntil(sql, limit, bound)
        : await dataset.db.connection.streamAndReadUntil(sql, limit);
    const rows = (await reader.getRowObjectsJson()).slice(0, limit);
    await reader.readAll();
    const types = reader.columnTypes();
    const columns = reader.columnNames().map((name, i) => ({ name, type: String(types[i] ?? '') }));
    const wide = columns.filter((_, i) => {
      const type = types[i];
      return type !== undefined && WIDE_NUMBERS.has(type.typeId);
    });
    for (const row of rows) {
      for (const { name } of wide) if (typeof row[name] === 'string') row[name] = Number(row[name]);
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
