import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, StatementType } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lexSql } from '../../lib/data/sql-lexer.ts';
import { admitStatements, type GatePolicy, type SqlParser } from '../../lib/data/statement-gate.ts';

// The statement gate and DuckDB must read SQL alike: on thousands of generated strings mixing
// quotes, escape strings, dollar quotes, nested comments and every Unicode space, separator and
// format character, the lexer's statement boundaries and kinds equal DuckDB's (its own
// extract_statements and prepared statement types), and the gate admits nothing DuckDB would run
// as anything but SELECT, or a COPY ... TO the gate rebuilt into the output folder.

const sandbox = mkdtempSync(join(tmpdir(), 'pulse-gate-'));
const out = join(sandbox, 'out');
let instance: DuckDBInstance;
let connection: DuckDBConnection;
let parser: SqlParser;
let policy: GatePolicy;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  connection = await instance.connect();
  await connection.run(`SET allowed_directories = ['${sandbox}/']`);
  await connection.run('SET enable_external_access = false');
  await connection.run('SET lock_configuration = true');
  parser = {
    countStatements: async (sql) => (await connection.extractStatements(sql)).count,
    selectTrees: async (sql) => {
      const reader = await connection.runAndReadAll('SELECT json_serialize_sql($s::VARCHAR)::VARCHAR AS t', {
        s: sql,
      });
      const tree = JSON.parse(String(reader.getRowObjectsJson()[0]?.t)) as {
        error?: boolean;
        error_message?: string;
        statements?: unknown[];
      };
      return tree.error ? { error: String(tree.error_message) } : { trees: tree.statements ?? [] };
    },
  };
  policy = { writable: [out], cwd: sandbox, refusedFunctions: new Set(['enable_logging', 'query']) };
});
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

// Seeded, so a failure names a string that can be run again.
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Every Unicode space separator, line/paragraph separator and the format characters that look
// like nothing, with the ASCII whitespace and controls PostgreSQL's scanner knows.
const SPACES = [
  ...[' ', '\t', '\n', '\r', '\f', '\v', '\u0085', '\u00a0', '\u00ad', '\u1680', '\u180e'],
  ...Array.from({ length: 16 }, (_, i) => String.fromCharCode(0x2000 + i)),
  ...['\u2028', '\u2029', '\u202f', '\u205f', '\u2060', '\u2061', '\u2062', '\u2063', '\u2064'],
  ...['\u3000', '\ufeff', '\u034f', '\u061c', '\u200e', '\u200f'],
];
const DUCKDB_SPACES = [
  ' ',
  '\t',
  '\n',
  '\r',
  '\f',
  '\u00a0',
  '\u2002',
  '\u200b',
  '\u202f',
  '\u2060',
  '\u3000',
  '\ufeff',
];
const QUIRKS = ["'", "''", '\\', "\\'", '\\\\', ';', '--', '/*', '*/', '$$', '$a$', '"', 'E', 'e', ' ', '\n'];
const KINDS: Record<string, string> = {
  select: 'SELECT',
  with: 'SELECT',
  from: 'SELECT',
  values: 'SELECT',
  '(': 'SELECT',
  copy: 'COPY',
  attach: 'ATTACH',
  call: 'CALL',
  explain: 'EXPLAIN',
};

function corpus(size: number, seed: number): string[] {
  const r = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;
  const chars = (n: number) =>
    Array.from({ length: n }, () =>
      r() < 0.5 ? pick(QUIRKS) : r() < 0.5 ? pick(SPACES) : pick(['a', 'x', '1', 'ü', '(', ')', ',']),
    ).join('');
  // Mostly what DuckDB takes for whitespace, sometimes a character it does not (the string then
  // fails to parse, and the gate must refuse it or pass DuckDB's error on).
  const gap = () => {
    const roll = r();
    const clean = (text: string) =>
      text
        .replaceAll('/*', '')
        .replaceAll('*/', '')
        .replace(/[\n\r]/g, '');
    if (roll < 0.55) return pick(DUCKDB_SPACES);
    if (roll < 0.7) return ` ${pick(DUCKDB_SPACES)}${pick(DUCKDB_SPACES)} `;
    if (roll < 0.8) return ` -- ${clean(chars(3))}\n`;
    if (roll < 0.9) return ` /* ${clean(chars(3))} /* ${clean(chars(2))} */ */ `;
    if (roll < 0.95) return pick(SPACES);
    return ' ';
  };
  const literal = (): string => {
    const roll = r();
    const body = chars(1 + Math.floor(r() * 5));
    if (roll < 0.3) return `'${body.replaceAll("'", "''")}'`;
    if (roll < 0.5) return `E'${body.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
    if (roll < 0.6) return `'${body.replaceAll("'", "''")}'\n'${pick(SPACES)}'`;
    if (roll < 0.75) return `$$${body.replaceAll('$', '')}$$`;
    if (roll < 0.85) return `$q$${body.replaceAll('$', '')}$q$`;
    if (roll < 0.95) return `"${body.replaceAll('"', '""')}"`;
    return String(Math.floor(r() * 100));
  };
  const select = () => `SELECT${gap()}${literal()}${gap()}AS${gap()}x${gap()},${gap()}${literal()}`;
  const statement = (): string => {
    const roll = r();
    if (roll < 0.5) return select();
    if (roll < 0.62) return `COPY${gap()}(${select()})${gap()}TO${gap()}'${out}/f.csv'`;
    if (roll < 0.72) return `ATTACH${gap()}'${sandbox}/a.db'${gap()}AS${gap()}a${Math.floor(r() * 1e6)}`;
    if (roll < 0.8) return `CALL${gap()}pragma_version()`;
    if (roll < 0.88) return `EXPLAIN${gap()}${select()}`;
    if (roll < 0.94) return `WITH${gap()}t${gap()}AS${gap()}(${select()})${gap()}FROM${gap()}t`;
    return `(${select()})`;
  };
  const strings: string[] = [];
  while (strings.length < size) {
    const roll = r();
    if (roll < 0.8) {
      const n = 1 + Math.floor(r() * 3);
      strings.push(Array.from({ length: n }, statement).join(`${gap()};${gap()}`) + (r() < 0.3 ? ';' : ''));
    } else {
      // The shape: an escape string after an invisible character, a statement hidden in it.
      strings.push(
        `SELECT${pick(SPACES)}${pick(['E', 'e', ''])}'${chars(2)}\\' AS x'; COPY (SELECT 1) TO '${sandbox}/data.parquet' (FORMAT parquet); --'${chars(2)}`,
      );
    }
  }
  return strings;
}

