// KPIs computed without rejected rows (--allow-rejects): the banner names those of the headline,
// and those reading a table that lost a material share (5 % or more) are not compared with
// earlier periods, since the rejects alone could make the move.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../lib/kpi/period.ts';
import { renderReportHtml } from '../../lib/render/report-html.ts';
import { explainChanges } from '../../lib/report/cells/what-changed.ts';
import { defineReport } from '../../lib/report/define.ts';
import { type ReportRun, runReport } from '../../lib/report/run-report.ts';
import { TEST_NOW } from '../helpers.ts';

const report = defineReport({
  name: 'tiny',
  title: 'Tiny report',
  grain: 'month',
  build: async (r) => {
    r.headline(await r.kpis(['close_rate', 'won_revenue']));
    await r.section('What changed and why', async () => {
      await explainChanges(r, [{ id: 'close_rate' }], { minimumZ: 0 });
    });
  },
});

/** 20 deals closed in each of July to October 2026, then `blank` won deals without an amount. */
async function exportWith(dir: string, blank: number): Promise<string> {
  const data = join(dir, `blank-${blank}`);
  await mkdir(data);
  const rows = ['opportunity_id,created_at,closed_at,status,amount'];
  let id = 0;
  for (const month of ['07', '08', '09', '10']) {
    // Close rate 40 % to 70 %: a move worth explaining in October.
    const won = { '07': 8, '08': 9, '09': 8, '10': 14 }[month] ?? 0;
    for (let i = 0; i < 20; i++) {
      const status = i < won ? 'won' : 'lost';
      // The last deal closes on the month's last day, so October is whole.
      const day = i === 19 ? (month === '09' ? 30 : 31) : i + 1;
      rows.push(
        `O${++id},2026-06-01,2026-${month}-${String(day).padStart(2, '0')},${status},${i * 100 + 100}`,
      );
    }
  }
  // Spread over the months, as the table's share says (bunched rejects: reject-refusal.test.ts).
  for (let i = 0; i < blank; i++)
    rows.push(`O${++id},2026-06-01,2026-${['07', '08', '09', '10'][i % 4]}-25,won,`);
  await writeFile(join(data, 'opportunities.csv'), `${rows.join('\n')}\n`);
  return data;
}

let dir: string;
const runs: Record<string, ReportRun> = {};
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-rejected-kpis-'));
  for (const blank of [2, 8]) {
    runs[blank] = await runReport(report, {
      dataDir: await exportWith(dir, blank),
      allowRejects: true,
      timeZone: 'UTC',
      now: TEST_NOW,
      period: parsePeriod('2026-10'),
    });
  }
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('KPIs computed without rejected rows', () => {
  it('withholds the comparisons of KPIs reading a table that lost 5 % or more, and says why', async () => {
    const run = runs[8] as ReportRun;
    // 8 of 88 deals: 9.1 %.
    const close = run.document.headline.find((s) => s.kpi.id === 'close_rate');
    expect(close?.available && close.current).toMatchObject({
      change: null,
      yoy_change: null,
      comparison_note: 'rows rejected',
      rejected_note: 'without the 9.1 % of opportunities rejected',
    });
    expect(run.document.rejectedRows?.banner).toBe(
      '8 rows rejected (9.1 % of opportunities): 8 won deals without an amount (opportunities.amount). Close rate and Won revenue are computed without them and not compared with earlier periods. pulse check lists every rejected row.',
    );
    const html = await renderReportHtml(run.document, { grain: 'month' });
    expect(html).toContain('without the 9.1 % of opportunities rejected');
    expect(html).toContain('n/a (rows rejected)');
    // "What changed" does not explain a move the rejects may have made, nor says nothing moved.
    expect(html).toContain('Not compared: Close rate is computed without rows rejected for data errors.');
    expect(html).not.toContain('Close rate rose');
  });

  it('names the KPIs computed without fewer rejects, and still compares them', async () => {
    const run = runs[2] as ReportRun;
    const close = run.document.headline.find((s) => s.kpi.id === 'close_rate');
    expect(close?.available && close.current?.change).not.toBeNull();
    expect(close?.available && close.current).not.toHaveProperty('rejected_note');
    expect(run.document.rejectedRows?.banner).toContain(
      '(opportunities.amount). Close rate and Won revenue are computed without them. pulse check',
    );
  });
});
