import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReportRun, runReport } from '../../lib/report/run-report.ts';
import { type WrittenReport, writeReportOutputs } from '../../lib/report/write-outputs.ts';
import monthly from '../../reports/monthly.ts';
import { TEST_NOW } from '../helpers.ts';
import { smallCompany } from './report-data.ts';

// The monthly report of a small generated company, October 2026, rendered once for all tests.
describe('monthly report', () => {
  let run: ReportRun;
  let written: WrittenReport;
  let out: string;
  let dataDir: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'pulse-out-'));
    dataDir = await smallCompany();
    run = await runReport(monthly, { dataDir, timeZone: 'UTC', now: TEST_NOW });
    written = await writeReportOutputs(run, { outRoot: out });
  }, 60_000);
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('covers the last complete month and says so', () => {
    expect(run.document.periodLabel).toBe('October 2026');
    expect(run.periodNote).toMatch(/last complete month in the data \(data as of 2026-10-31\)/);
    expect(written.dir).toBe(join(out, 'monthly', '2026-10'));
  });

  it('fills every section with real numbers', () => {
    const sections = run.document.blocks.filter((b) => b.kind === 'section').map((b) => b.title);
    expect(sections).toEqual([
      'What changed and why',
      'Sales',
      'Marketing',
      'Customers',
      'Service and satisfaction',
      'CRM adoption and data quality',
    ]);
    expect(run.document.headline.map((s) => s.kpi.id)).toEqual([
      'revenue',
      'close_rate',
      'open_pipeline',
      'cac',
      'churn_rate',
      'nrr',
      'nps',
      'csat',
    ]);
    for (const tile of run.document.headline) {
      expect(tile.available && tile.current?.value, tile.kpi.id).toEqual(expect.any(Number));
    }
    expect(run.document.summary).toMatch(/^Revenue was \$[\d.,]+[KM]? in October 2026/);
    expect(run.document.changes.length).toBeGreaterThan(0);
  });

  it('writes every output, with every number shown in kpis.csv and kpis.json', async () => {
    expect(written.files).toEqual(
      expect.arrayContaining(['index.html', 'email.html', 'email.txt', 'kpis.csv', 'kpis.json']),
    );
    const json = JSON.parse(await readFile(join(written.dir, 'kpis.json'), 'utf8')) as {
      id: string;
      period_start: string;
    }[];
    const ids = new Set(json.map((r) => r.id));
    for (const id of ['revenue', 'close_rate', 'stage_funnel', 'campaign_pnl', 'cohort_retention', 'nps'])
      expect(ids).toContain(id);
    const csv = (await readFile(join(written.dir, 'kpis.csv'), 'utf8')).trim().split('\n');
    expect(csv.length).toBe(json.length + 1);
  });

  it('keeps the e-mail body small, table-based and with images that exist', async () => {
    const html = await readFile(join(written.dir, 'email.html'), 'utf8');
    expect(Buffer.byteLength(html)).toBeLessThan(100_000);
    expect(html).not.toMatch(/<svg|<script|display:\s*(flex|grid)/i);
    for (const match of html.matchAll(
      /<img src="charts\/([^"]+)" width="(\d+)" height="(\d+)" alt="([^"]+)"/g,
    )) {
      expect(written.files).toContain(`charts/${match[1]}`);
      expect(match[4]?.length).toBeGreaterThan(10);
    }
    const text = await readFile(join(written.dir, 'email.txt'), 'utf8');
    expect(text).toMatch(/^CRM monthly report: October 2026\n/);
  });

  it('matches the golden HTML (regenerate on purpose with `npx vitest run test/report -u`)', async () => {
    const html = await readFile(join(written.dir, 'index.html'), 'utf8');
    // The Reproduce line names the data folder, a temporary one here.
    await expect(goldenView(html).replaceAll(dataDir, 'DATA')).toMatchFileSnapshot(
      'golden/monthly-index.html',
    );
    const email = await readFile(join(written.dir, 'email.html'), 'utf8');
    await expect(email.replaceAll(dataDir, 'DATA')).toMatchFileSnapshot('golden/monthly-email.html');
  });
});

/** The report without its embedded fonts and chart drawings: text, numbers and structure. */
function goldenView(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/, '<style>/* report.css and fonts */</style>')
    .replace(/<svg[\s\S]*?<\/svg>/g, '<svg><!-- drawn chart --></svg>');
}
