import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, openDataset } from '../../lib/data/dataset.ts';
import { formatProblem, type Problem } from '../../lib/data/problems.ts';
import { FIXTURES, openFixture, TEST_NOW } from '../helpers.ts';

// test/fixtures/contract-errors holds one of each contract violation (see the CSV lines).
describe('contract validation', () => {
  let dataset: Dataset;
  const file = `${FIXTURES}/contract-errors/opportunities.csv`;
  const find = (rule: string, column?: string): Problem => {
    const found = dataset.problems.find(
      (p) => p.rule === rule && (column === undefined || p.column === column),
    );
    if (!found) throw new Error(`no ${rule} problem on ${column}`);
    return found;
  };
  const lines = (problem: Problem) => problem.examples.map((e) => [e.loc, e.value]);

  beforeAll(async () => {
    dataset = await openFixture('contract-errors');
  });
  afterAll(() => dataset.close());

  it('reports a line with too many fields with its line number and text', () => {
    const problem = find('malformed_line');
    expect(problem).toMatchObject({ severity: 'error', table: 'opportunities', file });
    expect(lines(problem)).toEqual([[10, 'O9,C3,U1,10,2026-10-03,,open,extra']]);
  });

  it('reports a NULL in a required column', () => {
    expect(lines(find('required_null', 'opportunity_id'))).toEqual([[6, null]]);
  });

  it('reports unparsable amounts and dates with the value and the expected format', () => {
    const amount = find('unparsable', 'amount');
    expect(lines(amount)).toEqual([[4, '$1200']]);
    expect(amount.expected).toMatch(/plain decimal/);
    expect(lines(find('unparsable', 'created_at'))).toEqual([[7, '31/10/2026']]);
  });

  it('reports unknown enum values, hinting at lower case', () => {
    const status = find('unknown_value', 'status');
    expect(lines(status)).toEqual([
      [7, 'Won'],
      [8, 'wonn'],
    ]);
    expect(status.expected).toBe('one of open, won, lost');
    expect(status.hint).toMatch(/lower case/);
  });

  it('keeps the first row of a duplicate primary key and lists each repeat with the line of the first', () => {
    expect(lines(find('duplicate_key'))).toEqual([[5, 'O3 (first at line 4)']]);
  });

  it('refuses a won deal without an amount', () => {
    expect(lines(find('won_without_amount'))).toEqual([[3, null]]);
  });

  it('checks survey scores against the range of their kind', () => {
    expect(lines(find('out_of_range', 'score'))).toEqual([
      [2, 'nps 11'],
      [3, 'csat 0'],
    ]);
  });

  it('warns (not errors) on dangling keys, future dates, negative amounts and closed before created', () => {
    expect(find('foreign_key', 'owner_id')).toMatchObject({ severity: 'warning', count: 1 });
    expect(lines(find('foreign_key', 'owner_id'))).toEqual([[4, 'U9']]);
    expect(find('future_date', 'created_at')).toMatchObject({ severity: 'warning', count: 1 });
    expect(find('negative_amount', 'amount')).toMatchObject({ severity: 'warning', count: 1 });
    expect(lines(find('ends_before_start', 'closed_at'))).toEqual([[5, '2026-10-01 → 2026-09-07']]);
  });

  it('keeps every row: nothing is dropped while loading', () => {
    // 9 data lines, one malformed: 8 rows read and all problems point at real lines.
    expect(dataset.tables.find((t) => t.table === 'opportunities')).toMatchObject({
      records: 9,
      rows: 8,
      rejected: 7,
      loaded: 2,
    });
  });

  it('leaves the rejected rows out of the tables the KPIs read', async () => {
    expect(await dataset.db.rows('SELECT opportunity_id FROM opportunities ORDER BY 1')).toEqual([
      { opportunity_id: 'O1' },
      { opportunity_id: 'O8' },
    ]);
    expect(dataset.rejects).toMatchObject({ rows: 9, total: 14 });
  });

  it('says where, what, and what was expected, in one line per row', () => {
    expect(formatProblem(find('unknown_value', 'status'), 20)).toEqual([
      `error ${file} line 7, column status: "Won", expected one of open, won, lost`,
      `error ${file} line 8, column status: "wonn", expected one of open, won, lost`,
      '  fix: values are lower case without spaces: "Won" is won',
    ]);
  });
});

