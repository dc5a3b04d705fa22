// Which statements user SQL may run once the connection is locked. DuckDB's allowed folders let a
// statement read *and write* the data folder, and some statements act while DuckDB merely binds
// them (EXPORT DATABASE creates its folder when prepared), so nothing user-written reaches
// DuckDB's executor unless DuckDB's own parser has first said what it is:
// - every statement must be one SELECT to DuckDB (json_serialize_sql, which parses and nothing
//   more), calling no table function that writes files, changes settings or runs SQL text;
// - COPY ... TO and EXPLAIN are rebuilt by the gate around such a SELECT, with a path it has
//   checked (inside the output folder, links resolved) and options it has re-quoted;
// - the lexer (sql-lexer.ts) finds statement boundaries and COPY's parts, and DuckDB must count
//   the same statements, or the SQL is refused. What runs is only what DuckDB has read.

import { lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PulseError } from '../errors.ts';
import { type LexedStatement, lexSql, type Token } from './sql-lexer.ts';
import { quoteLiteral } from './sql-text.ts';

/** DuckDB's parser, asked without running anything. */
export interface SqlParser {
  /** How many statements DuckDB reads in `sql`; throws DuckDB's syntax error. */
  countStatements(sql: string): Promise<number>;
  /** DuckDB's parse trees when every statement of `sql` is a SELECT, else DuckDB's reason. */
  selectTrees(sql: string): Promise<{ readonly trees: readonly unknown[] } | { readonly error: string }>;
}

export interface GatePolicy {
  /** Folders COPY ... TO may write in (the output folder); none: no COPY ... TO at all. */
  readonly writable: readonly string[];
  /** Where DuckDB resolves relative paths; default the process's working folder, when checked. */
  readonly cwd?: string;
  /** Table functions user SQL may not call (lower case); see `refusedTableFunctions`. */
  readonly refusedFunctions: ReadonlySet<string>;
}

/** A statement the gate lets run: the SQL DuckDB checked, and the parameters it names. */
export interface AdmittedStatement {
  readonly sql: string;
  readonly params: readonly string[];
  /** The file a COPY ... TO writes, inside a writable folder. */
  readonly writes?: string;
}

// DuckDB's built-in table functions that only read (files inside the allowed folders, the
// catalog, generated rows). Every other built-in one (enable_logging, checkpoint, query,
// json_execute_serialized_sql, arrow_scan, ... and any a new DuckDB adds) is refused.
const READ_ONLY_TABLE_FUNCTIONS = new Set([
  ...['read_csv', 'read_csv_auto', 'sniff_csv', 'read_parquet', 'parquet_scan', 'read_text', 'read_blob'],
  ...['read_json', 'read_json_auto', 'read_json_objects', 'read_json_objects_auto', 'read_ndjson'],
  ...['read_ndjson_auto', 'read_ndjson_objects', 'json_each', 'json_tree', 'glob'],
  ...['parquet_metadata', 'parquet_schema', 'parquet_file_metadata', 'parquet_kv_metadata'],
  ...['parquet_full_metadata', 'parquet_bloom_probe', 'range', 'generate_series', 'unnest', 'repeat'],
  ...['repeat_row', 'summary', 'histogram', 'histogram_values', 'pg_timezone_names', 'icu_calendar_names'],
  ...['duckdb_columns', 'duckdb_constraints', 'duckdb_databases', 'duckdb_dependencies', 'duckdb_functions'],
  ...['duckdb_indexes', 'duckdb_keywords', 'duckdb_schemas', 'duckdb_sequences', 'duckdb_settings'],
  ...['duckdb_tables', 'duckdb_types', 'duckdb_views', 'duckdb_memory', 'duckdb_optimizers'],
  ...['duckdb_temporary_files', 'duckdb_variables', 'pragma_table_info', 'pragma_show', 'pragma_version'],
  ...['pragma_platform', 'pragma_database_size', 'pragma_storage_info', 'pragma_metadata_info'],
  ...['pragma_collations', 'pragma_user_agent', 'test_all_types', 'test_vector_types'],
]);

/** The built-in table functions (DuckDB's own list) that user SQL may not call. */
export function refusedTableFunctions(builtIn: readonly string[]): Set<string> {
  return new Set(
    builtIn.map((name) => name.toLowerCase()).filter((name) => !READ_ONLY_TABLE_FUNCTIONS.has(name)),
  );
}

