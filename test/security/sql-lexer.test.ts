import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lexSql } from '../../lib/data/sql-lexer.ts';

// The statement gate reads SQL with its own lexer, before DuckDB sees it: the two must agree on
// where strings, comments and statements end, or a statement could hide from the gate.
let instance: DuckDBInstance;
let connection: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  connection = await instance.connect();
});
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

const TRICKY = [
  "SELECT 'a;b' AS x; SELECT 2",
  "SELECT 'it''s; here'; SELECT 2",
  "SELECT E'a\\';' AS x; SELECT 2; SELECT 3",
  "SELECT E'\\\\'; SELECT 2",
  "SELECT e'\\';\\'' ; SELECT 2",
  "SELECT 'a\\'; SELECT 2",
  "SELECT $$ ; ' $$ AS x; SELECT 2",
  'SELECT $tag$ $$ ; $tag$ AS x; SELECT 2',
  'SELECT $1; SELECT 2',
  'SELECT 1 AS "a;""b"; SELECT 2',
  'SELECT 1 /* ; /* nested ; */ still; */; SELECT 2',
  "SELECT 1 -- ; '\n; SELECT 2",
  "SELECT 'a'\n'b;c'; SELECT 2",
  "SELECT 'a' -- note ;\n  'b;c'; SELECT 2",
  'SELECT 1;; SELECT 2',
  'SELECT abc$def FROM (SELECT 1 AS abc$def); SELECT 2',
  "SELECT x'41;'; SELECT 2",
  "SELECT n'a;b'; SELECT 2",
  "SELECT 1 AS e; SELECT 'e'';' AS s",
  'SELECT 1 /**/; SELECT 2 /* ; */',
  "SELECT 'ümlaut;' AS ü; SELECT 2",
  // DuckDB reads these Unicode spaces as spaces, so E'...' after one is an escape string.
  "SELECT \u200bE'\\' AS x'; SELECT 2; --'",
  "SELECT \u3000e'\\' AS x'; SELECT 2; --'",
  "SELECT \ufeffE'\\' AS x'; SELECT 2; --'",
  // ... and these not: they belong to an identifier, and the string after it is plain.
  "SELECT \u2028E'\\' AS x; SELECT 2",
  'SELECT 1; ü',
];

describe('the SQL lexer', () => {
  for (const sql of TRICKY) {
    it(`splits as DuckDB does: ${JSON.stringify(sql)}`, async () => {
      const duckdb = (await connection.extractStatements(sql)).count;
      expect(lexSql(sql).statements.length).toBe(duckdb);
    });
  }

  it('reads strings as DuckDB does: continued, escaped, dollar-quoted', async () => {
    const cases: [string, string, boolean][] = [
      ["'a'\n'b'", 'ab', true],
      ["'a' -- c\n 'b'", 'ab', true],
      ["'it''s'", "it's", true],
      ["E'a\\'b'", "a'b", false],
      ['$q$x$q$', 'x', false],
    ];
    for (const [literal, text, plain] of cases) {
      const [token] = lexSql(literal).statements[0]?.tokens ?? [];
      expect(token, literal).toMatchObject({ kind: 'string', text, plain });
      const rows = await (await connection.run(`SELECT ${literal} AS s`)).getRowObjectsJson();
      expect(rows[0]?.s, literal).toBe(text);
    }
  });

  it('says when the text ends inside a string or a comment', () => {
    expect(lexSql("SELECT 'x").unterminated).toBe('a string');
    expect(lexSql('SELECT /* /* */').unterminated).toBe('a /* comment');
    expect(lexSql('SELECT $a$ x').unterminated).toBe('a $$ string');
    expect(lexSql('SELECT "x').unterminated).toBe('a quoted identifier');
  });
});