describe('missing required columns', () => {
  it('names the file, the expected column, the columns found, and the rename that fixes it', async () => {
    const dataset = await openFixture('no-required');
    try {
      const problem = dataset.problems.find((p) => p.column === 'customer_id');
      expect(problem).toMatchObject({ severity: 'error', rule: 'unknown_column_case', table: 'orders' });
      expect(problem?.expected).toContain('found: order_id, Customer ID, ordered_at');
      expect(problem?.hint).toBe(
        'rename the column "Customer ID" to "customer_id" in the file, or map it with --mapping FILE, a JSON file with {"tables": {"orders": {"files": "orders.csv", "rename": {"Customer ID": "customer_id"}}}} (see mappings/README.md)',
      );
      expect(dataset.problems.find((p) => p.column === 'amount')).toMatchObject({ rule: 'missing_column' });
    } finally {
      dataset.close();
    }
  });
});

// The shared pass counts distinct key hashes over every row; blank keys (errors of their own)
// must neither hide a repeat nor be reported as one.
describe('keys and references among blank ones', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pulse-keys-'));
    const customers = (ids: string[]) =>
      `customer_id,acquired_at\n${ids.map((id, i) => `${id},2025-01-${String(i + 1).padStart(2, '0')}`).join('\n')}\n`;
    await mkdir(join(dir, 'blanks'));
    await writeFile(
      join(dir, 'blanks', 'customers.csv'),
      customers(['C1', '', '"  "', 'C2', '', '"  "', 'C3']),
    );
    // A reference of spaces is blank, not a missing user; U9 is missing.
    await mkdir(join(dir, 'references'));
    await writeFile(join(dir, 'references', 'users.csv'), 'user_id,name\nU1,Ann\n');
    await writeFile(
      join(dir, 'references', 'customers.csv'),
      'customer_id,acquired_at,owner_id\nC1,2025-01-01,U1\nC2,2025-01-02,"  "\nC3,2025-01-03,\nC4,2025-01-04,U9\n',
    );
    await mkdir(join(dir, 'repeat'));
    await writeFile(join(dir, 'repeat', 'customers.csv'), customers(['C1', '', 'C2', '', 'C1', '"  "']));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const problems = async (name: string) => {
    const dataset = await openDataset({
      dataDir: join(dir, name),
      now: TEST_NOW,
      threads: 1,
      cacheDir: null,
      allowRejects: true,
    });
    try {
      return dataset.problems.map((p) => [p.rule, p.examples.map((e) => [e.loc, e.value])]);
    } finally {
      await dataset.close();
    }
  };

  it('are blank, not repeated', async () => {
    expect(await problems('blanks')).toEqual([
      [
        'required_null',
        [
          [3, null],
          [4, '  '],
          [6, null],
          [7, '  '],
        ],
      ],
    ]);
  });

  it('of another table: a blank one is no missing reference', async () => {
    expect(await problems('references')).toEqual([['foreign_key', [[5, 'U9']]]]);
    await writeFile(
      join(dir, 'references', 'customers.csv'),
      'customer_id,acquired_at,owner_id\nC1,2025-01-01,U1\nC2,2025-01-02,"  "\n',
    );
    expect(await problems('references')).toEqual([]);
  });

  it('still show a repeat of a present key', async () => {
    const found = await problems('repeat');
    expect(found).toContainEqual(['duplicate_key', [[6, 'C1 (first at line 2)']]]);
    expect(found.map(([rule]) => rule).sort()).toEqual(['duplicate_key', 'required_null']);
  });
});
