// The toolkit as a user gets it: `npm pack`, the tarball installed into an empty folder,
// `pulse init`, then the project's own KPI, report, an overridden built-in KPI and the config's
// currency and locale, each through the real `npx` commands the README gives. Slow (an npm
// install from the local cache), so it runs once, in its own file.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLKIT_ROOT } from '../../lib/paths.ts';
import { TEST_NOW } from '../helpers.ts';

const run = promisify(execFile);

const DEALS_WON = `-- title: Deals won
-- description: Deals marked won in the period.
-- unit: count
-- direction: up
-- needs: opportunities.status, opportunities.closed_at
SELECT p.period_start, p.period_end, count(o.opportunity_id) AS value
FROM periods($start, $end, $grain) p
LEFT JOIN opportunities o
  ON o.closed_at >= p.period_start AND o.closed_at < p.period_end AND o.status = 'won'
GROUP BY ALL
`;

const OWN_REPORT = `import { defineReport, runIfMain } from 'crm-pulse';

const report = defineReport({
  name: 'deals',
  title: 'Deals',
  grain: 'month',
  async build(r) {
    r.tiles(await r.kpis(['deals_won', 'won_revenue']));
  },
});
export default report;
await runIfMain(import.meta.url, report);
`;

describe('the packed toolkit in a project of its own', () => {
  let root: string;
  let project: string;
  const env = { ...process.env, PULSE_NOW: TEST_NOW, NO_COLOR: '1' };
  const npx = async (...args: string[]) => {
    const { stdout, stderr } = await run('npx', args, { cwd: project, env, timeout: 120_000 });
    return { stdout, stderr };
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pulse-package-'));
    project = join(root, 'my-crm');
    await mkdir(project);
    const packed = await run('npm', ['pack', '--json', '--pack-destination', root], {
      cwd: TOOLKIT_ROOT,
      timeout: 120_000,
    });
    const [tarball] = JSON.parse(packed.stdout) as { filename: string }[];
    if (!tarball) throw new Error(`npm pack wrote no tarball: ${packed.stdout}`);
    // As `npm init -y` leaves it: CommonJS; pulse init must turn on ES modules.
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'my-crm', type: 'commonjs' }));
    // The packages are in npm's cache after `npm ci`; nothing else is fetched when it is warm.
    await run(
      'npm',
      ['install', join(root, tarball.filename), '--prefer-offline', '--no-audit', '--no-fund'],
      {
        cwd: project,
        timeout: 300_000,
      },
    );
  }, 420_000);
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('installs the pulse command with the built-in KPIs, reports and sample data', async () => {
    const { stdout } = await npx('pulse', 'list');
    expect(stdout).toMatch(/64 KPIs/);
    const { stdout: kpi } = await npx('pulse', 'kpi', 'close_rate', '--period', '2026-10');
    expect(kpi).toMatch(/2026-10\s+26\.4 %/);
  }, 60_000);

  it('pulse init makes a project where every README command works', async () => {
    const init = await npx('pulse', 'init', '.');
    expect(init.stdout).toMatch(/"type" set to "module" \(was "commonjs"\)/);
    const manifest = JSON.parse(await readFile(join(project, 'package.json'), 'utf8'));
    expect(manifest.type).toBe('module');
    expect(manifest.dependencies['crm-pulse']).toMatch(/crm-pulse-0\.1\.0\.tgz$/);

    await npx('pulse', 'report', 'overview');
    const overview = await readFile(join(project, 'out', 'overview', '2026-10', 'index.html'), 'utf8');
    expect(overview).toContain('CRM overview');
    await npx('tsx', 'reports/overview.ts', '--period', '2026-09');
    await readFile(join(project, 'out', 'overview', '2026-09', 'index.html'), 'utf8');
    await npx('pulse', 'report', 'monthly');
    await readFile(join(project, 'out', 'monthly', '2026-10', 'index.html'), 'utf8');
    const send = await npx('pulse', 'send', 'overview-monthly', '--dry-run');
    expect(`${send.stdout}${send.stderr}`).toMatch(/ceo@example\.com/);
  }, 240_000);

  it("the project's KPI, report and override join the built-in ones; the config sets € and German digits", async () => {
    await mkdir(join(project, 'queries', 'sales'), { recursive: true });
    await writeFile(join(project, 'queries', 'sales', 'deals_won.sql'), DEALS_WON);
    await writeFile(join(project, 'reports', 'deals.ts'), OWN_REPORT);
    await npx('pulse', 'copy', 'kpi', 'won_revenue');
    const file = join(project, 'queries', 'sales', 'won_revenue.sql');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/^-- title: .*$/m, '-- title: Bookings'));
    const config = JSON.parse(await readFile(join(project, 'pulse.config.json'), 'utf8'));
    await writeFile(
      join(project, 'pulse.config.json'),
      JSON.stringify({ ...config, currency: 'EUR', locale: 'de-DE', company: 'Acme GmbH' }),
    );

    const list = await npx('pulse', 'list');
    expect(list.stdout).toMatch(/deals_won\s+Deals won .*project/);
    expect(list.stdout).toMatch(
      /won_revenue\s+Bookings .*project \(replaces built-in queries\/sales\/won_revenue\.sql\)/,
    );
    expect(list.stdout).toMatch(/65 KPIs \(2 from this project, 1 replacing a built-in\)/);

    const kpi = await npx('pulse', 'kpi', 'won_revenue', '--period', '2026-10');
    expect(kpi.stdout).toMatch(/2026-10\s+[\d.]+(,\d+)?\s€/);

    await npx('tsx', 'reports/deals.ts', '--period', '2026-10');
    const html = await readFile(join(project, 'out', 'deals', '2026-10', 'index.html'), 'utf8');
    expect(html).toContain('Acme GmbH · Deals');
    expect(html).toContain('Bookings');
    expect(html).toContain('Deals won');
    expect(html).toMatch(/\d\.\d{3}/); // German thousands separator
  }, 240_000);

  it('pulse dev serves the project report', async () => {
    const child = spawn('npx', ['pulse', 'dev', 'overview', '--port', '0'], {
      cwd: project,
      env,
      detached: true,
    });
    try {
      const url = await firstUrl(child);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('overview');
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    }
  }, 120_000);
});

/** The URL `pulse dev` prints once it listens. */
function firstUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`pulse dev printed no URL:\n${output}`)), 90_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /pulse dev: (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`pulse dev exited (${code}):\n${output}`)));
  });
}
