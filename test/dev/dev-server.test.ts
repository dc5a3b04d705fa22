import { cp, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDevRoots } from '../../lib/dev/dev-roots.ts';
import { type DevServer, startDevServer } from '../../lib/dev/dev-server.ts';
import type { PreviewStatus } from '../../lib/dev/preview-session.ts';
import { formatKpiValue } from '../../lib/format/values.ts';
import { TOOLKIT_ROOT } from '../../lib/paths.ts';
import { CHROMIUM_ARGS, CHROMIUM_INSTALL, findChromium } from '../../lib/render/pdf.ts';
import { generateSample } from '../../tools/generate-sample.ts';
import { TEST_NOW } from '../helpers.ts';

// `pulse dev` on a temporary copy of the project (queries/, reports/, templates/ and a small
// generated data folder), so the tests can edit files. Browser tests run in Debian's Chromium:
// CI must run them; on a machine without it they are skipped with the command that installs it.
const executable = (() => {
  try {
    return findChromium();
  } catch {
    return undefined;
  }
})();
const required = Boolean(process.env.CI);
if (!executable && !required)
  console.warn(`dev server browser tests skipped: Chromium is missing. Install it with: ${CHROMIUM_INSTALL}`);

const NEW_CUSTOMERS = 'queries/customers/new_customers.sql';
// A re-run takes about a second on the sample; a busy CI machine gets room.
const RUN_TIMEOUT = 20_000;

let project: string;
let server: DevServer;
let original: string;

/** Resolves with the first status after now that is not running and passes `test`. */
function nextStatus(test: (status: PreviewStatus) => boolean = () => true): Promise<PreviewStatus> {
  return new Promise((resolve) => {
    const off = server.session.subscribe((status) => {
      if (!status.running && test(status)) {
        off();
        resolve(status);
      }
    });
  });
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(path, server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'pulse-dev-'));
  for (const folder of ['queries', 'reports', 'templates'])
    await cp(join(TOOLKIT_ROOT, folder), join(project, folder), { recursive: true });
  // The copied reports import ../lib/...; Node resolves the link to the project's own modules.
  await symlink(join(TOOLKIT_ROOT, 'lib'), join(project, 'lib'));
  await writeFile(join(project, 'package.json'), '{ "type": "module" }\n');
  await generateSample({ seed: 7, outDir: join(project, 'data'), customers: 300 });
  original = await readFile(join(project, NEW_CUSTOMERS), 'utf8');
  server = await startDevServer({
    roots: buildDevRoots(project, join(project, 'data')),
    report: 'monthly',
    port: 0,
    clock: () => TEST_NOW,
  });
  await server.session.idle();
  const { problem } = server.session.status();
  if (problem) throw new Error(`the first preview run failed: ${JSON.stringify(problem, null, 2)}`);
}, 90_000);

afterAll(async () => {
  await server?.close();
  await rm(project, { recursive: true, force: true });
});

