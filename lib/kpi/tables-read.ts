// Which contract tables KPIs read, as DuckDB itself reads the SQL that runs (json_serialize_sql:
// parsed, never run): every table named in FROM or JOIN, in CTEs and subqueries too, those the shared
// macros read, and those their `needs` and breakdowns name. `pulse kpi` reads and checks only
// these tables of a large export, not all of them.

import { TABLE_NAMES, type TableName } from '../data/contract.ts';
import { Database } from '../data/database.ts';
import type { KpiDefinition } from './definition.ts';
import { definePeriodMacros } from './run.ts';
import { dataColumns, dropUnusedKeyJoins } from './unused-joins.ts';

// Table macros (customer-sql.ts) and the tables they read.
const MACRO_TABLES: Readonly<Record<string, readonly TableName[]>> = { customer_mrr: ['subscriptions'] };

/**
 * The tables the KPIs read (with `by`, their breakdown's too), or undefined when DuckDB cannot
 * read one's SQL: then every table is read, and the KPI reports its own error. `asWritten`: the
 * tables of the SQL as written (every join kept), which runKpi falls back to.
 */
export async function tablesRead(
  kpis: readonly KpiDefinition[],
  by?: string,
  parser?: Database,
  asWritten = false,
): Promise<Set<TableName> | undefined> {
  // Any open database parses; none is needed before the data is opened, so one is made.
  const db = parser ?? (await Database.open({ threads: 1 }));
  try {
    const tables = new Set<TableName>();
    for (const kpi of kpis) {
      const breakdown = by ? kpi.breakdowns.find((b) => b.name === by) : undefined;
      // As runKpi sends it: a join kept only for breakdowns (CSAT's tickets) reads nothing without
      // one. On the data, joins are left out by the columns its tables have there, and the SQL
      // runs as written where DuckDB cannot bind it so.
      const written = kpi.sql.replaceAll(
        '{by}',
        breakdown ? `(${breakdown.expression})::VARCHAR` : 'NULL::VARCHAR',
      );
      const lean = asWritten
        ? written
        : dropUnusedKeyJoins(written, parser ? await dataColumns(parser) : undefined);
      const sql = lean !== written && parser && !(await binds(parser, lean, kpi)) ? written : lean;
      const parsed = await db.syntaxTrees(sql);
      if ('error' in parsed) return undefined;
      // DuckDB matches names in any case (quoted too): `FROM Tickets` reads tickets.
      for (const name of [...namedTables(parsed.trees)].map((n) => n.toLowerCase())) {
        const table = name.replace(/^unscoped_/, '');
        if (isTableName(table)) tables.add(table);
        for (const read of MACRO_TABLES[name] ?? []) tables.add(read);
      }
      for (const need of [...kpi.needs, ...(breakdown?.needs ?? [])]) {
        const table = need.split('.')[0] ?? '';
        if (isTableName(table)) tables.add(table);
      }
    }
    return tables;
  } finally {
    if (!parser) db.close();
  }
}

/** Whether DuckDB binds `sql` on the data (planned with EXPLAIN, never run). */
async function binds(db: Database, sql: string, kpi: KpiDefinition): Promise<boolean> {
  const params = Object.fromEntries(kpi.params.map((p) => [p.name, p.default]));
  try {
    await definePeriodMacros(db);
    await db.rows(`EXPLAIN ${sql}`, { ...params, start: '2000-01-01', end: '2000-02-01', grain: 'month' });
    return true;
  } catch (error) {
    // Anything else (a macro the data lacks) fails the written SQL alike.
    return !/Binder Error/i.test((error as Error).message);
  }
}

function isTableName(name: string): name is TableName {
  return (TABLE_NAMES as readonly string[]).includes(name);
}

/** Names of base tables and table functions anywhere in the trees (CTE names included). */
function namedTables(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) namedTables(item, into);
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.type === 'BASE_TABLE' && typeof record.table_name === 'string') into.add(record.table_name);
    const fn =
      record.type === 'TABLE_FUNCTION' ? (record.function as { function_name?: unknown }) : undefined;
    if (typeof fn?.function_name === 'string') into.add(fn.function_name);
    for (const value of Object.values(record)) namedTables(value, into);
  }
  return into;
}
