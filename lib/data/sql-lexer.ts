// DuckDB's SQL split into tokens and statements, as DuckDB's own (PostgreSQL-derived) scanner
// reads it: '' strings, E'' strings with backslash escapes, $tag$ dollar quotes, "" identifiers,
// -- and nested /* */ comments. Before scanning, DuckDB turns some Unicode spaces into plain
// spaces with a pass of its own (Parser::StripUnicodeSpaces), which `duckdbSpaces` copies byte
// for byte; every other non-ASCII character is part of an identifier, as in PostgreSQL.
// The statement gate never trusts this reading alone: DuckDB's parser checks every statement.

export type Token =
  | { readonly kind: 'word'; readonly text: string; readonly at: number }
  | { readonly kind: 'identifier'; readonly text: string; readonly at: number }
  | { readonly kind: 'string'; readonly text: string; readonly plain: boolean; readonly at: number }
  | { readonly kind: 'symbol'; readonly text: string; readonly at: number };

export interface LexedStatement {
  readonly tokens: readonly Token[];
  /** Offsets of the statement in the SQL: from its first token to the end of its last. */
  readonly start: number;
  readonly end: number;
}

export interface Lexed {
  /** Statements (split at `;`), empty statements left out. */
  readonly statements: readonly LexedStatement[];
  /** Set when the text ends inside a string, identifier or comment. */
  readonly unterminated?: string;
}

// The scanner's whitespace (PostgreSQL's `space`); vertical tab is DuckDB's too at the ends.
const SPACE = /[ \t\n\r\f\v]/;
const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_CONT = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;
const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;

export function lexSql(source: string): Lexed {
  const sql = duckdbSpaces(source);
  const statements: LexedStatement[] = [];
  let current: Token[] = [];
  let lastEnd = 0;
  let i = 0;
  const push = (token: Token, end: number) => {
    current.push(token);
    lastEnd = end;
  };
  const close = () => {
    const first = current[0];
    // DuckDB's scanner drops a statement that is one word of non-ASCII letters (`SELECT 1; ü`).
    const dropped = current.length === 1 && first?.kind === 'word' && /^[\u0080-\uffff]+$/.test(first.text);
    if (first && !dropped) statements.push({ tokens: current, start: first.at, end: lastEnd });
    current = [];
    return statements;
  };
  const unterminated = (what: string): Lexed => ({ statements: close(), unterminated: what });
  while (i < sql.length) {
    const c = sql[i] ?? '';
    const next = sql[i + 1] ?? '';
    if (SPACE.test(c)) {
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
        i = part.end;
        end = continuation(sql, part.end);
      } while (sql[end] === "'");
      push({ kind: 'string', text, plain: !escapes, at }, i);
    } else if (c === '$' && DOLLAR_TAG.test(sql.slice(i, i + 256))) {
      const tag = DOLLAR_TAG.exec(sql.slice(i, i + 256))?.[0] ?? '$$';
      const end = sql.indexOf(tag, i + tag.length);
      if (end < 0) return unterminated('a $$ string');
      push({ kind: 'string', text: sql.slice(i + tag.length, end), plain: false, at: i }, end + tag.length);
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
      push({ kind: 'identifier', text, at }, i);
    } else if (IDENT_START.test(c)) {
      const at = i;
      while (i < sql.length && IDENT_CONT.test(sql[i] ?? '')) i += 1;
      push({ kind: 'word', text: sql.slice(at, i).toLowerCase(), at }, i);
    } else if (c === ';') {
      close();
      i += 1;
    } else {
      // A number, or one character of an operator, a parameter ($name, ?) or punctuation.
      const number = /\d|\./.test(c) ? NUMBER.exec(sql.slice(i, i + 64))?.[0] : undefined;
      const text = number ?? c;
      push({ kind: 'symbol', text, at: i }, i + text.length);
      i += text.length;
    }
  }
  return { statements: close() };
}