// Options that put part of the written file names outside the target folder.
const NAME_OPTIONS = new Set(['filename_pattern', 'file_extension']);
const OPTION_WORD = /^[a-z_][a-z0-9_]*$/;
const OPTION_NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

const ALLOWED =
  'queries may read the data folder and write files only with COPY ... TO inside the output folder';

/**
 * The statements of `sql` as they may run here, in order; throws a PulseError ("refused: ...")
 * when one may not run, or DuckDB's syntax error. Nothing is executed.
 */
export async function admitStatements(
  sql: string,
  policy: GatePolicy,
  parser: SqlParser,
): Promise<AdmittedStatement[]> {
  const lexed = lexSql(sql);
  if (lexed.unterminated)
    throw refused(`the SQL ends inside ${lexed.unterminated}, so which statements it holds is unclear`);
  const counted = await parser.countStatements(sql);
  if (counted !== lexed.statements.length)
    throw refused(
      `DuckDB reads ${counted} statement(s) in this SQL where a plain reading finds ${lexed.statements.length}; unusual characters (invisible spaces, escape strings) can hide a statement, so it does not run. Retype the SQL without them`,
    );
  const admitted: AdmittedStatement[] = [];
  for (const statement of lexed.statements) {
    admitted.push(await admitStatement(sql, statement, policy, parser));
  }
  return admitted;
}

async function admitStatement(
  sql: string,
  statement: LexedStatement,
  policy: GatePolicy,
  parser: SqlParser,
): Promise<AdmittedStatement> {
  const { tokens } = statement;
  const text = sql.slice(statement.start, statement.end);
  const head = tokens[0];
  const keyword = head?.kind === 'word' ? head.text : undefined;
  if (keyword === 'copy') return admitCopy(sql, tokens, statement.end, policy, parser);
  if (keyword === 'explain') {
    const analyze = tokens[1]?.kind === 'word' && ['analyze', 'analyse'].includes(tokens[1].text);
    const body = tokens[analyze ? 2 : 1];
    if (!body) throw refused('EXPLAIN needs a query to explain, e.g. EXPLAIN SELECT ...');
    const inner = sql.slice(body.at, statement.end);
    const params = await checkSelect(inner, policy, parser, 'explain', tokens[analyze ? 2 : 1]);
    return { sql: `EXPLAIN ${analyze ? 'ANALYZE ' : ''}\n${inner}`, params };
  }
  if (keyword === 'call') {
    // CALL f(...) is SELECT * FROM f(...): checked and run as that.
    const body = tokens[1];
    if (!body) throw refused("CALL needs a table function, e.g. CALL pragma_table_info('orders')");
    const select = `SELECT * FROM\n${sql.slice(body.at, statement.end)}`;
    return { sql: select, params: await checkSelect(select, policy, parser, 'call') };
  }
  return { sql: text, params: await checkSelect(text, policy, parser, keyword, tokens[1]) };
}

/**
 * Checks that `text` is one SELECT to DuckDB, calling no refused table function; returns the
 * named parameters DuckDB found in it.
 */
async function checkSelect(
  text: string,
  policy: GatePolicy,
  parser: SqlParser,
  keyword: string | undefined,
  second?: Token,
): Promise<string[]> {
  const parsed = await parser.selectTrees(text);
  if ('error' in parsed) {
    if (/Only SELECT statements/i.test(parsed.error)) throw refused(notAllowed(keyword, second, text));
    throw new PulseError('query', parsed.error);
  }
  if (parsed.trees.length !== 1)
    throw refused(
      `DuckDB reads ${parsed.trees.length} statements where a plain reading finds one; unusual characters can hide a statement, so it does not run`,
    );
  const found = { functions: new Set<string>(), params: new Set<string>() };
  walk(parsed.trees, found);
  for (const name of found.functions) {
    if (policy.refusedFunctions.has(name))
      throw refused(
        `${name}() is not allowed here: queries may call DuckDB's functions that read (read_csv, read_parquet, glob, ...), not those that write files, change settings or run SQL from a string`,
      );
  }
  return [...found.params];
}

function notAllowed(keyword: string | undefined, second: Token | undefined, text: string): string {
  const name = second?.kind === 'word' ? ` ${second.text}` : '';
  if (keyword === 'set' || keyword === 'reset') return 'settings cannot be changed from a query';
  if (keyword === 'pragma')
    return `PRAGMA${name} is not allowed here; read the same with a table function, e.g. SELECT * FROM pragma_table_info('orders'); ${ALLOWED}`;
  if (keyword === 'explain')
    return `EXPLAIN takes a SELECT here (EXPLAIN${name.toUpperCase()} ... is not allowed); ${ALLOWED}`;
  const what = keyword ? keyword.toUpperCase() : JSON.stringify(text.slice(0, 40));
  return `${what} is not allowed here; ${ALLOWED}`;
}

