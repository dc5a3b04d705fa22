// The mapping's `group`: exports with one row per order line (Shopify, Stripe invoice lines,
// most shop exports) become one contract row per order. The rows `where` keeps are grouped by
// the `by` columns and each aggregate is computed over a group's rows. A group is named by its
// first row (file and line), so a rejected order points at a line of the export.

import type { Database } from './database.ts';
import { closest } from './did-you-mean.ts';
import { keyPart, type TableMapping } from './mapping.ts';
import type { RawTable } from './raw-tables.ts';
import { checkSnippet } from './sql-snippet.ts';
import { quoteIdent, quoteLiteral } from './sql-text.ts';

export interface GroupedRows {
  /** One row per group: __file, __rec, __loc of its first row, the `by` columns, the aggregates. */
  readonly relation: string;
  readonly columns: readonly string[];
  /** Groups. */
  readonly rows: number;
  /** Rows of the export `where` leaves out, before grouping. */
  readonly leftOut: number;
}

export interface GroupResult {
  /** Undefined when the `by` columns are not all there: the table is then not grouped. */
  readonly grouped?: GroupedRows;
  /** Contract columns an aggregate was meant to give but could not. */
  readonly failed: ReadonlySet<string>;
  readonly problems: readonly { readonly column: string; readonly key: string; readonly message: string }[];
}

export const groupedRelation = (table: string): string => `__grouped_${table}`;

export async function registerGroupedRows(
  db: Database,
  raw: RawTable,
  mapping: TableMapping,
  fileName: string,
): Promise<GroupResult> {
  const group = mapping.group;
  const problems: { column: string; key: string; message: string }[] = [];
  const failed = new Set<string>(group?.aggregate.keys() ?? []);
  if (!group) return { failed: new Set(), problems };
  const columns = [...raw.columnTypes.keys()];
  const by: string[] = [];
  for (const name of group.by) {
    const found =
      columns.find((c) => c === name) ??
      columns.find((c) => c.trim().toLowerCase() === name.trim().toLowerCase());
    if (found !== undefined) by.push(found);
    else {
      const near = closest(name, columns);
      problems.push({
        column: '(group)',
        key: `${mapping.key}.group.by`,
        message: `${fileName} has no column "${name}"${near ? `; did you mean "${near}"?` : ''}, so its rows cannot be grouped (columns: ${columns.join(', ')})`,
      });
    }
  }
  if (by.length < group.by.length) return { failed, problems };
  let where = 'true';
  if (mapping.where) {
    const wrong = await checkSnippet(db, mapping.where, raw.relation, columns, fileName, 'condition');
    if (wrong) {
      problems.push({
        column: '(where)',
        key: `${mapping.key}.where`,
        message: `${JSON.stringify(mapping.where)} ${wrong}`,
      });
    } else where = `coalesce((${mapping.where})::BOOLEAN, false)`;
  }
  const aggregates = new Map<string, string>();
  for (const [column, sql] of group.aggregate) {
    const wrong = await checkSnippet(db, sql, raw.relation, columns, fileName, { groupBy: by });
    const key = `${mapping.key}.group.aggregate${keyPart(column)}`;
    if (wrong) problems.push({ column, key, message: `${JSON.stringify(sql)} ${wrong}` });
    else aggregates.set(column, sql);
  }
  const from = `FROM ${quoteIdent(raw.relation)} WHERE ${where} GROUP BY ${by.map(quoteIdent).join(', ')}`;
  // A value the aggregate cannot convert ("abc" summed as a number) fails the whole query:
  // find which aggregates fail, and the lines holding the value, before grouping without them.
  for (const [column, sql] of aggregates) {
    try {
      await db.rows(`SELECT count(x) AS n FROM (SELECT (${sql}) AS x ${from})`);
    } catch (error) {
      const message = (error as Error).message.split('\n')[0] ?? '';
      aggregates.delete(column);
      const lines = await linesHolding(db, raw, message, columns);
      problems.push({
        column,
        key: `${mapping.key}.group.aggregate${keyPart(column)}`,
        message: `${JSON.stringify(sql)} cannot be computed: ${message}${lines ? `; the value is at ${lines}` : ''}`,
      });
    }
  }
  for (const column of aggregates.keys()) failed.delete(column);
  const relation = groupedRelation(mapping.table);
  const first = (column: string) => `first(${column} ORDER BY __file, __rec) AS ${column}`;
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${quoteIdent(relation)} AS
     SELECT ${[
       first('__file'),
       first('__rec'),
       first('__loc'),
       ...by.map(quoteIdent),
       ...[...aggregates].map(([column, sql]) => `(${sql}) AS ${quoteIdent(column)}`),
     ].join(', ')}
     ${from}`,
  );
  const [counts] = await db.rows(
    `SELECT (SELECT count(*) FROM ${quoteIdent(relation)}) AS n,
            (SELECT count(*) FROM ${quoteIdent(raw.relation)} WHERE NOT (${where})) AS out`,
  );
  return {
    grouped: {
      relation,
      columns: [...by, ...aggregates.keys()],
      rows: Number(counts?.n ?? 0),
      leftOut: Number(counts?.out ?? 0),
    },
    failed,
    problems,
  };
}

// DuckDB names the value it cannot convert, and often the column: `Could not convert string
// "abc" to DECIMAL(18,2) when casting from source column Line Total`.
async function linesHolding(
  db: Database,
  raw: RawTable,
  message: string,
  columns: readonly string[],
): Promise<string | undefined> {
  const value = /string ["'](.*?)["'] to /.exec(message)?.[1];
  if (value === undefined) return undefined;
  const named = /source column (.+)$/.exec(message)?.[1]?.trim();
  const search = named && columns.includes(named) ? [named] : columns;
  const rows = await db.rows(
    `SELECT __file, __loc FROM ${quoteIdent(raw.relation)}
     WHERE ${search.map((c) => `${quoteIdent(c)} = ${quoteLiteral(value)}`).join(' OR ')}
     ORDER BY __file, __loc LIMIT 4`,
  );
  if (rows.length === 0) return undefined;
  const shown = rows.slice(0, 3).map((r) => `${r.__file} line ${r.__loc}`);
  return `${shown.join(', ')}${rows.length > 3 ? ', ...' : ''}`;
}
