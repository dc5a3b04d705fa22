// KPI files join customers (users, campaigns, ...) to offer breakdowns by segment, team and so
// on. Without a breakdown the join is dead weight that DuckDB cannot drop: it does not know the
// key is unique. The contract does (duplicate keys are rejected rows, left out of the typed
// table), so a LEFT JOIN to a contract table on its one-column primary key whose alias is used
// nowhere else in its query adds no row and no column, and is left out of the query that runs
// (its line left blank, so that error messages keep the file's line numbers).

import { tableSpec } from '../data/contract.ts';
import { lexSql, type Token } from '../data/sql-lexer.ts';

const KEY_JOIN = /^[ \t]*LEFT JOIN (\w+) (\w+) ON \2\.(\w+) = \w+\.\w+[ \t]*$/gm;
// A parenthesis that opens a query (a CTE body or a subquery): its aliases are seen only inside.
const QUERY_START = new Set(['select', 'with', 'from', 'values', 'table']);

/** `sql` without the LEFT JOINs on a table's key whose alias nothing else in their query reads. */
export function dropUnusedKeyJoins(sql: string): string {
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
    const [line, , alias = ''] = match;
    const at = match.index;
    const [from, to] = queryAround(tokens, at, sql.length);
    // Any other mention of the alias in its query (as a name, in code) keeps the join.
    const used = tokens.some(
      (t) =>
        t.at >= from &&
        t.at < to &&
        (t.at < at || t.at >= at + line.length) &&
        (t.kind === 'word' || t.kind === 'identifier') &&
        t.text.toLowerCase() === alias.toLowerCase(),
    );
    if (!used) out = out.slice(0, at) + out.slice(at + line.length);
  }
  return out;
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
