import { expect, it } from 'vitest';
import { checkReportRun } from '../../lib/deliver/render-report.ts';
import type { ReportRun } from '../../lib/report/run-report.ts';

function runWithRejects(rows: number, total: number): ReportRun {
  return {
    grain: 'month',
    numbers: [],
    timings: [],
    document: {
      name: 'monthly',
      title: 'CRM monthly report',
      periodLabel: 'October 2026',
      periodStart: '2026-10-01',
      periodEnd: '2026-11-01',
      timeZone: 'UTC',
      dataAsOf: '2026-10-31',
      generatedAt: '2026-11-01T07:00:00Z',
      summary: undefined,
      headline: [],
      changes: [],
      blocks: [],
      kpiIds: [],
      freshness: [],
      reproduce: '',
      dataQuality: { rejected: { rows, total, share: rows / total, tables: [] } },
    },
  } as unknown as ReportRun;
}

it('refuses to send numbers from an export with more rejected rows than allowed', () => {
  // 6 of 100 rows rejected: above the default 5 %; 3 of 100 is below it.
  expect(checkReportRun(runWithRejects(6, 100)).join('\n')).toMatch(
    /6 rows rejected .*more than the 5 % allowed for sending/,
  );
  expect(checkReportRun(runWithRejects(3, 100)).join('\n')).not.toMatch(/rejected/);
  expect(checkReportRun(runWithRejects(3, 100), 0.02).join('\n')).toMatch(/more than the 2 % allowed/);
});
