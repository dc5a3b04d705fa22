// A project of the user's own beside the toolkit, in-process: `pulse init` writes it, its KPIs
// join the catalog (one replacing a built-in), its reports run by name beside the built-in ones,
// `pulse copy` brings a built-in one over, and the config's company and owner reach the output.
// The packed-and-installed version of this is test/project/package.test.ts.

import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asProjectScript } from '../../lib/cli/commands/copy.ts';
import { TOOLKIT_ROOT } from '../../lib/paths.ts';
import { pulse } from '../support/cli.ts';

const DEALS_WON = `-- title: Deals won (ours)
-- description: Deals marked won in the period.
-- unit: count
-- direction: up
-- needs: opportunities.status, opportunities.closed_at
-- by: channel = o.channel [opportunities.channel]
SELECT p.period_start, p.period_end, {by} AS breakdown, count(o.opportunity_id) AS value
FROM periods($start, $end, $grain) p
LEFT JOIN opportunities o
  ON o.closed_at >= p.period_start AND o.closed_at < p.period_end AND o.status = 'won'
GROUP BY ALL
`;

const OWN_REPORT = `import { defineReport } from 'crm-pulse';
export default defineReport({
  name: 'deals',
  title: 'Deals report',
  grain: 'month',
  async build(r) {
    r.tiles(await r.kpis(['deals_won', 'close_rate']));
  },
});
`;

