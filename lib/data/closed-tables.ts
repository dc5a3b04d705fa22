// A table the run left closed (openDataset's `tables`) is neither checked nor typed, but it
// still dates the export: the data's as-of day is the latest event of every table, so a KPI
// computed alone says the same "partial" or "full" as in the whole report. Its event columns
// are read narrowly, as the checks would type them, ignoring values after the clock.

import { CONTRACT } from './contract.ts';
import type { Database } from './database.ts';
import { quoteIdent } from './sql-text.ts';
import { type StagedTable, typedExpression } from './staged-tables.ts';

/** The latest value (no later than `now`) of each event column: an instant with its offset, or a date. */
export async function latestValues(
  db: Database,
  staged: StagedTable,
  now: string,
): Promise<ReadonlyMap<string, string | null>> {
  const columns = (CONTRACT.find((t) => t.name === staged.spec.name)?.columns ?? []).filter(
    (c) => c.event && staged.columns.has(c.name),
  );
  if (columns.length === 0) return new Map();
  const maxima = columns.map((c, i) => {
    const typed = typedExpression(staged, c.name) ?? 'NULL';
    const clock = c.type === 'date' ? '$now::TIMESTAMPTZ::DATE' : '$now::TIMESTAMPTZ';
    return `max(${typed}) FILTER ((${typed}) <= ${clock})::VARCHAR AS m${i}`;
  });
  try {
    const [row] = await db.rows(`SELECT ${maxima.join(', ')} FROM ${quoteIdent(staged.relation)}`, { now });
    return new Map(columns.map((c, i) => [c.name, row?.[`m${i}`] == null ? null : String(row[`m${i}`])]));
  } catch {
    // A mapping that cannot type the column dates nothing; the table is not read anyway.
    return new Map(columns.map((c) => [c.name, null]));
  }
}
