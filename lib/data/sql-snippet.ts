// User-written SQL in a mapping (derived columns, `where`, a group's aggregates): allowed, but
// it must be one expression over the export's own columns. DuckDB's parser says what it
// references.

import type { Database } from './database.ts';
import { closest } from './did-you-mean.ts';
import { quoteIdent, quoteLiteral } from './sql-text.ts';

const ONE_EXPRESSION = 'must be one SQL expression (no statements, FROM or ;)';

interface ParsedNode {
  readonly class?: string;
  readonly column_names?: readonly string[];
  readonly [key: string]: unknown;
}

/** A value per row, a condition on rows, or an aggregate over the rows of each group. */
export type SnippetKind = 'value' | 'condition' | { readonly groupBy: readonly string[] };

/**
 * What is wrong with a snippet, or undefined: it must parse as one expression, reference only
 * columns of the export (by their own names) and bind against the rows. Only a group's
 * aggregate may aggregate; none may hold a subquery or a window.
 */
export async function checkSnippet(
  db: Database,
  sql: string,
  relation: string,
  columns: readonly string[],
  fileName: string,
  kind: SnippetKind = 'value',
): Promise<string | undefined> {
  // Judged as the text that runs puts it, between parentheses: `(snippet)`. A snippet that
  // closes them itself and ends in a -- comment would swallow the closing one, so what follows
  // its place (a WHERE's LIMIT 0, the view's FROM) turns into clauses of its own. Read with a
  // line break before the closing parenthesis as well, only a snippet that ends outside a
  // comment parses both ways; and the statement must be the bare SELECT of one expression, no
  // clause (HAVING, ORDER BY, LIMIT, ...) where a subquery could read a file before the lock.
  const parsed = await bareSelect(db, `SELECT (${sql}) AS x`);
  if (typeof parsed === 'string') return parsed;
  const closed = await bareSelect(db, `SELECT (${sql}\n) AS x`);
  if (typeof closed === 'string') return closed;
  const found = { refs: [] as string[][], forbidden: undefined as string | undefined };
  walk(parsed, found);
  const group = typeof kind === 'object' ? kind.groupBy : undefined;
  if (found.forbidden) {
    return group
      ? `may not use ${found.forbidden}: it computes a value from the rows of its group`
      : `may not use ${found.forbidden}: it computes a value from the row's own columns`;
  }
  const known = new Map(columns.map((c) => [c.toLowerCase(), c]));
  for (const ref of found.refs) {
    const name = ref.join('.');
    if (ref.length !== 1)
      return `names the column ${name}; write just the column's name, e.g. "${ref.at(-1)}"`;
    if (!known.has(name.toLowerCase())) {
      const near = closest(name, columns);
      return `uses the column "${name}", which ${fileName} does not have${near ? `; did you mean "${near}"?` : ''} (columns: ${columns.join(', ')})`;
    }
  }
  try {
    const keys = group?.map(quoteIdent).join(', ');
    const probe =
      kind === 'condition'
        ? `SELECT 1 FROM ${quoteIdent(relation)} WHERE (${sql}) LIMIT 0`
        : group
          ? `SELECT ${keys}, (${sql}) FROM ${quoteIdent(relation)} GROUP BY ${keys} LIMIT 0`
          : `SELECT __rec, (${sql}) FROM ${quoteIdent(relation)} LIMIT 0`;
    await db.run(probe);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? '';
    if (group && /GROUP BY/i.test(message)) {
      const column = /column "?([^"]+?)"? must appear/i.exec(message)?.[1];
      return `uses ${column ? `the column "${column}"` : 'a column'} outside an aggregate: a group has many rows, so aggregate it (e.g. min(...), sum(...), any_value(...)) or add it to group.by`;
    }
    if (group && /No function matches.*\(VARCHAR\)/i.test(message)) {
      return `cannot be computed: ${message}. The export's columns are text: convert inside the aggregate, e.g. sum("Line Total"::DECIMAL(38,6))`;
    }
    if (/GROUP BY|aggregate/i.test(message))
      return "may not use an aggregate such as sum(): it computes a value from the row's own columns";
    return `cannot be computed: ${message}`;
  }
  return undefined;
}

/** A SELECT of one expression and nothing else, as DuckDB parses `text`, or what is wrong. */
async function bareSelect(db: Database, text: string): Promise<ParsedNode | string> {
  const node = await parseOne(db, text);
  if (typeof node === 'string') return node;
  const bare = await parseOne(db, 'SELECT (1) AS x');
  const rest = (n: ParsedNode) => JSON.stringify({ ...n, select_list: undefined });
  const selectList = node.select_list as unknown[] | undefined;
  if (typeof bare === 'string' || rest(node) !== rest(bare) || selectList?.length !== 1)
    return ONE_EXPRESSION;
  return node;
}

async function parseOne(db: Database, text: string): Promise<ParsedNode | string> {
  // The function needs a constant: the text goes in as a quoted literal.
  const [row] = await db.rows(`SELECT json_serialize_sql(${quoteLiteral(text)})::VARCHAR AS tree`);
  const tree = JSON.parse(String(row?.tree ?? '{}')) as {
    error?: boolean;
    error_message?: string;
    statements?: { node?: ParsedNode }[];
  };
  if (tree.error && /Only SELECT statements/i.test(tree.error_message ?? '')) return ONE_EXPRESSION;
  if (tree.error) return `is not valid SQL: ${tree.error_message ?? 'parse error'}`;
  const node = tree.statements?.length === 1 ? tree.statements[0]?.node : undefined;
  return node?.type === 'SELECT_NODE' ? node : ONE_EXPRESSION;
}

function walk(value: unknown, found: { refs: string[][]; forbidden: string | undefined }): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, found);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const node = value as ParsedNode;
  if (node.class === 'COLUMN_REF' && node.column_names) found.refs.push([...node.column_names]);
  if (node.class === 'SUBQUERY') found.forbidden ??= 'a subquery';
  if (node.class === 'WINDOW') found.forbidden ??= 'a window function';
  if (node.class === 'PARAMETER') found.forbidden ??= 'a $parameter';
  for (const child of Object.values(node)) walk(child, found);
}