function walk(value: unknown, found: { functions: Set<string>; params: Set<string> }): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, found);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const node = value as Record<string, unknown>;
  if (node.class === 'FUNCTION' && typeof node.function_name === 'string')
    found.functions.add(node.function_name.toLowerCase());
  if (node.class === 'PARAMETER' && typeof node.identifier === 'string') found.params.add(node.identifier);
  for (const child of Object.values(node)) walk(child, found);
}

/**
 * COPY (query) TO 'file' [(options)] or COPY table TO ...: rebuilt as COPY (checked SELECT) TO
 * the checked absolute file, with the options re-quoted. COPY ... FROM loads into a table: no.
 */
async function admitCopy(
  sql: string,
  tokens: readonly Token[],
  end: number,
  policy: GatePolicy,
  parser: SqlParser,
): Promise<AdmittedStatement> {
  let i = 1;
  let select: string;
  const open = tokens[1];
  if (isSymbol(open, '(')) {
    const close = closingParen(tokens, 1);
    const closing = tokens[close];
    if (!open || !closing) throw refused(copyShape(policy));
    select = sql.slice(open.at + 1, closing.at);
    i = close + 1;
  } else {
    const name: Token[] = [];
    while (
      tokens[i] &&
      !isWord(tokens[i], 'to') &&
      !isWord(tokens[i], 'from') &&
      (tokens[i]?.kind === 'word' || tokens[i]?.kind === 'identifier' || isSymbol(tokens[i], '.'))
    )
      name.push(tokens[i++] as Token);
    const first = name[0];
    const last = name.at(-1);
    if (!first || !last) throw refused(copyShape(policy));
    select = `FROM ${sql.slice(first.at, tokens[i]?.at ?? end)}`;
  }
  if (isWord(tokens[i], 'from')) {
    const database = isWord(tokens[i + 1], 'database') ? ' DATABASE' : '';
    throw refused(
      `COPY FROM${database} loads into the database, which is not allowed here; read a file with SELECT * FROM read_csv('...'); ${ALLOWED}`,
    );
  }
  const target = tokens[i + 1];
  if (!isWord(tokens[i], 'to') || target?.kind !== 'string' || !target.plain)
    throw refused(copyShape(policy));
  const file = checkTarget(target.text, policy);
  // DuckDB turns these into plain spaces before it parses, in ways that depend on the quotes
  // before them: a path holding one might not be the path checked.
  if (/[\u00a0\u2000-\u200b\u202f\u205f\u2060\u3000\ufeff]/.test(file))
    throw refused(
      `COPY ... TO '${target.text}': the path holds an invisible space; write to a path without one`,
    );
  const options = copyOptions(tokens.slice(i + 2), policy);
  const params = await checkSelect(select, policy, parser, 'copy');
  const rebuilt = `COPY (\n${select}\n) TO ${quoteLiteral(file)}${options ? ` (${options})` : ''}`;
  if ((await parser.countStatements(rebuilt)) !== 1) throw refused(copyShape(policy));
  return { sql: rebuilt, params, writes: file };
}

/** The options after COPY ... TO 'file', re-quoted: `(FORMAT parquet, DELIMITER ';')`. */
function copyOptions(tokens: readonly Token[], policy: GatePolicy): string {
  let rest = tokens;
  if (isWord(rest[0], 'with')) rest = rest.slice(1);
  if (rest.length === 0) return '';
  const close = closingParen(rest, 0);
  if (!isSymbol(rest[0], '(') || close !== rest.length - 1) throw refused(copyShape(policy));
  const items: string[] = [];
  let words: string[] = [];
  let option: string | undefined;
  const finish = () => {
    if (words.length > 0) items.push(words.join(' '));
    words = [];
    option = undefined;
  };
  for (let j = 1; j < close; j++) {
    const token = rest[j] as Token;
    if (isSymbol(token, ',')) {
      finish();
      continue;
    }
    if (option === undefined) {
      if (token.kind !== 'word' || !OPTION_WORD.test(token.text)) throw refused(copyShape(policy));
      option = token.text;
      words.push(option.toUpperCase());
      continue;
    }
    if (isSymbol(token, '(')) {
      const inner = closingParen(rest, j);
      const list = rest.slice(j + 1, inner).filter((t) => !isSymbol(t, ','));
      words.push(`(${list.map((t) => optionValue(t, option ?? '', policy)).join(', ')})`);
      j = inner;
      continue;
    }
    words.push(optionValue(token, option, policy));
  }
  finish();
  return items.join(', ');
}