describe('pulse dev: the server and its JSON API', () => {
  it('serves on 127.0.0.1 and has rendered the report', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const status = (await (await fetch(new URL('/api/status', server.url))).json()) as PreviewStatus;
    expect(status).toMatchObject({ version: 1, running: false, report: 'monthly', period: '2026-10' });
    expect(status.reports).toEqual(['monthly', 'quarterly', 'weekly']);
    expect(status.periods).toHaveLength(24);
    expect(status.periods[0]).toEqual({ value: '2026-10', label: 'October 2026' });
    expect(status.problem).toBeUndefined();
    const page = await (await fetch(server.url)).text();
    expect(page).toContain('<h1>October 2026</h1>');
    expect(page).toContain('id="pulse-dev-config"');
  });

  it('runs SQL for the scratchpad: first 200 rows, the count, the time and a chart', async () => {
    const { status, json } = await post('/api/query', {
      sql: 'SELECT opportunity_id, amount FROM opportunities ORDER BY opportunity_id',
    });
    expect(status).toBe(200);
    expect((json.rows as unknown[]).length).toBe(200);
    expect(json.rowCount).toBeGreaterThan(200);
    expect(json.ms).toBeGreaterThan(0);
    const chart = await post('/api/query', {
      sql: 'SELECT segment, count(*) AS customers FROM customers GROUP BY ALL ORDER BY 1',
    });
    expect(chart.json.chart).toMatchObject({ svg: expect.stringMatching(/^<svg/), alt: expect.any(String) });
    const bad = await post('/api/query', { sql: 'SELECT nope FROM customers' });
    expect(bad).toMatchObject({ status: 400, json: { error: expect.stringContaining('"nope" not found') } });
  });

  it('runs a KPI with its params and breakdown over the 12 periods up to the preview', async () => {
    const { status, json } = await post('/api/kpi', { id: 'new_customers', by: 'segment' });
    expect(status).toBe(200);
    const rows = json.rows as { period_start: string; segment: string }[];
    expect(new Set(rows.map((r) => r.period_start)).size).toBe(12);
    expect(rows.at(-1)?.period_start).toBe('2026-10-01');
    expect(rows.some((r) => r.segment)).toBe(true);
  });

  it('lists reports and KPIs, and opens a KPI in the scratchpad with its SQL', async () => {
    const index = await (await fetch(new URL('/index', server.url))).text();
    expect(index).toContain('<a href="/?report=weekly">weekly</a>');
    expect(index).toContain('<a href="/sql?kpi=close_rate"><code>close_rate</code></a>');
    expect(index).toContain('<code>queries/sales/close_rate.sql</code>');
    const sql = await (await fetch(new URL('/sql?kpi=close_rate', server.url))).text();
    expect(sql).toContain('<option value="close_rate" selected>close_rate: Close rate</option>');
    expect(sql).toContain('FILTER (o.status = &#39;won&#39;)');
  });

  it('saves a query as a new KPI file, and the preview picks it up', async () => {
    const rerun = nextStatus((s) => s.timing?.reason.includes('won_deals') ?? false);
    const saved = await post('/api/kpis', {
      area: 'pipeline',
      id: 'won_deals',
      title: 'Won deals',
      unit: 'count',
      direction: 'up',
      sql: "SELECT p.period_start, p.period_end, count(o.opportunity_id) AS value\nFROM periods($start, $end, $grain) p\nLEFT JOIN opportunities o ON o.closed_at >= p.period_start AND o.closed_at < p.period_end AND o.status = 'won'\nGROUP BY ALL",
    });
    expect(saved).toEqual({ status: 201, json: { file: 'queries/pipeline/won_deals.sql' } });
    expect(await readFile(join(project, 'queries/pipeline/won_deals.sql'), 'utf8')).toMatch(
      /^-- title: Won deals\n/,
    );
    expect((await rerun).problem).toBeUndefined();
    const again = await post('/api/kpis', {
      area: 'pipeline',
      id: 'won_deals',
      title: 'x',
      unit: 'count',
      direction: 'up',
      sql: 'SELECT 1',
    });
    expect(again).toMatchObject({
      status: 400,
      json: { error: expect.stringContaining('won_deals is taken') },
    });
  }, 90_000);

  it("names the file saved, not the editor's temp file renamed over it (sed -i)", async () => {
    const target = join(project, 'queries/pipeline/won_deals.sql');
    const temp = join(project, 'queries/pipeline/sedLWPzsY');
    const rerun = nextStatus((s) => s.timing?.reason.includes('won_deals') ?? false);
    await writeFile(temp, `${await readFile(target, 'utf8')}\n-- edited\n`);
    await rename(temp, target);
    const reason = (await rerun).timing?.reason ?? '';
    expect(reason).toContain('queries/pipeline/won_deals.sql');
    expect(reason).not.toContain('sedLWPzsY');
  }, 90_000);

  it('refuses what a local tool must not accept', async () => {
    expect((await post('/api/query', { sql: 'SELECT 1' }, { origin: 'http://evil.example' })).status).toBe(
      403,
    );
    const text = await fetch(new URL('/api/kpis', server.url), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(text.status).toBe(415);
    expect((await post('/api/query', { sql: 'x'.repeat(300_000) })).status).toBe(413);
    expect((await post('/api/kpis', '{"area": ')).status).toBe(400);
    const invalid = await post('/api/kpis', {
      area: '../etc',
      id: 'X',
      title: 't',
      unit: 'count',
      direction: 'up',
      sql: 's',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error).toMatch(/area "\.\.\/etc" must match/);
    expect((await fetch(new URL('/nowhere', server.url))).status).toBe(404);
  });
});

describe.skipIf(!executable && !required)('pulse dev in a real browser', () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
  });

  const tile = () => page.locator('.tile[aria-label="New customers"] .tile-value').first();

  it('updates the page by itself when a query is saved, shows SQL errors with file and line, and recovers', async () => {
    await page.goto(server.url);
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('October 2026');
    const before = await tile().textContent();

    // A saved KPI file: the page shows the new number without a reload.
    const saved = Date.now();
    await writeFile(
      join(project, NEW_CUSTOMERS),
      original.replace('count(c.customer_id) AS value', 'count(c.customer_id) * 0 + 4242 AS value'),
    );
    const shown = formatKpiValue(4242, 'count');
    await expect.poll(() => tile().textContent(), { timeout: RUN_TIMEOUT }).toBe(shown);
    const latency = Date.now() - saved;
    expect(before).not.toBe(shown);
    const timing = server.session.status().timing;
    console.info(
      `pulse dev: saved .sql → new number in the page in ${latency} ms (run ${timing?.totalMs.toFixed(0)} ms: report ${timing?.reportMs.toFixed(0)}, render ${timing?.renderMs.toFixed(0)}; queries ${timing?.queries.misses} run, ${timing?.queries.hits} reused)`,
    );

    // Broken SQL: the overlay names the file and line; the last good render stays.
    const broken = original.replace('FROM periods', 'FROMM periods');
    const line = broken.split('\n').findIndex((l) => l.includes('FROMM')) + 1;
    await writeFile(join(project, NEW_CUSTOMERS), broken);
    const overlay = page.locator('#overlay');
    await expect.poll(() => overlay.isVisible(), { timeout: RUN_TIMEOUT }).toBe(true);
    expect(await page.locator('#overlay-title').textContent()).toBe('SQL error');
    expect(await page.locator('#overlay-location').textContent()).toBe(`${NEW_CUSTOMERS}:${line}`);
    expect(await page.locator('#overlay-message').textContent()).toMatch(
      /syntax error at or near "periods"|FROMM/,
    );
    expect(await tile().textContent()).toBe(shown);

    // Fixed: the overlay goes and the number is the original one again.
    await writeFile(join(project, NEW_CUSTOMERS), original);
    await expect.poll(() => overlay.isVisible(), { timeout: RUN_TIMEOUT }).toBe(false);
    await expect.poll(() => tile().textContent(), { timeout: RUN_TIMEOUT }).toBe(before);
    expect(errors).toEqual([]);
  }, 90_000);

  it('shows an exception in a report cell with its line, escaped, and switches period from the picker', async () => {
    const file = join(project, 'reports/monthly.ts');
    const script = await readFile(file, 'utf8');
    const cell = "await r.section('Sales', async () => {";
    const line = script.split('\n').findIndex((l) => l.includes(cell)) + 2;
    const failing = nextStatus((s) => s.problem !== undefined);
    await writeFile(
      file,
      script.replace(cell, `${cell}\n      throw new Error('<img src=x onerror=alert(1)> no "stage"');`),
    );
    await failing;
    await expect
      .poll(() => page.locator('#overlay-location').textContent(), { timeout: RUN_TIMEOUT })
      .toBe(`reports/monthly.ts:${line}:13`);
    expect(await page.locator('#overlay-message').textContent()).toBe(
      '<img src=x onerror=alert(1)> no "stage"',
    );
    expect(await page.locator('#overlay img').count()).toBe(0);
    await writeFile(file, script);
    await expect.poll(() => page.locator('#overlay').isVisible(), { timeout: RUN_TIMEOUT }).toBe(false);

    await page.locator('#period').selectOption('2026-09');
    await expect
      .poll(() => page.locator('h1').first().textContent(), { timeout: RUN_TIMEOUT })
      .toBe('September 2026');
    expect(errors).toEqual([]);
  }, 90_000);

  it('runs a query in the scratchpad and shows its rows, count and chart', async () => {
    await page.goto(new URL('/sql', server.url).href);
    await page
      .locator('#sql')
      .fill('SELECT segment, count(*) AS customers\nFROM customers\nGROUP BY ALL\nORDER BY segment');
    await page.locator('#run').click();
    await expect.poll(() => page.locator('#result-table tbody tr').count()).toBeGreaterThan(1);
    const headers = await page.locator('#result-table th').allTextContents();
    expect(headers).toEqual(['segment', 'customers']);
    expect(await page.locator('#result-meta').textContent()).toMatch(/^\d+ rows · [\d.]+ ms$/);
    const width = await page
      .locator('#result-chart img')
      .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth);
    expect(width).toBeGreaterThan(100);
    expect(errors).toEqual([]);
  });

  it("shows a value's marks that reverse a run of text escaped, as the report does", async () => {
    await page.goto(new URL('/sql', server.url).href);
    await page.locator('#sql').fill("SELECT 'Acme' || chr(8238) || 'redrO' AS name");
    await page.locator('#run').click();
    await expect.poll(() => page.locator('#result-table tbody tr').count()).toBe(1);
    expect(await page.locator('#result-table td').first().textContent()).toBe('Acme\\u202eredrO');
    expect(errors).toEqual([]);
  });
});
