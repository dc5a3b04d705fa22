// A mapping's SQL is spliced, between parentheses, into statements that run before the connection
// is locked to the data folder. On thousands of generated snippets built from the pieces an
// attack is made of (closing parentheses, comments, quotes, clauses, subqueries and table
// functions reading a file outside the data), checked as each kind the mapping has: whatever the
// check accepts parses, in each statement it runs in, as one SELECT of the export's table alone,
// with no subquery or table function anywhere (DuckDB's own parse); and no verdict ever holds the
// text of the file outside the data.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../lib/data/database.ts';
import { checkSnippet, type SnippetKind } from '../../lib/data/sql-snippet.ts';

const TOKEN = 'SNIPPET-SECRET-7731';
let root: string;
let secret: string;
let db: Database;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pulse-snippet-fuzz-'));
  secret = join(root, 'secret.txt');
  await writeFile(secret, `${TOKEN}\n`);
  db = await Database.open({ threads: 1 });
  await db.runOwn("CREATE TEMP TABLE rel AS SELECT 1 AS __rec, '1' AS a, 'x' AS b");
});
afterAll(async () => {
  db.close();
  await rm(root, { recursive: true, force: true });
});

/** A small seeded generator, so a failure names an input that can be run again. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
}

function pieces(file: string): string[] {
  const read = `read_text('${file}')`;
  return [
    'a',
    'b',
    '1',
    "'x'",
    "'--'",
    "'/*'",
    '"a"',
    'sum(a::INT)',
    'any_value(b)',
    'true',
    ')',
    '(',
    ' AND ',
    ' OR ',
    ' = ',
    '--',
    '/*',
    '*/',
    '\n',
    ' ',
    "'",
    '"',
    ';',
    ',',
    ' AS x',
    ' HAVING ',
    ' ORDER BY ',
    ' LIMIT ',
    ' QUALIFY ',
    ' WHERE ',
    ' FROM ',
    ' UNION SELECT ',
    ' GROUP BY ALL ',
    ' WINDOW w AS ()',
    read,
    `(SELECT content FROM ${read})`,
    `(SELECT content::INT FROM ${read})`,
    `EXISTS (FROM ${read})`,
    `${read}.content`,
  ];
}

/** An attack's shape: an expression, a closing parenthesis, a clause holding a read, a comment. */
function shaped(pick: <T>(items: readonly T[]) => T, file: string): string {
  const read = `read_text('${file}')`;
  return [
    pick(['a', 'true', "'x'", 'sum(a::INT)', '1', 'b = ']),
    pick([')', '))', '', ') AS y']),
    pick([
      ' HAVING ',
      ' ORDER BY ',
      ' LIMIT ',
      ' QUALIFY ',
      ' WHERE ',
      ' AND ',
      ' OR ',
      ', ',
      ' GROUP BY ALL HAVING ',
      ' FROM ',
      ' UNION SELECT ',
      ' ',
    ]),
    pick([
      `(SELECT content::INT FROM ${read})`,
      `(FROM ${read})`,
      read,
      `EXISTS (FROM ${read})`,
      'a',
      `${read}.content`,
    ]),
    pick([' > 0', ' = 1', '', '::INT']),
    pick([' AND (true', ' AS x', '', ' (', ' AND (']),
    pick([' --', '--\n', ' /*', ';', '', "'", ' -- x', ' --)']),
  ].join('');
}

// The statements the check runs a snippet in (lib/data/sql-snippet.ts), as it builds them.
function probes(sql: string, kind: SnippetKind): string[] {
  if (kind === 'condition') return [`SELECT 1 FROM "rel" WHERE (${sql}) LIMIT 0`];
  if (typeof kind === 'object') return [`SELECT "a", (${sql}) FROM "rel" GROUP BY "a" LIMIT 0`];
  return [`SELECT __rec, (${sql}) FROM "rel" LIMIT 0`];
}

/** What a parse tree reads: base tables, table functions and subqueries, anywhere. */
function reads(node: unknown, into: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) reads(item, into);
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.type === 'BASE_TABLE') into.push(`table ${String(record.table_name)}`);
    if (record.type === 'TABLE_FUNCTION') into.push('table function');
    if (record.class === 'SUBQUERY') into.push('subquery');
    for (const value of Object.values(record)) reads(value, into);
  }
  return into;
}

describe("a mapping's SQL, on generated snippets", () => {
  it('is accepted only where every statement it runs in reads the export table alone, and never shows the file', async () => {
    const pick = generator(20261206);
    const parts = pieces(secret);
    const kinds: SnippetKind[] = ['value', 'condition', { groupBy: ['a'] }];
    let accepted = 0;
    const tried = 10_000;
    for (let i = 0; i < tried; i++) {
      const length = pick([1, 2, 3, 4, 5, 6, 7, 8]);
      const snippet = i % 2 === 0 ? shaped(pick, secret) : Array.from({ length }, () => pick(parts)).join('');
      const kind = pick(kinds);
      const verdict = await checkSnippet(db, snippet, 'rel', ['a', 'b'], 'deals.csv', kind);
      expect(verdict ?? '', JSON.stringify(snippet)).not.toContain(TOKEN);
      if (verdict !== undefined) continue;
      accepted += 1;
      for (const probe of probes(snippet, kind)) {
        const parsed = await db.syntaxTrees(probe);
        if ('error' in parsed)
          throw new Error(`accepted ${JSON.stringify(snippet)}, which does not parse in ${probe}`);
        expect(parsed.trees, JSON.stringify(snippet)).toHaveLength(1);
        expect(reads(parsed.trees), JSON.stringify(snippet)).toEqual(['table rel']);
      }
    }
    // Enough of them were accepted for the property to say something.
    expect(accepted).toBeGreaterThan(100);
  }, 120_000);
});
