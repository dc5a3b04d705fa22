import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDataset } from '../../lib/data/dataset.ts';
import { parseMemoryLimit, parseThreads } from '../../lib/data/engine-limits.ts';
import { FIXTURES, TEST_NOW } from '../helpers.ts';
import { pulse } from '../support/cli.ts';

// DuckDB's memory and threads come from PULSE_DUCKDB_MEMORY and PULSE_DUCKDB_THREADS, are set
// before the connection is locked, and no query can change them afterwards.
const SETTINGS = "SELECT current_setting('memory_limit') AS memory, current_setting('threads') AS threads";
const LIMITS = { PULSE_DUCKDB_MEMORY: '1GB', PULSE_DUCKDB_THREADS: '3' };
const ops = `${FIXTURES}/ops`;

afterEach(() => vi.unstubAllEnvs());

describe('PULSE_DUCKDB_MEMORY and PULSE_DUCKDB_THREADS', () => {
  it('are in effect for `pulse query`, and SET cannot change them afterwards', async () => {
    const run = await pulse(['query', SETTINGS, '--data', ops, '--format', 'json'], LIMITS);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    // DuckDB shows 1 GB (10^9 bytes) in binary units.
    expect(JSON.parse(run.stdout)).toEqual([{ memory: '953.6 MiB', threads: 3 }]);
    for (const sql of ["SET memory_limit = '64GB'", 'SET threads = 16', 'RESET memory_limit']) {
      const refused = await pulse(['query', sql, '--data', ops], LIMITS);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^pulse: refused: settings cannot be changed from a query/);
    }
  });

  it('also bound a dataset opened without them, as reports, sends and schedules open theirs', async () => {
    vi.stubEnv('PULSE_DUCKDB_MEMORY', '512MiB');
    vi.stubEnv('PULSE_DUCKDB_THREADS', '1');
    const dataset = await openDataset({ dataDir: ops, now: TEST_NOW });
    try {
      expect(await dataset.db.rows(SETTINGS)).toEqual([{ memory: '512.0 MiB', threads: 1 }]);
    } finally {
      dataset.close();
    }
  });

  it('refuse a bad value before anything runs, saying what is expected', async () => {
    const memory = await pulse(['query', 'SELECT 1', '--data', ops], { PULSE_DUCKDB_MEMORY: '4' });
    expect(memory).toMatchObject({
      code: 2,
      stderr:
        'pulse: PULSE_DUCKDB_MEMORY "4" is not a memory size; expected a number with a unit (KB, MB, GB, TB, or KiB, MiB, GiB, TiB) or a share of this machine\'s memory from 1% to 100%, e.g. PULSE_DUCKDB_MEMORY=4GB or PULSE_DUCKDB_MEMORY=50%\n',
    });
    const threads = await pulse(['kpi', 'close_rate', '--data', ops], { PULSE_DUCKDB_THREADS: 'all' });
    expect(threads).toMatchObject({
      code: 2,
      stderr:
        'pulse: PULSE_DUCKDB_THREADS "all" is not a thread count; expected a whole number from 1 to 1024, e.g. PULSE_DUCKDB_THREADS=2\n',
    });
  });

  it('read sizes in either unit system and shares of the machine', () => {
    expect(parseMemoryLimit('4GB', 'M')).toBe('4GB');
    expect(parseMemoryLimit('512 mib', 'M')).toBe('512MiB');
    expect(parseMemoryLimit('1.5gb', 'M')).toBe('1.5GB');
    expect(parseMemoryLimit('50%', 'M', 8 * 2 ** 30)).toBe('4096MiB');
    expect(parseMemoryLimit('100%', 'M', 2 ** 30)).toBe('1024MiB');
    for (const bad of ['0GB', '0%', '150%', '4', 'GB', '-1GB', '4 gigs', '4PB', '1e3MB'])
      expect(() => parseMemoryLimit(bad, 'M'), bad).toThrow(/is not a memory size/);
    expect(parseThreads('8', 'T')).toBe(8);
    for (const bad of ['0', '-1', '1.5', '1025', 'x', ''])
      expect(() => parseThreads(bad, 'T'), bad).toThrow(/is not a thread count/);
  });
});
