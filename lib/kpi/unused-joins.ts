// KPI files join customers (users, campaigns, ...) to offer breakdowns by segment, team and so
// on. Without a breakdown the join is dead weight that DuckDB cannot drop: it does not know the
// key is unique. The contract does (duplicate keys are rejected rows, left out of the typed
// table), so a LEFT JOIN to a contract table on its one-column primary key whose alias is used
// nowhere else in its query adds no row and no column, and is left out of the query that runs
// (its line left blank, so that error messages keep the file's line numbers).

import { TABLE_NAMES, tableSpec } from '../data/contract.ts';
import type { Database } from '../data/database.ts';
import { lexSql, type Token } from '../data/sql-lexer.ts';
import { quoteLiteral } from '../data/sql-text.ts';

const KEY_JOIN = /^[ \t]*LEFT JOIN (\w+) (\w+) ON \2\.(\w+) = \w+\.\w+[ \t]*$/gm;
// A parenthesis that opens a query (a CTE body or a subquery): its aliases are seen only inside.
const QUERY_START = new Set(['select', 'with', 'from', 'values', 'table']);

/**
 * `sql` without the LEFT JOINs on a table's key whose alias nothing else in their query reads.
 * `columns`: the columns a table has in the data (the export's own too, from dataColumns), any of
 * which the query may read without the alias; by default the contract's.
 */
export function dropUnusedKeyJoins(sql: string, columns?: ReadonlyMap<string, readonly string[]>): string {
  const joins = [...sql.matchAll(KEY_JOIN)].filter(([, table = '', , column]) => {
    const key = tableSpec(table)?.primaryKey;
    // A CTE of the same name is another relation, whose key the contract knows nothing of.
    return key?.length === 1 && key[0] === column && !definesCte(sql, table);
  });
  if (joins.length === 0) return sql;
  const tokens = lexSql(sql).statements.flatMap((s) => s.tokens);
  let out = sql;
  // From the last, so the offsets of the earlier ones still hold.
  for (const match of joins.reverse()) {
    const [line, table = '', alias = ''] = match;
    const at = match.index;
    const [from, to] = queryAround(tokens, at, sql.length);
    // Its columns named without the alias (`WHERE segment = ...`) or a bare `SELECT *` read it too.
    const names = new Set(
      [
        ...(tableSpec(table)?.columns.map((c) => c.name) ?? []),
        ...(columns?.get(table.toLowerCase()) ?? []),
      ].map((name) => name.toLowerCase()),
    );
    // Any other mention of the alias in its query (as a name, in code) keeps the join.
    const used = tokens.some((t, i) => {
      if (t.at < from || t.at >= to || (t.at >= at && t.at < at + line.length)) return false;
      const before = tokens[i - 1];
      if (t.kind === 'symbol') return t.text === '*' && isSelectStar(before, tokens[i - 2]);
      if (t.kind !== 'word' && t.kind !== 'identifier') return false;
      const name = t.text.toLowerCase();
      if (name === alias.toLowerCase()) return true;
      const qualified = before?.kind === 'symbol' && before.text === '.';
      const outputName = before?.kind === 'word' && before.text === 'as';
      return names.has(name) && !qualified && !outputName;
    });
    if (!used) out = out.slice(0, at) + out.slice(at + line.length);
  }
  return out;
}

/** A `*` that selects every column in scope (`SELECT *`, `, *`, `COLUMNS(*)`), not count(*) or a product. */
function isSelectStar(before: Token | undefined, earlier: Token | undefined): boolean {
  if (!before) return false;
  if (before.kind === 'word') return before.text === 'select' || before.text === 'distinct';
  if (before.kind !== 'symbol') return false;
  return (
    before.text === ',' || (before.text === '(' && earlier?.kind === 'word' && earlier.text === 'columns')
  );
}

/** The offsets of the innermost query holding `at`: a parenthesised one, else the whole text. */
function queryAround(tokens: readonly Token[], at: number, length: number): [number, number] {
  const open: { at: number; query: boolean }[] = [];
  let scope: { at: number; depth: number } | undefined;
  for (const [i, t] of tokens.entries()) {
    if (t.at >= at && scope === undefined) {
      const innermost = open.findLastIndex((p) => p.query);
      if (innermost < 0) return [0, length];
      scope = { at: open[innermost]?.at ?? 0, depth: innermost };
    }
    if (t.kind !== 'symbol') continue;
    if (t.text === '(') {
      const next = tokens[i + 1];
      open.push({ at: t.at, query: next?.kind === 'word' && QUERY_START.has(next.text) });
    } else if (t.text === ')') {
      open.pop();
      if (scope && open.length === scope.depth) return [scope.at, t.at + 1];
    }
  }
  return [0, length];
}

function definesCte(sql: string, name: string): boolean {
  return new RegExp(`\\b${name}\\s*(\\([^)]*\\)\\s*)?AS\\s*(NOT\\s+)?(MATERIALIZED\\s*)?\\(`, 'i').test(sql);
}

/**
 * The columns of the contract's tables as the data in `db` has them: a column of the export's
 * own read without the alias would otherwise bind to another relation of the same name (an outer
 * query's, in a subquery) once the join is left out, and give another number. Read once per
 * database (a dataset's tables are registered when it opens): 50 KPI queries would otherwise
 * spend a tenth of a second asking.
 */
export function dataColumns(db: Database): Promise<ReadonlyMap<string, readonly string[]>> {
  let columns = known.get(db);
  if (!columns) {
    columns = readColumns(db);
    known.set(db, columns);
  }
  return columns;
}

const known = new WeakMap<Database, Promise<ReadonlyMap<string, readonly string[]>>>();

async function readColumns(db: Database): Promise<ReadonlyMap<string, readonly string[]>> {
  const rows = await db
    .rows(
      `SELECT lower(table_name) AS t, column_name AS c FROM duckdb_columns() WHERE lower(table_name) IN (${TABLE_NAMES.map(quoteLiteral).join(', ')})`,
    )
    .catch(() => []);
  const columns = new Map<string, string[]>();
  for (const row of rows) {
    const table = String(row.t);
    columns.set(table, [...(columns.get(table) ?? []), String(row.c)]);
  }
  return columns;
}
