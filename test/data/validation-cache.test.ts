import { cp, mkdtemp, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Dataset, type OpenDatasetOptions, openDataset } from '../../lib/data/dataset.ts';
import { cacheDir } from '../../lib/data/validation-cache.ts';
import { FIXTURES, TEST_NOW } from '../helpers.ts';

async function copyFixture(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `pulse-cache-${name}-`));
  await cp(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

/** What a run can see of the checks: problems, rejected rows, and the rows the KPIs read. */
async function observed(dataset: Dataset) {
  const counts: Record<string, unknown> = {};
  for (const t of dataset.tables) {
    counts[t.table] = (await dataset.db.rows(`SELECT count(*)::INTEGER AS n FROM "${t.table}"`))[0]?.n;
  }
  return { problems: dataset.problems, rejects: dataset.rejects, tables: dataset.tables, counts };
}

async function openTwice(options: OpenDatasetOptions) {
  const runs = [];
  for (let i = 0; i < 2; i++) {
    const dataset = await openDataset(options);
    try {
      runs.push({ validation: dataset.validation, seen: await observed(dataset) });
    } finally {
      dataset.close();
    }
  }
  return runs;
}

describe('kept validation results', () => {
  it('are used for the same files and give what a fresh check gives, rejected rows included', async () => {
    const dataDir = await copyFixture('sales');
    // Rows the checks reject: an unreadable amount, a repeated key.
    const orders = join(dataDir, 'orders.csv');
    const text = await readFile(orders, 'utf8');
    const lines = text.trimEnd().split('\n');
    await writeFile(orders, `${[...lines, 'R900,C1,2026-10-07T10:00:00Z,crm,12x,1', lines[1]].join('\n')}\n`);
    const cache = await mkdtemp(join(tmpdir(), 'pulse-cache-'));
    const options = { dataDir, now: TEST_NOW, threads: 1, allowRejects: true, cacheDir: cache };
    const [first, second] = await openTwice(options);
    expect(first?.validation).toBe('miss');
    expect(second?.validation).toBe('hit');
    expect(second?.seen).toEqual(first?.seen);
    expect(first?.seen.rejects.rows).toBeGreaterThan(0);
    // And what no cache at all gives.
    const [fresh] = await openTwice({ ...options, cacheDir: null });
    expect(fresh?.validation).toBe('off');
    expect(fresh?.seen).toEqual(first?.seen);
  });

  it('are not used once a file changes, even keeping its size and time', async () => {
    const dataDir = await copyFixture('sales');
    const cache = await mkdtemp(join(tmpdir(), 'pulse-cache-'));
    const options = { dataDir, now: TEST_NOW, threads: 1, allowRejects: true, cacheDir: cache };
    const [before] = await openTwice(options);
    const file = join(dataDir, 'orders.csv');
    const text = await readFile(file, 'utf8');
    // Same length, a blank amount instead of a digit: a different file, a different result.
    const changed = text.replace(
      /,(\d+(?:\.\d+)?)\n/,
      (_m, amount: string) => `,${'x'.repeat(amount.length)}\n`,
    );
    expect(changed.length).toBe(text.length);
    await writeFile(file, changed);
    const [after, again] = await openTwice(options);
    expect(after?.validation).toBe('miss');
    expect(again?.validation).toBe('hit');
    expect(after?.seen.problems).not.toEqual(before?.seen.problems);
    expect(after?.seen.problems.some((p) => p.rule === 'unparsable' && p.table === 'orders')).toBe(true);
    // Restoring the time does not bring the old result back either: the content moved the mtime once.
    const when = new Date('2026-01-01T00:00:00Z');
    await utimes(file, when, when);
    const [touched] = await openTwice(options);
    expect(touched?.validation).toBe('miss');
  });

  it('are never kept when rows are dated after the clock, nor used when the clock goes back', async () => {
    const dataDir = await copyFixture('sales');
    const cache = await mkdtemp(join(tmpdir(), 'pulse-cache-'));
    const base = { dataDir, threads: 1, allowRejects: true, cacheDir: cache };
    await openTwice({ ...base, now: TEST_NOW });
    // A clock before the data's last day: its rows are "in the future" now; checked afresh.
    const [early] = await openTwice({ ...base, now: '2026-01-15T00:00:00Z' });
    expect(early?.validation).toBe('miss');
    expect(early?.seen.problems.some((p) => p.rule === 'future_date')).toBe(true);
    const [late] = await openTwice({ ...base, now: TEST_NOW });
    expect(late?.validation).toBe('hit');
    expect(late?.seen.problems.some((p) => p.rule === 'future_date')).toBe(false);
  });

  it('recover from a damaged entry, and can be turned off', async () => {
    const dataDir = await copyFixture('sales');
    const cache = await mkdtemp(join(tmpdir(), 'pulse-cache-'));
    const options = { dataDir, now: TEST_NOW, threads: 1, allowRejects: true, cacheDir: cache };
    await openTwice(options);
    for (const name of await readdir(cache)) await writeFile(join(cache, name), '{"problems": [');
    const [damaged, next] = await openTwice(options);
    expect(damaged?.validation).toBe('miss');
    expect(next?.validation).toBe('hit');
    expect(cacheDir(undefined, { PULSE_CACHE: 'off', PULSE_CACHE_DIR: cache })).toBeNull();
    expect(cacheDir(undefined, { PULSE_CACHE_DIR: cache })).toBe(cache);
    expect(cacheDir(undefined, { PULSE_STATE_DIR: '/var/lib/pulse' })).toBe(
      '/var/lib/pulse/cache/validation',
    );
  });
});
