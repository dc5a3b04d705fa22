import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listReports } from '../../lib/report/load-report.ts';
import { isReportName } from '../../lib/report/report-name.ts';

const names = async (dir?: string) =>
  (await listReports(dir ? [{ dir, origin: 'project' }] : undefined)).map((r) => r.name);

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

describe('listReports', () => {
  it('lists the .ts files with a report name, sorted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-report-names-'));
    for (const file of ['weekly.ts', 'monthly.ts', 'Draft.ts', 'notes.md', 'two words.ts', 'x.d.ts']) {
      await writeFile(join(dir, file), '');
    }
    await mkdir(join(dir, 'cells'));
    expect(await names(dir)).toEqual(['monthly', 'weekly']);
  });

  it('finds none in a folder that is not there', async () => {
    expect(await names(join(tmpdir(), 'pulse-no-such-folder', 'reports'))).toEqual([]);
  });

  it('reads the built-in reports/ by default', async () => {
    expect(await names()).toEqual(expect.arrayContaining(['monthly', 'weekly']));
  });
});
