// The mapping's `group`: exports with one row per order line (Shopify, Stripe invoice lines,
// most shop exports) become one contract row per order. The rows `where` keeps are grouped by
// the `by` columns and each aggregate is computed over a group's rows. A group is named by its
// first row (file and line), so a rejected order points at a line of the export.

import { RAW_TEXT_LIMIT } from './csv-scan.ts';
import { splitRecord } from './csv-tokenizer.ts';
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
  /** Aggregates that keep one line's value (any_value) over groups whose lines differ. */
  readonly disagreements: readonly Disagreement[];
  /** Aggregates (sum) that pass over the blank lines of groups whose other lines have a value. */
  readonly partlyBlank: readonly Disagreement[];
  /** Groups that also hold an unreadable line, by their first line: rejected with it. */
  readonly incomplete: readonly IncompleteLine[];
}

export interface IncompleteLine {
  readonly file: string;
  readonly rec: number;
  readonly loc: number;
  /** The group's key, as written ("#1002"). */
  readonly key: string;
  /** Where the group's unreadable line is: "line 4 of orders.csv". */
  readonly unreadable: string;
}

export interface Disagreement {
  readonly column: string;
  /** The mapping's aggregate, as written. */
  readonly aggregate: string;
  /** Groups whose lines hold more than one value. */
  readonly groups: number;
  /** The first such groups: their first line, and the values its lines hold ("C1 | C2"). */
  readonly examples: readonly { readonly file: string; readonly loc: number; readonly value: string }[];
  /** For lines passed over: what the sum adds up, as DuckDB writes it (`TRY_CAST("Line Total" AS DOUBLE)`). */
  readonly summed?: string;
}

/** Aggregates that pass over a line whose value is blank: a group with one is understated. */
const SKIPS_BLANKS = new Set(['sum', 'fsum', 'sumkahan', 'kahan_sum']);

/** Aggregates that keep the value of one line, whichever: a group whose lines differ loses the others. */
const PICK_ONE = new Set(['any_value', 'arbitrary', 'first', 'last']);
const SHOWN_GROUPS = 5;

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
  if (!group) return { failed: new Set(), problems, disagreements: [], partlyBlank: [], incomplete: [] };
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
  if (by.length < group.by.length)
    return { failed, problems, disagreements: [], partlyBlank: [], incomplete: [] };
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
  const disagreements: Disagreement[] = [];
  const partlyBlank: Disagreement[] = [];
  for (const [column, sql] of aggregates) {
    const value = await pickedValue(db, sql);
    const found = value ? await disagreeing(db, raw.relation, value, where, by) : undefined;
    if (found) disagreements.push({ column, aggregate: sql, ...found });
    for (const summed of await summedColumns(db, sql)) {
      const blank = await partlyBlankGroups(db, raw.relation, summed, sql, where, by);
      if (blank) partlyBlank.push({ column, aggregate: sql, summed: summed.value, ...blank });
      if (blank) break;
    }
  }
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
    disagreements,
    partlyBlank,
    incomplete: await linesOfIncompleteGroups(db, raw, mapping, by, where),
  };
}

/**
 * An order one of whose lines cannot be read would be totalled without it: it is rejected too,
 * by its first line as any rejected group is, so that it is left out (and listed) rather than
 * understated. The line's `by` fields are read as the CSV reader splits them, at their positions
 * in its own file's header, counted from the start and, when the line has more or fewer fields
 * than the header, from the end too (a stray delimiter before the key shifts it): every group
 * either reading names is rejected. A line whose key is cut off or names no group is rejected
 * alone, as before.
 */
