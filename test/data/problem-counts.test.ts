// What `pulse check` ends with: rows for row problems, one for a problem of a whole column.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCount, formatProblemCounts, type Problem, rowNouns } from '../../lib/data/problems.ts';
import { pulse } from '../support/cli.ts';

const folders: string[] = [];
afterAll(() => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));

const problem = (rule: Problem['rule'], severity: Problem['severity'], count: number): Problem => ({
  severity,
  rule,
  table: 'opportunities',
  file: 'deals.csv',
  expected: '',
  count,
  examples: [],
});

describe('the problem counts', () => {
  it('count a missing or mistyped column once, and rows for row problems', () => {
    expect(
      formatProblemCounts([
        problem('missing_column', 'error', 7043),
        problem('wrong_type', 'error', 7043),
        problem('required_null', 'error', 3),
        problem('mapping', 'error', 0),
        problem('foreign_key', 'warning', 12),
        problem('missing_column', 'warning', 7043),
      ]),
    ).toBe('6 errors, 13 warnings');
  });

  it('say what a count of a grouped table counts, one row of each contract table named as one', () => {
    expect(formatCount({ count: 12, counted: rowNouns('orders') })).toBe('12 orders');
    expect(formatCount({ count: 1, counted: rowNouns('opportunities') })).toBe('1 opportunity');
    expect(
      ['campaign_touches', 'expenses', 'surveys', 'opportunity_stages'].map((t) => rowNouns(t)[0]),
    ).toEqual(['campaign_touch', 'expense', 'survey', 'opportunity_stage']);
    expect(formatCount({ count: 1 })).toBe('1 row');
  });

  it('pulse check on an export without a required column says 1 error, not one per row', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-problem-counts-'));
    folders.push(dir);
    const rows = Array.from({ length: 40 }, (_, i) => `D${i},2026-10-01,2026-10-02,100`);
    await writeFile(
      join(dir, 'opportunities.csv'),
      ['opportunity_id,created_at,closed_at,amount', ...rows].join('\n'),
    );
    const run = await pulse(['check', '--data', dir], { PULSE_CACHE: 'off' });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/error opportunities, column status: .*missing/);
    expect(run.stdout).toMatch(/^1 error, \d+ warnings?/m);
    // A whole column has no rows for --all to list.
    expect(run.stdout).not.toContain('--all lists every row');
  });
});

describe('a required value missing on some rows', () => {
  it('offers the mapping `where` that leaves such rows out on purpose; on every row, a rename', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-required-hint-'));
    folders.push(dir);
    const won = Array.from({ length: 20 }, (_, i) => `D${i},10/01/2026,2026-10-02,won,100`);
    await writeFile(
      join(dir, 'deals.csv'),
      ['Deal,Engaged,closed_at,status,amount', ...won, 'P1,,,open,', 'P2,,,open,'].join('\n'),
    );
    const mapping = join(dir, 'mapping.json');
    await writeFile(
      mapping,
      JSON.stringify({
        tables: {
          opportunities: {
            files: 'deals.csv',
            rename: { Deal: 'opportunity_id', Engaged: 'created_at' },
            dates: { created_at: '%m/%d/%Y' },
          },
        },
      }),
    );
    const some = await pulse(['check', '--data', dir, '--mapping', mapping], { PULSE_CACHE: 'off' });
    expect(some.stdout).toContain(
      `fix: fill Engaged in the export, or, if rows without it are not for the KPIs (not started yet, test rows), leave them out on purpose: add "where": "trim(\\"Engaged\\"::VARCHAR) <> ''" under tables.opportunities in ${mapping}`,
    );
    // The `where` it offers does what it says: the rows are left out, nothing is rejected.
    const withWhere = JSON.parse(
      JSON.stringify({
        tables: {
          opportunities: {
            files: 'deals.csv',
            rename: { Deal: 'opportunity_id', Engaged: 'created_at' },
            dates: { created_at: '%m/%d/%Y' },
            where: `trim("Engaged"::VARCHAR) <> ''`,
          },
        },
      }),
    );
    await writeFile(mapping, JSON.stringify(withWhere));
    const fixed = await pulse(['check', '--data', dir, '--mapping', mapping], { PULSE_CACHE: 'off' });
    expect(fixed.code, fixed.stdout).toBe(0);
    expect(fixed.stdout).toMatch(/^0 errors/m);

    // Blank on every row: the column is the wrong one (the mapping without the where again).
    delete withWhere.tables.opportunities.where;
    await writeFile(mapping, JSON.stringify(withWhere));
    const blank = Array.from({ length: 20 }, (_, i) => `D${i},,2026-10-02,won,100`);
    await writeFile(join(dir, 'deals.csv'), ['Deal,Engaged,closed_at,status,amount', ...blank].join('\n'));
    const all = await pulse(['check', '--data', dir, '--mapping', mapping], { PULSE_CACHE: 'off' });
    expect(all.stdout).toContain(
      `fix: Engaged is blank on every row: if another column holds created_at, add "rename": {"<that column>": "created_at"} under tables.opportunities in ${mapping}`,
    );
  });
});