/**
 * The SQL with the Unicode spaces DuckDB's parser replaces by a space replaced likewise (U+00A0,
 * U+2000 to U+200B, U+202F, U+205F, U+2060, U+3000, U+FEFF), skipping what that pass takes for
 * quotes and -- comments, with its bounds: it works on UTF-8 bytes and never looks at the last
 * two. Every such character is one UTF-16 unit, so offsets in the result are offsets in `sql`.
 */
export function duckdbSpaces(sql: string): string {
  if (!/[\u00a0\u2000-\u200b\u202f\u205f\u2060\u3000\ufeff]/.test(sql)) return sql;
  const q = Buffer.from(sql, 'utf8');
  const n = q.length;
  const spaces: [number, number][] = [];
  let pos = 0;
  let state: 'regular' | 'quote' | 'dollar' | 'comment' = 'regular';
  let quote = 0;
  let tag = Buffer.alloc(0);
  const tagFirst = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0x80;
  const tagNext = (c: number) => tagFirst(c) || (c >= 48 && c <= 57);
  scan: for (;;) {
    if (state === 'regular') {
      for (; pos + 2 < n; pos++) {
        const b0 = q[pos] ?? 0;
        const b1 = q[pos + 1] ?? 0;
        const b2 = q[pos + 2] ?? 0;
        if (b0 === 0xc2 && b1 === 0xa0) spaces.push([pos, 2]);
        if (b0 === 0xe2) {
          if (b1 === 0x80 && ((b2 >= 0x80 && b2 <= 0x8b) || b2 === 0xaf)) spaces.push([pos, 3]);
          else if (b1 === 0x81 && (b2 === 0x9f || b2 === 0xa0)) spaces.push([pos, 3]);
        } else if (b0 === 0xe3) {
          if (b1 === 0x80 && b2 === 0x80) spaces.push([pos, 3]);
        } else if (b0 === 0xef) {
          if (b1 === 0xbb && b2 === 0xbf) spaces.push([pos, 3]);
        } else if (b0 === 0x22 || b0 === 0x27) {
          quote = b0;
          pos++;
          state = 'quote';
          continue scan;
        } else if (b0 === 0x24 && (b1 === 0x24 || tagFirst(b1))) {
          const start = ++pos;
          for (; pos + 2 < n; pos++) {
            if (q[pos] === 0x24) {
              tag = q.subarray(start, pos);
              state = 'dollar';
              continue scan;
            }
            if (!tagNext(q[pos] ?? 0)) continue scan; // not a tag: read on as usual
          }
          break scan;
        } else if (b0 === 0x2d && b1 === 0x2d) {
          state = 'comment';
          continue scan;
        }
      }
      break;
    }
    if (state === 'quote') {
      for (; pos + 1 < n; pos++) {
        if (q[pos] !== quote) continue;
        if (q[pos + 1] === quote) {
          pos++;
          continue;
        }
        pos++;
        state = 'regular';
        continue scan;
      }
      break;
    }
    if (state === 'dollar') {
      for (; pos + 2 < n; pos++) {
        if (
          q[pos] === 0x24 &&
          n - (pos + 1) >= tag.length + 1 &&
          q[pos + tag.length + 1] === 0x24 &&
          q.subarray(pos + 1, pos + 1 + tag.length).equals(tag)
        ) {
          pos += tag.length + 1;
          state = 'regular';
          continue scan;
        }
      }
      break;
    }
    for (; pos < n; pos++) {
      if (q[pos] === 0x0a || q[pos] === 0x0d) {
        state = 'regular';
        continue scan;
      }
    }
    break;
  }
  if (spaces.length === 0) return sql;
  const out = Buffer.from(q);
  const keep = new Uint8Array(n).fill(1);
  for (const [at, bytes] of spaces) {
    out[at] = 0x20;
    for (let k = 1; k < bytes; k++) keep[at + k] = 0;
  }
  return Buffer.from(out.filter((_, k) => keep[k] === 1)).toString('utf8');
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
    } else if (SPACE.test(sql[i] ?? '')) {
      if (sql[i] === '\n' || sql[i] === '\r') newline = true;
      i += 1;
    } else break;
  }
  return newline && sql[i] === "'" ? i : end;
}
