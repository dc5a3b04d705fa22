import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLKIT_ROOT } from '../../lib/paths.ts';
import { FIXTURES, openFixture, TEST_NOW } from '../helpers.ts';

// DuckDB spills to `.tmp` in the working directory unless told otherwise, and the lockdown's
// `enable_external_access = false` adds that folder to the allowed ones: SQL could read what
// other runs spilled or left there. Each dataset spills to a private folder instead.
let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'crm-pulse-spill-'));
  await mkdir(join(cwd, '.tmp'));
  await writeFile(join(cwd, '.tmp', 'other-run.tmp'), 'spilled rows of another run');
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe("DuckDB's spill folder", () => {
  it('is a private folder of the dataset, removed when it closes', async () => {
    const dataset = await openFixture('ops');
    const [row] = await dataset.db.rows("SELECT current_setting('temp_directory') AS dir");
    const dir = String(row?.dir);
    try {
      expect(dirname(dir)).toBe(tmpdir());
      expect(basename(dir)).toMatch(/^pulse-spill-/);
      expect(existsSync(dir)).toBe(true);
    } finally {
      dataset.close();
    }
    expect(existsSync(dir)).toBe(false);
  });

  it("keeps the working directory's .tmp out of reach of SQL", async () => {
    const run = promisify(execFile)(
      process.execPath,
      [
        `${TOOLKIT_ROOT}/bin/pulse.js`,
        'query',
        "select content from read_text('.tmp/*')",
        '--data',
        `${FIXTURES}/ops`,
      ],
      { cwd, env: { ...process.env, PULSE_NOW: TEST_NOW } },
    );
    await expect(run).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/refused: the query tried to use \.tmp\/\*, outside the data folder/),
      stdout: expect.not.stringContaining('spilled rows'),
    });
  });
});
