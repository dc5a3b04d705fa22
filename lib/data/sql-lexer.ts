// DuckDB's SQL split into tokens and statements, as DuckDB's own (PostgreSQL-derived) scanner
// reads it: '' strings, E'' strings with backslash escapes, $tag$ dollar quotes, "" identifiers,
// -- and nested /* */ comments. The statement gate relies on this agreeing with DuckDB, so
// anything it cannot read for certain (an unterminated string or comment) is reported.

export type Token =
  | { readonly kind: 'word'; readonly text: string; readonly at: number }
  | { readonly kind: 'identifier'; readonly text: string; readonly at: number }
  | { readonly kind: 'string'; readonly text: string; readonly plain: boolean; readonly at: number }
  | { readonly kind: 'symbol'; readonly text: string; readonly at: number };

export interface Lexed {
  /** Tokens per statement (split at `;`), empty statements left out. */
  readonly statements: readonly (readonly Token[])[];
  /** Set when the text ends inside a string, identifier or comment. */
  readonly unterminated?: string;
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_CONT = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

export function lexSql(sql: string): Lexed {
  const statements: Token[][] = [];
  let current: Token[] = [];
  let i = 0;
  const unterminated = (what: string): Lexed => ({ statements: close(), unterminated: what });
  const close = () => {
    if (current.length > 0) statements.push(current);
    current = [];
    return statements;
  };
  while (i < sql.length) {
    const c = sql[i] ?? '';
    const next = sql[i + 1] ?? '';
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '-' && next === '-') {
      while (i < sql.length && sql[i] !== '\n' && sql[i] !== '\r') i += 1;
    } else if (c === '/' && next === '*') {
      let depth = 0;
      do {
        if (sql.startsWith('/*', i)) {
          depth += 1;
          i += 2;
        } else if (sql.startsWith('*/', i)) {
          depth -= 1;
          i += 2;
        } else i += 1;
      } while (depth > 0 && i < sql.length);
      if (depth > 0) return unterminated('a /* comment');
    } else if (c === "'" || ((c === 'e' || c === 'E') && next === "'")) {
      const escapes = c !== "'";
      const at = i;
      let text = '';
      let end = i + (escapes ? 1 : 0);
      // 'a'<newline>'b' is one string, 'ab' (as in PostgreSQL), even with -- comments between.
      do {
        const part = readQuoted(sql, end, escapes);
        if (!part) return unterminated('a string');
        text += part.text;
        end = continuation(sql, part.end);
      } while (sql[end] === "'");
      i = end;
      current.push({ kind: 'string', text, plain: !escapes, at });
    } else if (c === '$' && DOLLAR_TAG.test(sql.slice(i, i + 256))) {
      const tag = DOLLAR_TAG.exec(sql.slice(i, i + 256))?.[0] ?? '$$';
      const end = sql.indexOf(tag, i + tag.length);
      if (end < 0) return unterminated('a $$ string');
      current.push({ kind: 'string', text: sql.slice(i + tag.length, end), plain: false, at: i });
      i = end + tag.length;
    } else if (c === '"') {
      const at = i;
      i += 1;
      let text = '';
      for (;;) {
        if (i >= sql.length) return unterminated('a quoted identifier');
        if (sql[i] === '"' && sql[i + 1] === '"') {
          text += '"';
          i += 2;
        } else if (sql[i] === '"') {
          i += 1;
          break;
        } else {
          text += sql[i];
          i += 1;
        }
      }
      current.push({ kind: 'identifier', text, at });
    } else if (IDENT_START.test(c)) {
      const at = i;
      while (i < sql.length && IDENT_CONT.test(sql[i] ?? '')) i += 1;
      current.push({ kind: 'word', text: sql.slice(at, i).toLowerCase(), at });
    } else if (c === ';') {
      close();
      i += 1;
    } else {
      // Numbers, operators, parameters ($name, ?) and punctuation: one character at a time.
      current.push({ kind: 'symbol', text: c, at: i });
      i += 1;
    }
  }
  return { statements: close() };
}

/** The string whose opening quote is at `start`, and the index after its closing quote. */
function readQuoted(sql: string, start: number, escapes: boolean): { text: string; end: number } | undefined {
  let text = '';
  let i = start + 1;
  while (i < sql.length) {
    const ch = sql[i] ?? '';
    if (escapes && ch === '\\') {
      text += sql[i + 1] ?? '';
      i += 2;
    } else if (ch === "'" && sql[i + 1] === "'") {
      text += "'";
      i += 2;
    } else if (ch === "'") {
      return { text, end: i + 1 };
    } else {
      text += ch;
      i += 1;
    }
  }
  return undefined;
}

/** Where a string continues: after whitespace and -- comments holding a newline, else `end`. */
function continuation(sql: string, end: number): number {
  let i = end;
  let newline = false;
  while (i < sql.length) {
    if (sql.startsWith('--', i)) {
      while (i < sql.length && sql[i] !== '\n' && sql[i] !== '\r') i += 1;
    } else if (/\s/.test(sql[i] ?? '')) {
      if (sql[i] === '\n' || sql[i] === '\r') newline = true;
      i += 1;
    } else break;
  }
  return newline && sql[i] === "'" ? i : end;
}
