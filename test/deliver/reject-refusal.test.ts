// Sending judges rejects as the report says them: per table the report reads, not as a share of
// every row of the export, so 9 % of the deals is not hidden by a large table no KPI here reads,
// and a table the report never reads does not stop it.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkReportRun } from '../../lib/deliver/render-report.ts';
import { parsePeriod } from '../../lib/kpi/period.ts';
import { defineReport } from '../../lib/report/define.ts';
import { type ReportRun, runReport } from '../../lib/report/run-report.ts';
import { TEST_NOW } from '../helpers.ts';

const report = defineReport({
  name: 'tiny',
  title: 'Tiny report',
  grain: 'month',
  build: async (r) => r.headline(await r.kpis(['close_rate'])),
});

/**
 * 80 deals closed July to October 2026, then `blank` won deals without an amount (rejected),
 * spread over the four months or, `bunched`, all closed in October.
 */
function deals(blank: number, bunched = false): string {
  const rows = ['opportunity_id,created_at,closed_at,status,amount'];
  let id = 0;
  for (const month of ['07', '08', '09', '10'])
    for (let i = 0; i < 20; i++) {
      const day = i === 19 ? (month === '09' ? 30 : 31) : i + 1;
      rows.push(
        `O${++id},2026-06-01,2026-${month}-${String(day).padStart(2, '0')},${i % 2 ? 'won' : 'lost'},100`,
      );
    }
  for (let i = 0; i < blank; i++)
    rows.push(`O${++id},2026-06-01,2026-${bunched ? '10' : ['07', '08', '09', '10'][i % 4]}-25,won,`);
  return `${rows.join('\n')}\n`;
}

/** `count` leads, the first `bad` with a status the contract does not know (rejected). */
function leads(count: number, bad: number): string {
  const rows = ['lead_id,created_at,status'];
  for (let i = 1; i <= count; i++) rows.push(`L${i},2026-09-01,${i <= bad ? 'Hot' : 'open'}`);
  return `${rows.join('\n')}\n`;
}

let dir: string;
async function run(name: string, files: Record<string, string>): Promise<ReportRun> {
  const data = join(dir, name);
  await mkdir(data);
  for (const [file, text] of Object.entries(files)) await writeFile(join(data, file), text);
  return runReport(report, {
    dataDir: data,
    allowRejects: true,
    timeZone: 'UTC',
    now: TEST_NOW,
    period: parsePeriod('2026-10'),
  });
}

let diluted: ReportRun;
let unread: ReportRun;
let few: ReportRun;
let bunched: ReportRun;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-reject-refusal-'));
  // 8 of 88 deals (9.1 %), beside 2,000 clean leads: 0.38 % of every row together.
  diluted = await run('diluted', { 'opportunities.csv': deals(8), 'leads.csv': leads(2000, 0) });
  // Half the leads rejected, but the report reads only the deals, which are clean.
  unread = await run('unread', { 'opportunities.csv': deals(0), 'leads.csv': leads(100, 50) });
  // 3 of 83 deals (3.6 %): under the default 5 %.
  few = await run('few', { 'opportunities.csv': deals(3) });
  // The same 3, all closed in October: 3 of October's 23 deals.
  bunched = await run('bunched', { 'opportunities.csv': deals(3, true) });
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('refuses to send when a table the report reads lost more than the limit, however large the rest', () => {
  expect(diluted.document.rejectedRows?.label).toBe('8 rows rejected (9.1 % of opportunities)');
  expect(checkReportRun(diluted)).toEqual([
    'tiny, October 2026: opportunities lost 9.1 % of its rows (8 of 88) to data errors, more than the 5 % a table the report reads may lose for it to be sent; fix the export (`pulse check` lists every rejected row) or raise PULSE_MAX_SEND_REJECT_SHARE',
  ]);
  expect(checkReportRun(diluted, 0.1)).toEqual([]);
});

it('sends a report whose tables kept their rows, whatever a table it does not read lost', () => {
  expect(unread.rejectedTables).toEqual([]);
  expect(checkReportRun(unread)).toEqual([]);
});

it('sends below the limit and refuses above a lower one', () => {
  expect(checkReportRun(few)).toEqual([]);
  expect(checkReportRun(few, 0.02).join('\n')).toMatch(
    /opportunities lost 3\.6 % of its rows \(3 of 83\) to data errors, more than the 2 % /,
  );
});

it("refuses when the report's own period lost more than the limit, however few the table lost", () => {
  expect(checkReportRun(bunched)).toEqual([
    'tiny, October 2026: opportunities in October 2026 lost 13 % of its rows (3 of 23) to data errors, more than the 5 % a table the report reads may lose for it to be sent; fix the export (`pulse check` lists every rejected row) or raise PULSE_MAX_SEND_REJECT_SHARE',
  ]);
  // Its close rate is kept, with the share it was computed without, and compared with nothing.
  const [tile] = bunched.document.headline;
  expect(tile?.available && tile.current).toMatchObject({
    change: null,
    comparison_note: 'rows rejected',
    rejected_note: 'without the 13 % of opportunities in October 2026 rejected',
  });
});