function optionValue(token: Token, option: string, policy: GatePolicy): string {
  if (NAME_OPTIONS.has(option) && (token.kind !== 'string' || /[/\\]|\.\./.test(token.text)))
    throw refused(`COPY ... TO: ${option.toUpperCase()} must be a plain name, without / or ..`);
  if (token.kind === 'string') return quoteLiteral(token.text);
  if (token.kind === 'identifier') return `"${token.text.replaceAll('"', '""')}"`;
  if (token.kind === 'word' && OPTION_WORD.test(token.text)) return token.text;
  if (token.kind === 'symbol' && OPTION_NUMBER.test(token.text)) return token.text;
  if (isSymbol(token, '-')) return '-';
  throw refused(copyShape(policy));
}

function copyShape(policy: GatePolicy): string {
  return `COPY ... TO takes a query or table, a plain quoted path and options in parentheses here, e.g. COPY (SELECT ...) TO '${example(policy)}' (FORMAT parquet)`;
}

/** The absolute file, when it lies inside a writable folder (symbolic links resolved). */
function checkTarget(path: string, policy: GatePolicy): string {
  if (policy.writable.length === 0)
    throw refused(
      `COPY ... TO '${path}' writes a file, which this command does not allow; \`pulse query\` and the dev scratchpad may write inside the output folder`,
    );
  // DuckDB reads a scheme (file://, s3://) or ~ itself; only plain paths are checked here.
  // Not resolved lexically: `..` after a link leaves the link's target, as the OS reads it.
  const file = /^[A-Za-z][A-Za-z0-9+.-]*:|^~/.test(path)
    ? undefined
    : isAbsolute(path)
      ? path
      : `${policy.cwd ?? process.cwd()}${sep}${path}`;
  const real = file === undefined ? undefined : resolveLinks(file);
  if (real === 'dangling')
    throw refused(
      `COPY ... TO '${path}' goes through a symbolic link to a file that does not exist, which could point anywhere; remove the link or write elsewhere in the output folder`,
    );
  const inside =
    real !== undefined &&
    policy.writable.some((dir) => {
      const folder = resolveLinks(resolve(dir));
      return typeof folder === 'string' && isWithin(real, folder);
    });
  if (!file || !real || !inside)
    throw refused(
      `COPY ... TO '${path}' would write ${real ?? file ?? path}, outside the output folder; ${ALLOWED} (${policy.writable.join(', ')}), e.g. COPY (SELECT ...) TO '${example(policy)}'`,
    );
  return real;
}

function isWithin(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * The path with every symbolic link on it resolved, as the OS will follow them when the file is
 * written; 'dangling' when a link on it points at nothing (writing would create its target).
 * Parts that do not exist yet are taken as written: DuckDB creates them as plain folders.
 */
export function resolveLinks(path: string): string | 'dangling' {
  const parts = path.split(sep).filter((part) => part !== '' && part !== '.');
  let current: string = sep;
  for (let k = 0; k < parts.length; k++) {
    if (parts[k] === '..') {
      current = dirname(current);
      continue;
    }
    const next = join(current, parts[k] ?? '');
    let isLink: boolean;
    try {
      isLink = lstatSync(next).isSymbolicLink();
    } catch {
      return join(next, ...parts.slice(k + 1));
    }
    if (isLink) {
      try {
        current = realpathSync(next);
      } catch {
        return 'dangling';
      }
    } else current = next;
  }
  return current;
}

function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isSymbol(tokens[i], '(')) depth += 1;
    else if (isSymbol(tokens[i], ')') && --depth === 0) return i;
  }
  return tokens.length;
}

function isSymbol(token: Token | undefined, text: string): boolean {
  return token?.kind === 'symbol' && token.text === text;
}

function isWord(token: Token | undefined, text: string): boolean {
  return token?.kind === 'word' && token.text === text;
}

function example(policy: GatePolicy): string {
  const dir = policy.writable[0];
  const rel = dir ? relative(policy.cwd ?? process.cwd(), dir) : 'out';
  return `${rel && !rel.startsWith('..') ? rel : dir}/result.csv`;
}

function refused(message: string): PulseError {
  return new PulseError('query', `refused: ${message}`);
}
