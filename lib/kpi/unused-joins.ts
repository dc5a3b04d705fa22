// KPI files join customers to offer breakdowns by segment, region and so on. Without a
// breakdown the join is dead weight that DuckDB cannot drop: it does not know customer_id is
// unique. The contract does (duplicate keys are rejected rows, left out of the typed table), so
// a LEFT JOIN to customers on its key whose alias is used nowhere else adds no row and no
// column, and is left out of the query that runs (its line left blank, so that error
// messages keep the file's line numbers).

const CUSTOMERS_JOIN = /^[ \t]*LEFT JOIN customers (\w+) ON \1\.customer_id = \w+\.customer_id[ \t]*$/gm;

/** `sql` without the LEFT JOINs to customers whose alias nothing reads. */
export function dropUnusedCustomerJoins(sql: string): string {
  let out = sql;
  for (const match of sql.matchAll(CUSTOMERS_JOIN)) {
    const [line, alias] = match;
    const rest = out.replace(line, '');
    // Any other mention of the alias, in code or comment, keeps the join.
    if (new RegExp(`\\b${alias}\\.`).test(rest)) continue;
    out = rest;
  }
  return out;
}
