import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../lib/kpi/period.ts';
import { SAMPLE_DATA_DIR } from '../../lib/paths.ts';
import { type ReportRun, runReport } from '../../lib/report/run-report.ts';
import { type WrittenReport, writeReportOutputs } from '../../lib/report/write-outputs.ts';
import monthly from '../../reports/monthly.ts';
import { TEST_NOW } from '../helpers.ts';

const NBSP = '\u00a0';

// The monthly report of the sample in euros, German digits: every number of every output follows.
describe('a report in EUR and de-DE', () => {
  let run: ReportRun;
  let written: WrittenReport;
  let out: string;
  const files: Record<string, string> = {};
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'pulse-locale-'));
    run = await runReport(monthly, {
      dataDir: SAMPLE_DATA_DIR,
      timeZone: 'UTC',
      now: TEST_NOW,
      period: parsePeriod('2026-10'),
      format: { currency: 'EUR', locale: 'de-DE' },
    });
    written = await writeReportOutputs(run, { outRoot: out });
    for (const name of ['index.html', 'email.html', 'email.txt', 'kpis.csv']) {
      files[name] = await readFile(join(written.dir, name), 'utf8');
    }
  }, 90_000);
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('shows no dollar anywhere: page, charts, e-mail, text part', () => {
    const page = (files['index.html'] ?? '').replace(/<style>[\s\S]*?<\/style>/, '');
    const svgs = page.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs.length).toBeGreaterThan(20);
    for (const svg of svgs) expect(svg).not.toContain('$');
    expect(page).not.toContain('$');
    expect(files['email.html']).not.toContain('$');
    expect(files['email.txt']).not.toContain('$');
    for (const change of run.document.changes) expect(change.chart?.alt ?? '').not.toContain('$');
    // kpis.csv holds exact numbers; no header names a currency.
    expect(files['kpis.csv']?.split('\n')[0]).not.toMatch(/USD|EUR|\$|€/);
  });

  it('writes amounts in euros with German separators, in tiles, sentences and axes', () => {
    const revenue = `9.037.352${NBSP}€`;
    expect(files['index.html']).toContain(`<p class="tile-value">${revenue}</p>`);
    expect(files['email.html']).toContain(revenue);
    expect(files['email.txt']).toContain(`- Revenue ${revenue}, −8,4 % vs Sep`);
    expect(files['email.txt']).toContain('- Close rate 26,4 %');
    expect(run.document.summary).toMatch(/^Revenue was 9,0\sMio\.\s€ in October 2026, 8,4 % below September/);
    // Axis ticks come from Vega's d3 locale: "10M €", "0,5 %".
    expect(files['index.html']).toMatch(/>10M\u00a0€<\/text>/);
    expect(files['index.html']).toMatch(/>\d+(,\d+)?\u00a0%<\/text>/);
    expect(run.document.format).toEqual({ currency: 'EUR', locale: 'de-DE' });
  });

  it('says how to reproduce it in the same currency and locale', () => {
    expect(run.document.reproduce).toBe(
      'PULSE_CURRENCY=EUR PULSE_LOCALE=de-DE npx pulse report monthly --period 2026-10',
    );
  });
});
