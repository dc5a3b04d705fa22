import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../../lib/kpi/period.ts';
import { renderReportHtml } from '../../lib/render/report-html.ts';
import { defineReport } from '../../lib/report/define.ts';
import { runReport } from '../../lib/report/run-report.ts';
import { staleExportNote } from '../../lib/report/stale-export.ts';

describe('a report of an export behind the clock', () => {
  it('says how far behind, and which latest period is missing', () => {
    // Made on 2 January 2018 from an export that ends 11 December: the week of 4 December.
    expect(staleExportNote('2017-12-11', parsePeriod('2017-W49'), '2018-01-02T08:00:00Z', 'UTC')).toBe(
      'the export ends 2017-12-11, 22 days before this report: week of 2017-12-25, the latest complete week, is not in it',
    );
    expect(staleExportNote('2017-12-31', parsePeriod('2016-12'), '2026-12-05T12:00:00Z', 'UTC')).toBe(
      'the export ends 2017-12-31, about 8 years before this report: November 2026, the latest complete month, is not in it',
    );
    expect(staleExportNote('2026-06-30', parsePeriod('2026-06'), '2026-12-05T12:00:00Z', 'UTC')).toMatch(
      /^the export ends 2026-06-30, about 5 months before/,
    );
  });

  it('is silent when the export covers the latest complete period, or the report is of it', () => {
    expect(
      staleExportNote('2026-10-31', parsePeriod('2026-10'), '2026-11-02T08:00:00Z', 'UTC'),
    ).toBeUndefined();
    // Older month, but the export is current: an old period asked on purpose is no stale export.
    expect(
      staleExportNote('2026-11-01', parsePeriod('2025-03'), '2026-11-02T08:00:00Z', 'UTC'),
    ).toBeUndefined();
    // The latest month, covered in part: its partial banner says so.
    expect(
      staleExportNote('2026-10-15', parsePeriod('2026-10'), '2026-11-02T08:00:00Z', 'UTC'),
    ).toBeUndefined();
    expect(staleExportNote(null, parsePeriod('2026-10'), '2026-11-02T08:00:00Z', 'UTC')).toBeUndefined();
  });

  it("counts the days in the report's time zone", () => {
    // 1 November 02:00 in Auckland is still 31 October in UTC: October is complete there only.
    const at = '2026-10-31T13:00:00Z';
    expect(staleExportNote('2026-09-30', parsePeriod('2026-09'), at, 'Pacific/Auckland')).toMatch(
      /October 2026, the latest complete month, is not in it$/,
    );
    expect(staleExportNote('2026-09-30', parsePeriod('2026-09'), at, 'UTC')).toBeUndefined();
  });

  it('counts from the day the header says the report was generated', async () => {
    // 30 November 23:30 UTC is 1 December 12:30 in Auckland: the note counts 31 days to
    // 1 December, so the header must say 1 December too, not 30 November UTC.
    const dir = await mkdtemp(join(tmpdir(), 'pulse-stale-header-'));
    try {
      const rows = ['opportunity_id,created_at,closed_at,status,amount'];
      for (let day = 1; day <= 31; day++)
        rows.push(`O${day},2026-09-01,2026-10-${String(day).padStart(2, '0')}T01:00:00,won,100`);
      await writeFile(join(dir, 'opportunities.csv'), `${rows.join('\n')}\n`);
      const report = defineReport({
        name: 'tiny',
        title: 'Tiny report',
        grain: 'month',
        build: async (r) => r.headline(await r.kpis(['close_rate'])),
      });
      const run = await runReport(report, {
        dataDir: dir,
        timeZone: 'Pacific/Auckland',
        now: '2026-11-30T23:30:00Z',
        period: parsePeriod('2026-10'),
      });
      expect(run.document.staleExport).toBe(
        'the export ends 2026-10-31, 31 days before this report: November 2026, the latest complete month, is not in it',
      );
      const html = await renderReportHtml(run.document, { grain: 'month' });
      expect(html).toContain('generated 2026-12-01 12:30 Pacific/Auckland · times in Pacific/Auckland');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
