// What `pulse check` ends with: rows for row problems, one for a problem of a whole column.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblemCounts, type Problem } from '../../lib/data/problems.ts';
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
  });
});