async function duckdbReading(sql: string): Promise<string[] | undefined> {
  let extracted: Awaited<ReturnType<DuckDBConnection['extractStatements']>>;
  try {
    extracted = await connection.extractStatements(sql);
  } catch {
    return undefined; // a syntax error: the gate passes DuckDB's error on, nothing runs
  }
  const kinds: string[] = [];
  for (let i = 0; i < extracted.count; i++) {
    try {
      kinds.push(StatementType[(await extracted.prepare(i)).statementType]);
    } catch {
      kinds.push('UNBOUND');
    }
  }
  return kinds;
}

async function wrappedKind(sql: string): Promise<string> {
  const copy = /^COPY \(\n([\s\S]*)\n\) TO '[^']*'/.exec(sql);
  const explain = /^EXPLAIN (?:ANALYZE )?\n([\s\S]*)$/.exec(sql);
  const inner = copy?.[1] ?? explain?.[1] ?? sql;
  const parsed = await parser.selectTrees(inner);
  if (!('trees' in parsed) || parsed.trees.length !== 1) return 'UNBOUND';
  return copy ? 'COPY' : explain ? 'EXPLAIN' : 'SELECT';
}

function lexerReading(sql: string): string[] | undefined {
  const lexed = lexSql(sql);
  if (lexed.unterminated) return undefined;
  return lexed.statements.map(({ tokens }) => {
    const head = tokens[0];
    return KINDS[head?.kind === 'word' || head?.kind === 'symbol' ? head.text : ''] ?? `other:${head?.text}`;
  });
}

describe('the statement gate reads SQL as DuckDB does', () => {
  const strings = corpus(10_000, 20261204);

  it('splits and classifies 10,000 generated strings exactly as DuckDB', async () => {
    let parsed = 0;
    const disagreements: string[] = [];
    for (const sql of strings) {
      const duckdb = await duckdbReading(sql);
      if (!duckdb) continue;
      parsed += 1;
      const ours = lexerReading(sql);
      const known = duckdb.every((kind) => kind !== 'UNBOUND');
      if (!ours || ours.length !== duckdb.length || (known && ours.join() !== duckdb.join()))
        disagreements.push(
          `${JSON.stringify(sql)}: DuckDB ${duckdb.join()} vs ${ours?.join() ?? 'unterminated'}`,
        );
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    // Enough of the corpus is valid SQL for the comparison to mean something.
    expect(parsed).toBeGreaterThan(4000);
  }, 120_000);

  it('admits only what DuckDB reads as SELECT, or a COPY into the output folder it rebuilt', async () => {
    let admittedCount = 0;
    for (const sql of strings) {
      let admitted: Awaited<ReturnType<typeof admitStatements>>;
      try {
        admitted = await admitStatements(sql, policy, parser);
      } catch {
        continue;
      }
      for (const statement of admitted) {
        admittedCount += 1;
        let kinds = await duckdbReading(statement.sql);
        // A SELECT that does not bind (an unknown column) cannot run; DuckDB's parser names it.
        // A statement that does not bind (an unknown column) cannot run; DuckDB's parser still
        // says what the gate wrapped is: one SELECT.
        if (kinds?.[0] === 'UNBOUND') kinds = [await wrappedKind(statement.sql)];
        expect(kinds, statement.sql).toHaveLength(1);
        expect(['SELECT', 'COPY', 'EXPLAIN'], statement.sql).toContain(kinds?.[0]);
        if (kinds?.[0] === 'COPY') expect(statement.writes?.startsWith(`${out}/`), statement.sql).toBe(true);
        else expect(statement.writes).toBeUndefined();
      }
    }
    expect(admittedCount).toBeGreaterThan(5000);
  }, 120_000);

  it('refuses the hidden COPY of the issue, for every invisible character', async () => {
    for (const space of SPACES) {
      const sql = `SELECT ${space}E'\\' AS x'; COPY (SELECT 1) TO '${sandbox}/data.parquet' (FORMAT parquet); --'`;
      const admitted = await admitStatements(sql, policy, parser).catch((error: Error) => error);
      if (admitted instanceof Error) continue;
      // Admitted only when nothing but a SELECT remains to DuckDB as well.
      for (const statement of admitted) expect(await duckdbReading(statement.sql)).toEqual(['SELECT']);
    }
  });
});
