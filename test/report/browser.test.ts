import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLKIT_ROOT } from '../../lib/paths.ts';
import { CHROMIUM_ARGS, CHROMIUM_INSTALL, findChromium, writePdf } from '../../lib/render/pdf.ts';
import { runReport } from '../../lib/report/run-report.ts';
import { type WrittenReport, writeReportOutputs } from '../../lib/report/write-outputs.ts';
import monthly from '../../reports/monthly.ts';
import { TEST_NOW } from '../helpers.ts';
import { smallCompany } from './report-data.ts';

// What a person sees, in Debian's Chromium. CI installs it (.ci/run) and must run these; on a
// machine without it they are skipped with the command that installs it.
const executable = (() => {
  try {
    return findChromium();
  } catch {
    return undefined;
  }
})();
const required = Boolean(process.env.CI);
if (!executable && !required)
  console.warn(`browser tests skipped: Chromium is missing. Install it with: ${CHROMIUM_INSTALL}`);
const ARTIFACTS = join(TOOLKIT_ROOT, 'out', 'test-artifacts');

describe.skipIf(!executable && !required)('the monthly report in a real browser', () => {
  let browser: Browser;
  let written: WrittenReport;
  let out: string;
  beforeAll(async () => {
    // In CI a missing Chromium fails here, with the install command in the message.
    const path = findChromium();
    out = await mkdtemp(join(tmpdir(), 'pulse-browser-'));
    const run = await runReport(monthly, { dataDir: await smallCompany(), timeZone: 'UTC', now: TEST_NOW });
    written = await writeReportOutputs(run, { outRoot: out });
    browser = await chromium.launch({ executablePath: path, args: CHROMIUM_ARGS });
    await mkdir(ARTIFACTS, { recursive: true });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await rm(out, { recursive: true, force: true });
  });

  it('opens index.html from disk with no console error, no network request, every chart drawn', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => {
      if (!/^(file|data):/.test(request.url())) requests.push(request.url());
    });
    await page.goto(pathToFileURL(join(written.dir, 'index.html')).href, { waitUntil: 'load' });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    const charts = await page.$$eval('.chart-svg svg, .sparkline svg', (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        return { width: box.width, height: box.height, texts: svg.querySelectorAll('text').length };
      }),
    );
    expect(charts.length).toBeGreaterThan(20);
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(50);
      expect(chart.height).toBeGreaterThan(20);
    }
    // Every drawn chart (not the sparklines) carries text: titles and labels did not vanish.
    const withText = charts.filter((c) => c.texts > 0).length;
    expect(withText).toBeGreaterThan(15);
    const headings = await page.$$eval('h1, h2', (hs) => hs.map((h) => h.textContent?.trim()));
    expect(headings).toContain('October 2026');
    await page.screenshot({ path: join(ARTIFACTS, 'monthly-index.png'), fullPage: true });
    await page.close();
  });

  it('shows the e-mail body at 640 px with its chart images loaded', async () => {
    const page = await browser.newPage({ viewport: { width: 640, height: 900 } });
    await page.goto(pathToFileURL(join(written.dir, 'email.html')).href, { waitUntil: 'load' });
    const images = await page.$$eval('img', (imgs) =>
      imgs.map((img) => ({ loaded: img.naturalWidth > 0, alt: img.alt })),
    );
    for (const image of images)
      expect(image).toMatchObject({ loaded: true, alt: expect.stringMatching(/\w{5,}/) });
    const width = await page.$eval('html', (html) => html.scrollWidth);
    expect(width).toBeLessThanOrEqual(640);
    await page.screenshot({ path: join(ARTIFACTS, 'monthly-email.png'), fullPage: true });
    await page.close();
  });

  it('prints to PDF', async () => {
    const pdf = join(written.dir, 'report.pdf');
    await writePdf(join(written.dir, 'index.html'), pdf, findChromium());
    const bytes = await readFile(pdf);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(50_000);
  });
});