describe('a column of the wrong type', () => {
  it('is one error, not also "blank on every row", and gets no fix that cannot help', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-wrong-type-'));
    folders.push(dir);
    const products = ['GTX Pro', 'MG Advanced', 'GTX Basic', 'MG Special'];
    const rows = Array.from({ length: 12 }, (_, i) => `D${i},2026-10-01,,open,${products[i % 4]}`);
    await writeFile(join(dir, 'deals.csv'), ['id,created,closed,status,product', ...rows].join('\n'));
    const mapping = join(dir, 'mapping.json');
    await writeFile(
      mapping,
      JSON.stringify({
        tables: {
          opportunities: {
            files: 'deals.csv',
            rename: { id: 'opportunity_id', created: 'created_at', closed: 'closed_at', product: 'amount' },
          },
        },
      }),
    );
    const run = await pulse(['check', '--data', dir, '--mapping', mapping], { PULSE_CACHE: 'off' });
    expect(run.stdout).toMatch(/error opportunities, column amount: /);
    expect(run.stdout).not.toMatch(/warning opportunities, column amount: .*blank/);
    expect(run.stdout).not.toContain('regexp_replace');
    expect(run.stdout).toMatch(/^1 error, 0 warnings/m);
  });
});

describe('a deal whose status and closed_at disagree', () => {
  it('is a warning: an open deal with a closed_at, a won or lost one without, each with its fix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-status-dates-'));
    folders.push(dir);
    await writeFile(
      join(dir, 'opportunities.csv'),
      [
        'opportunity_id,created_at,closed_at,status,amount',
        'D1,2026-10-01,2026-10-02,won,10',
        'D2,2026-10-01,,won,5',
        'D3,2026-10-01,2026-11-01,open,7',
        'D4,2026-10-01,,open,7',
        'D5,2026-10-01,  ,lost,',
      ].join('\n'),
    );
    const run = await pulse(['check', '--data', dir], { PULSE_CACHE: 'off' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /warning opportunities, column closed_at: open deal has a closed_at: 1 row .*opportunities\.csv 4 \("open 2026-11-01"\)/,
    );
    expect(run.stdout).toContain('"derive": {"closed_at":"CASE WHEN <the status test for open> THEN NULL');
    expect(run.stdout).toMatch(
      /warning opportunities, column closed_at: won or lost deal has no closed_at: 2 rows .*opportunities\.csv 3 \("won"\), 6 \("lost"\)/,
    );
    expect(run.stdout).toMatch(/^0 errors, 3 warnings/m);
  });
});

describe('an export that zeroes the amount of lost deals', () => {
  const deals = (lost: (i: number) => string, won: (i: number) => string) => [
    'opportunity_id,created_at,closed_at,status,close_value',
    ...Array.from({ length: 12 }, (_, i) => `L${i},2026-10-01,2026-10-09,lost,${lost(i)}`),
    ...Array.from({ length: 10 }, (_, i) => `W${i},2026-10-01,2026-10-09,won,${won(i)}`),
    'O1,2026-10-01,,open,',
  ];
  const check = async (lines: string[]) => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-lost-zero-'));
    folders.push(dir);
    await writeFile(join(dir, 'opportunities.csv'), lines.join('\n'));
    await writeFile(
      join(dir, 'mapping.json'),
      JSON.stringify({
        tables: { opportunities: { files: 'opportunities.csv', rename: { close_value: 'amount' } } },
      }),
    );
    return pulse(['check', '--data', dir, '--mapping', join(dir, 'mapping.json')], { PULSE_CACHE: 'off' });
  };

  it('is warned of when nearly every lost deal is at 0 and the won ones are not, with the mapping that blanks them', async () => {
    const run = await check(
      deals(
        () => '0',
        (i) => String(100 + i),
      ),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /warning opportunities, column amount: the export zeroes the amount of lost deals: 12 rows .*opportunities\.csv 2 \("lost 0.00"\)/,
    );
    expect(run.stdout).toContain(
      '"derive": {"amount":"CASE WHEN <the status test for lost> THEN NULL ELSE \\"close_value\\" END"}',
    );
  });

  it('is not, when lost deals carry amounts, or when won deals are at 0 as often (free trials)', async () => {
    const carried = await check(
      deals(
        (i) => (i === 0 ? '0' : String(50 + i)),
        (i) => String(100 + i),
      ),
    );
    expect(carried.code).toBe(0);
    expect(carried.stdout).not.toContain('zeroes the amount');
    const free = await check(
      deals(
        () => '0',
        (i) => (i < 5 ? '0' : String(100 + i)),
      ),
    );
    expect(free.code).toBe(0);
    expect(free.stdout).not.toContain('zeroes the amount');
  });
});
