import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isReportName, readReportNames } from '../../lib/report/report-name.ts';

describe('isReportName', () => {
  it('takes lower-case letters, digits, - and _, 1 to 64 of them', () => {
    for (const name of ['monthly', 'board-q4', 'sales_2026', 'a', 'x'.repeat(64)]) {
      expect(isReportName(name)).toBe(true);
    }
    for (const name of ['', 'Monthly', 'a b', '../etc', 'a/b', 'monthly.ts', 'x'.repeat(65), 'é']) {
      expect(isReportName(name)).toBe(false);
    }
  });
});

describe('readReportNames', () => {
  it('lists the .ts files with a report name, sorted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-report-names-'));
    for (const file of ['weekly.ts', 'monthly.ts', 'Draft.ts', 'notes.md', 'two words.ts', 'x.d.ts']) {
      await writeFile(join(dir, file), '');
    }
    await mkdir(join(dir, 'cells'));
    expect(await readReportNames(dir)).toEqual(['monthly', 'weekly']);
  });

  it('finds none in a folder that is not there', async () => {
    expect(await readReportNames(join(tmpdir(), 'pulse-no-such-folder', 'reports'))).toEqual([]);
  });

  it("reads the project's reports/ by default", async () => {
    expect(await readReportNames()).toEqual(expect.arrayContaining(['monthly', 'weekly']));
  });
});