describe('a project beside the toolkit', () => {
  let root: string;
  let project: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pulse-project-'));
    project = join(root, 'crm');
    // As \`npm install crm-pulse\` would leave it: the package resolves from the project.
    await mkdir(join(root, 'node_modules'));
    await symlink(TOOLKIT_ROOT, join(root, 'node_modules', 'crm-pulse'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('pulse init writes a working project and never overwrites one', async () => {
    const made = await pulse(['init', 'crm'], {}, root);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    for (const file of [
      'pulse.config.json',
      'queries/README.md',
      'reports/overview.ts',
      'schedules.json',
      '.gitignore',
      'README.md',
      'package.json',
    ]) {
      expect(existsSync(join(project, file)), file).toBe(true);
    }
    expect(JSON.parse(await readFile(join(project, 'package.json'), 'utf8')).type).toBe('module');
    const again = await pulse(['init', 'crm'], {}, root);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already has .*pulse\.config\.json.*nothing was written/s);
  });

  it('a project KPI joins the catalog and runs; pulse list says where each comes from', async () => {
    await mkdir(join(project, 'queries', 'sales'), { recursive: true });
    await writeFile(join(project, 'queries', 'sales', 'deals_won.sql'), DEALS_WON);
    const kpi = await pulse(['kpi', 'deals_won', '--period', '2026-10', '--format', 'json'], {}, project);
    expect(kpi.stderr).toBe('');
    expect(kpi.code).toBe(0);
    const [row] = JSON.parse(kpi.stdout) as { id: string; value: number }[];
    expect(row?.id).toBe('deals_won');
    expect(row?.value).toBeGreaterThan(0);
    const list = JSON.parse((await pulse(['list', '--format', 'json'], {}, project)).stdout) as {
      id: string;
      source: string;
    }[];
    expect(list.find((k) => k.id === 'deals_won')?.source).toBe('project');
    expect(list.find((k) => k.id === 'close_rate')?.source).toBe('built-in');
    const table = await pulse(['list'], {}, project);
    expect(table.stdout).toMatch(/deals_won\s+Deals won \(ours\).*project/);
    expect(table.stdout).toMatch(/65 KPIs \(1 from this project\)/);
  });

  it('pulse copy kpi brings a built-in over; the copy replaces it and pulse list says so', async () => {
    const copied = await pulse(['copy', 'kpi', 'close_rate'], {}, project);
    expect(copied.stderr).toBe('');
    expect(copied.stdout).toMatch(
      /copied the built-in queries\/sales\/close_rate\.sql \(crm-pulse\) to queries\/sales\/close_rate\.sql/,
    );
    const file = join(project, 'queries', 'sales', 'close_rate.sql');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/^-- title: .*$/m, '-- title: Win rate (ours)'));
    const list = JSON.parse((await pulse(['list', '--format', 'json'], {}, project)).stdout) as {
      id: string;
      title: string;
      source: string;
    }[];
    const closeRate = list.filter((k) => k.id === 'close_rate');
    expect(closeRate).toHaveLength(1);
    expect(closeRate[0]?.title).toBe('Win rate (ours)');
    expect(closeRate[0]?.source).toBe('project (replaces built-in queries/sales/close_rate.sql)');
    const twice = await pulse(['copy', 'kpi', 'close_rate'], {}, project);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/already exists; nothing was copied/);
  });

  it("the project's report runs by name beside the built-in ones, with the config's company and currency", async () => {
    await writeFile(join(project, 'reports', 'deals.ts'), OWN_REPORT);
    const config = JSON.parse(await readFile(join(project, 'pulse.config.json'), 'utf8'));
    await writeFile(
      join(project, 'pulse.config.json'),
      JSON.stringify({ ...config, company: 'Acme GmbH', currency: 'EUR', locale: 'de-DE' }),
    );
    const run = await pulse(['report', 'deals', '--period', '2026-10', '--format', 'json'], {}, project);
    expect(run.stderr).not.toMatch(/error|failed/i);
    expect(run.code).toBe(0);
    const html = await readFile(join(project, 'out', 'deals', '2026-10', 'index.html'), 'utf8');
    expect(html).toContain('Acme GmbH · Deals report');
    expect(html).toContain('Win rate (ours)');
    expect(html).toContain('Deals won (ours)');
    // German digits and the euro, from the config: 26,4 % rather than 26.4%.
    expect(html).toMatch(/\d+,\d\s%/);
    expect(html).toContain('EUR');
    expect((await pulse(['list'], {}, project)).stdout).toMatch(
      /Reports: deals \(project\), monthly, overview \(project\), quarterly, weekly;/,
    );
    const builtIn = await pulse(['report', 'weekly', '--format', 'json'], {}, project);
    expect(builtIn.code).toBe(0);
    expect(existsSync(join(project, 'out', 'weekly'))).toBe(true);
  }, 60_000);

  it('pulse copy report rewrites the import to the package; pulse copy refuses in the toolkit itself', async () => {
    const copied = await pulse(['copy', 'report', 'weekly'], {}, project);
    expect(copied.code).toBe(0);
    const text = await readFile(join(project, 'reports', 'weekly.ts'), 'utf8');
    expect(text).toContain("from 'crm-pulse'");
    expect(text).not.toMatch(/\.\.\/lib\//);
    // Every built-in report imports only the public entry, so each can be copied.
    for (const name of ['monthly', 'quarterly', 'weekly']) {
      const path = join(TOOLKIT_ROOT, 'reports', `${name}.ts`);
      expect(() => asProjectScript(readFileSync(path, 'utf8'), path), name).not.toThrow();
    }
    const inToolkit = await pulse(['copy', 'kpi', 'close_rate']);
    expect(inToolkit.code).toBe(2);
    expect(inToolkit.stderr).toMatch(/toolkit's own folder/);
  });

  it("the example schedule is paused and takes the config's owner when it names none", async () => {
    const schedules = JSON.parse(await readFile(join(project, 'schedules.json'), 'utf8'));
    delete schedules.schedules[0].owner;
    await writeFile(join(project, 'schedules.json'), JSON.stringify(schedules));
    const config = JSON.parse(await readFile(join(project, 'pulse.config.json'), 'utf8'));
    await writeFile(
      join(project, 'pulse.config.json'),
      JSON.stringify({ ...config, owner: 'Data Team <data@example.com>' }),
    );
    const status = await pulse(['schedule', '--status', '--format', 'json'], {}, project);
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('overview-monthly');
    const once = await pulse(['schedule', '--once'], {}, project);
    expect(once.code).toBe(0);
    expect(once.stderr).toMatch(/paused \(not run\): overview-monthly/);
    expect(once.stdout).toBe('nothing due\n');
  });
});