async function linesOfIncompleteGroups(
  db: Database,
  raw: RawTable,
  mapping: TableMapping,
  by: readonly string[],
  where: string,
): Promise<IncompleteLine[]> {
  const { delimiter } = mapping.csv;
  if (raw.malformed.length === 0 || delimiter === 'whitespace') return [];
  const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
  const table = '__incomplete_keys';
  const names = by.map((_, i) => `__key${i}`);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${table} (__unreadable VARCHAR, ${names.map((n) => `${n} VARCHAR`).join(', ')})`,
  );
  const appender = await db.connection.createAppender(table, 'main', 'temp');
  let keys = 0;
  for (const m of raw.malformed) {
    const header = m.header ?? [...raw.columnTypes.keys()];
    const positions = by.map((name) => header.findIndex((h) => same(h, name)));
    if (positions.some((p) => p < 0)) continue;
    const fields = splitRecord(m.raw, delimiter);
    // Text kept to RAW_TEXT_LIMIT characters: its last field may be cut.
    const whole = m.raw.length >= RAW_TEXT_LIMIT ? fields.length - 1 : fields.length;
    const shift = m.fields - header.length;
    for (const offset of shift === 0 ? [0] : [0, shift]) {
      const key = positions.map((p) =>
        p + offset >= 0 && p + offset < whole ? fields[p + offset] : undefined,
      );
      // A NUL cannot be a key DuckDB holds in a table: such a line stays rejected alone.
      if (key.some((k) => k === undefined || k.includes('\0'))) continue;
      appender.appendVarchar(`line ${m.line} of ${m.file}`);
      for (const k of key) appender.appendVarchar(k ?? '');
      appender.endRow();
      keys += 1;
    }
  }
  appender.closeSync();
  if (keys === 0) return [];
  // One row per group: its first line, by which the group is named (and rejected).
  const first = (column: string) => `first(r.${column} ORDER BY r.__file, r.__rec)`;
  const rows = await db.rows(
    `SELECT ${first('__file')} AS file, ${first('__rec')} AS rec, ${first('__loc')} AS loc,
            concat_ws(' ', ${by.map((b) => `r.${quoteIdent(b)}`).join(', ')}) AS key, min(k.__unreadable) AS unreadable
     FROM ${quoteIdent(raw.relation)} r
     JOIN ${table} k ON ${by.map((b, i) => `r.${quoteIdent(b)}::VARCHAR = k.${names[i]}`).join(' AND ')}
     WHERE ${where}
     GROUP BY ${by.map((b) => `r.${quoteIdent(b)}`).join(', ')} ORDER BY file, rec`,
  );
  await db.run(`DROP TABLE ${table}`);
  return rows.map((r) => ({
    file: String(r.file),
    rec: Number(r.rec),
    loc: Number(r.loc),
    key: String(r.key),
    unreadable: String(r.unreadable),
  }));
}

/**
 * The value an aggregate such as `any_value("Customer ID")` keeps one of, and its FILTER, as
 * DuckDB parses it (json_serialize_sql, each part written back with json_deserialize_sql), also
 * under a cast; undefined for any other aggregate, or one that says which line wins
 * (`first(x ORDER BY ...)`).
 */
async function pickedValue(db: Database, sql: string): Promise<Picked | undefined> {
  const parsed = await db.syntaxTrees(`SELECT ${sql}`);
  if ('error' in parsed) return undefined;
  const [statement] = parsed.trees as { node?: { select_list?: PickNode[] } }[];
  const top = statement?.node?.select_list?.length === 1 ? statement.node.select_list[0] : undefined;
  // any_value(x)::VARCHAR keeps one line's value as much as any_value(x) does.
  const call = top?.class === 'CAST' ? top.child : top;
  const argument = call?.children?.length === 1 ? call.children[0] : undefined;
  if (
    !statement?.node ||
    call?.class !== 'FUNCTION' ||
    !PICK_ONE.has(String(call.function_name).toLowerCase()) ||
    !argument ||
    (call.order_bys?.orders?.length ?? 0) > 0
  )
    return undefined;
  // Each part written back by DuckDB itself, from the tree it parsed.
  const value = await writeBack(db, statement, argument);
  const filter = call.filter ? await writeBack(db, statement, call.filter) : undefined;
  if (!value || (call.filter && !filter)) return undefined;
  return filter ? { value, filter } : { value };
}

/**
 * What a sum adds up anywhere in an aggregate (`coalesce(sum(x), 0)`, `round(sum(x), 2)`), as
 * DuckDB parses it, where its argument reads a column: a line it is NULL for is passed over,
 * whatever the text was ('', '  ' under TRY_CAST, or under TRY_CAST(trim(x) ...)). A sum of a
 * CASE (or if()) leaves lines out on purpose, and is not one.
 */
async function summedColumns(db: Database, sql: string): Promise<Picked[]> {
  const parsed = await db.syntaxTrees(`SELECT ${sql}`);
  if ('error' in parsed) return [];
  const [statement] = parsed.trees as { node?: { select_list?: PickNode[] } }[];
  const found: Picked[] = [];
  const visit = async (node: unknown): Promise<void> => {
    if (!node || typeof node !== 'object') return;
    const call = node as PickNode;
    const [argument] = call.children ?? [];
    if (
      call.class === 'FUNCTION' &&
      SKIPS_BLANKS.has(String(call.function_name).toLowerCase()) &&
      call.children?.length === 1 &&
      readsColumn(argument) &&
      !choosesLines(argument)
    ) {
      const value = await writeBack(db, statement, argument);
      const filter = call.filter ? await writeBack(db, statement, call.filter) : undefined;
      if (value && (!call.filter || filter)) found.push(filter ? { value, filter } : { value });
      return;
    }
    for (const child of Object.values(node)) await visit(child);
  };
  await visit(statement?.node?.select_list);
  return found;
}

/** Whether a parsed expression reads a column of the line anywhere. */
function readsColumn(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  if ((node as PickNode).class === 'COLUMN_REF') return true;
  return Object.values(node).some(readsColumn);
}

/** Whether a parsed expression holds a CASE (as if() parses): it picks the lines it sums. */
function choosesLines(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  if ((node as PickNode).class === 'CASE') return true;
  return Object.values(node).some(choosesLines);
}

/** An expression of a parsed SELECT written back as SQL by DuckDB itself. */
async function writeBack(
  db: Database,
  statement: { node?: unknown } | undefined,
  expression: unknown,
): Promise<string | undefined> {
  if (!statement?.node) return undefined;
  const tree = {
    error: false,
    statements: [{ ...statement, node: { ...(statement.node as object), select_list: [expression] } }],
  };
  // Positions are 64-bit ("none" is 2^64 - 1), beyond what a JS number keeps: written back as 0.
  const json = JSON.stringify(tree, (key, v) => (key === 'query_location' ? 0 : v));
  const [row] = await db.rows(`SELECT json_deserialize_sql(${quoteLiteral(json)}) AS sql`);
  const text = String(row?.sql ?? '');
  return text.startsWith('SELECT ') ? text.slice('SELECT '.length) : undefined;
}

/** What a pick-one aggregate keeps one of, and over which of the group's lines. */
interface Picked {
  readonly value: string;
  readonly filter?: string;
}

interface PickNode {
  readonly class?: string;
  readonly child?: PickNode;
  readonly function_name?: string;
  readonly children?: readonly unknown[];
  readonly filter?: unknown;
  readonly order_bys?: { readonly orders?: readonly unknown[] };
}

async function disagreeing(
  db: Database,
  relation: string,
  { value, filter }: Picked,
  where: string,
  by: readonly string[],
): Promise<Omit<Disagreement, 'column' | 'aggregate'> | undefined> {
  const text = `(${value})::VARCHAR`;
  const only = filter ? ` FILTER (WHERE ${filter})` : '';
  const rows = await db.rows(
    `WITH g AS (
       SELECT first(__file ORDER BY __file, __rec) AS f, first(__loc ORDER BY __file, __rec) AS l,
              count(DISTINCT (${value}))${only} AS k, string_agg(DISTINCT ${text}, ' | ' ORDER BY ${text})${only} AS v
       FROM ${quoteIdent(relation)} WHERE ${where} GROUP BY ${by.map(quoteIdent).join(', ')}
     )
     SELECT count(*) OVER () AS n, f, l, v FROM g WHERE k > 1 ORDER BY f, l LIMIT ${SHOWN_GROUPS}`,
  );
  if (rows.length === 0) return undefined;
  return {
    groups: Number(rows[0]?.n ?? rows.length),
    examples: rows.map((r) => ({ file: String(r.f), loc: Number(r.l), value: String(r.v) })),
  };
}

/**
 * Groups with a blank line whose aggregate still gives a number: `sum()` gives the others' total,
 * an order understated without a word (`coalesce(sum(x), 0)`: $0 for one of blank lines only).
 * The aggregate itself is asked, so a guard that makes such an order unknown (CASE WHEN count(*)
 * = count(x) THEN sum(x) END) is seen to work, whatever its form.
 */
async function partlyBlankGroups(
  db: Database,
  relation: string,
  { value, filter }: Picked,
  aggregate: string,
  where: string,
  by: readonly string[],
): Promise<Omit<Disagreement, 'column' | 'aggregate'> | undefined> {
  const only = filter ? ` FILTER (WHERE ${filter})` : '';
  const rows = await db.rows(
    `WITH g AS (
       SELECT first(__file ORDER BY __file, __rec) AS f, first(__loc ORDER BY __file, __rec) AS l,
              count(*)${only} AS lines, count(${value})${only} AS filled, (${aggregate}) AS result
       FROM ${quoteIdent(relation)} WHERE ${where} GROUP BY ${by.map(quoteIdent).join(', ')}
     )
     SELECT count(*) OVER () AS n, f, l, lines, filled FROM g
     WHERE filled < lines AND result IS NOT NULL ORDER BY f, l LIMIT ${SHOWN_GROUPS}`,
  );
  if (rows.length === 0) return undefined;
  return {
    groups: Number(rows[0]?.n ?? rows.length),
    examples: rows.map((r) => ({
      file: String(r.f),
      loc: Number(r.l),
      value: `${Number(r.lines) - Number(r.filled)} of ${Number(r.lines)} lines blank`,
    })),
  };
}

// DuckDB names the value it cannot convert, and often the column: `Could not convert string
// "abc" to DECIMAL(38,6) when casting from source column Line Total`.
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
