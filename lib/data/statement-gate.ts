// Which statements user SQL may run once the connection is locked. DuckDB's allowed folders let a
// statement read *and write* the data folder, and ATTACH, EXPORT or PRAGMA import_database act
// while DuckDB merely parses or binds them, so the check runs on the text, before DuckDB sees it:
// COPY ... TO may write only inside the writable folders; nothing else may create files.

import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { PulseError } from '../errors.ts';
import { lexSql, type Token } from './sql-lexer.ts';

export interface GatePolicy {
  /** Folders COPY ... TO may write in (the output folder); none: no COPY ... TO at all. */
  readonly writable: readonly string[];
  /** Where DuckDB resolves relative paths; default the process's working folder, when checked. */
  readonly cwd?: string;
}

// Statements that attach, export, import, load or run stored SQL: never needed by a query here.
const REFUSED_STATEMENTS = new Set([
  'attach',
  'detach',
  'export',
  'import',
  'install',
  'load',
  'force',
  'prepare',
  'execute',
]);
// PRAGMAs that read SQL from a file or copy a database (import_database runs the file's SQL).
const REFUSED_NAMES = new Set(['import_database', 'copy_database']);
// Options that put part of the written file names outside the target folder.
const NAME_OPTIONS = new Set(['filename_pattern', 'file_extension']);
// Words a statement the gate must look at contains somewhere; most SQL has none of them.
const WATCHED = /\b(?:copy|attach|detach|export|import|install|load|force|prepare|execute)\b|_database\b/i;

const ALLOWED =
  'queries may read the data folder and write files only with COPY ... TO inside the output folder';

/**
 * Throws a PulseError when `sql` holds a statement that may not run here; returns the files its
 * COPY ... TO statements write (all inside a writable folder).
 */
export function checkStatements(sql: string, policy: GatePolicy): string[] {
  if (!WATCHED.test(sql)) return [];
  const lexed = lexSql(sql);
  if (lexed.unterminated)
    throw refused(`the SQL ends inside ${lexed.unterminated}, so which statements it holds is unclear`);
  const targets: string[] = [];
  for (const statement of lexed.statements) {
    for (const token of statement) {
      if (
        (token.kind === 'word' || token.kind === 'identifier') &&
        REFUSED_NAMES.has(token.text.toLowerCase())
      )
        throw refused(`${token.text} is not allowed here; ${ALLOWED}`);
    }
    const body = skipExplain(statement);
    const head = body[0];
    if (head?.kind !== 'word') continue;
    if (REFUSED_STATEMENTS.has(head.text))
      throw refused(`${head.text.toUpperCase()} is not allowed here; ${ALLOWED}`);
    if (head.text === 'copy') {
      const target = copyTarget(body, policy);
      if (target) targets.push(target);
    }
  }
  return targets;
}

/** `EXPLAIN [ANALYZE] [(options)] statement` runs the statement with ANALYZE: check what it wraps. */
function skipExplain(statement: readonly Token[]): readonly Token[] {
  let i = 0;
  while (
    statement[i]?.kind === 'word' &&
    ['explain', 'analyze', 'analyse'].includes(statement[i]?.text ?? '')
  )
    i += 1;
  if (i > 0 && isSymbol(statement[i], '(')) i = closingParen(statement, i) + 1;
  return statement.slice(i);
}

/** The file a COPY statement writes, checked; undefined for COPY ... FROM (a read). */
function copyTarget(statement: readonly Token[], policy: GatePolicy): string | undefined {
  let i = 1;
  for (; i < statement.length; i++) {
    const token = statement[i];
    if (isSymbol(token, '(')) i = closingParen(statement, i);
    else if (token?.kind === 'word' && (token.text === 'to' || token.text === 'from')) break;
  }
  const direction = statement[i];
  if (direction?.text === 'from') {
    if (statement[i + 1]?.kind === 'word' && statement[i + 1]?.text === 'database')
      throw refused(`COPY FROM DATABASE is not allowed here; ${ALLOWED}`);
    return undefined;
  }
  const target = statement[i + 1];
  if (direction?.text !== 'to' || target?.kind !== 'string' || !target.plain)
    throw refused(
      `COPY ... TO takes the file as a plain quoted path here, e.g. COPY (SELECT ...) TO '${example(policy)}'`,
    );
  for (let j = i + 2; j < statement.length; j++) {
    const option = statement[j];
    if (option?.kind !== 'word' || !NAME_OPTIONS.has(option.text)) continue;
    const value = statement.slice(j + 1).find((t) => !isSymbol(t, '='));
    if (value?.kind !== 'string' || !value.plain || /[/\\]|\.\./.test(value.text))
      throw refused(`COPY ... TO: ${option.text.toUpperCase()} must be a plain name, without / or ..`);
  }
  return checkTarget(target.text, policy);
}

/** The absolute file, when it lies inside a writable folder (symbolic links followed). */
function checkTarget(path: string, policy: GatePolicy): string {
  if (policy.writable.length === 0)
    throw refused(
      `COPY ... TO '${path}' writes a file, which this command does not allow; \`pulse query\` and the dev scratchpad may write inside the output folder`,
    );
  // DuckDB reads a scheme (file://, s3://) or ~ itself; only plain paths are checked here.
  const file = /^[A-Za-z][A-Za-z0-9+.-]*:|^~/.test(path)
    ? undefined
    : resolve(policy.cwd ?? process.cwd(), path);
  const inside =
    file !== undefined &&
    policy.writable.some((dir) => {
      const real = realDir(dir);
      return real !== undefined && isWithin(realPath(file), real);
    });
  if (!file || !inside)
    throw refused(
      `COPY ... TO '${path}' would write ${file ?? path}, outside the output folder; ${ALLOWED} (${policy.writable.join(', ')}), e.g. COPY (SELECT ...) TO '${example(policy)}'`,
    );
  return file;
}

function isWithin(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** The path with its deepest existing folder resolved through symbolic links. */
function realPath(path: string): string {
  let existing = path;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    return resolve(realpathSync(existing), relative(existing, path));
  } catch {
    return path;
  }
}

function realDir(dir: string): string | undefined {
  try {
    return realpathSync(dir);
  } catch {
    return resolve(dir);
  }
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

function example(policy: GatePolicy): string {
  const dir = policy.writable[0];
  const rel = dir ? relative(policy.cwd ?? process.cwd(), dir) : 'out';
  return `${rel && !rel.startsWith('..') ? rel : dir}/result.csv`;
}

function refused(message: string): PulseError {
  return new PulseError('query', `refused: ${message}`);
}
