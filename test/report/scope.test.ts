// Reports scoped by a param (region, segment, ...): the numbers of that part of the business
// only, checked against SQL written independently over the fixture's files; company-wide KPIs
// labelled, mixed or partly attributable ones not shown; bad names and values refused.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReportCommand } from '../../lib/cli/commands/report.ts';
import { type Dataset, openDataset } from '../../lib/data/dataset.ts';
import { readCatalog } from '../../lib/kpi/catalog.ts';
import { parsePeriod } from '../../lib/kpi/period.ts';
import { emailSubject } from '../../lib/render/email-html.ts';
import { rowsTable } from '../../lib/report/cells/kpi-charts.ts';
import { defineReport } from '../../lib/report/define.ts';
import { checkReportParams, unknownParams } from '../../lib/report/report-params.ts';
import { runReport, runReportOn } from '../../lib/report/run-report.ts';
import { writeReportOutputs } from '../../lib/report/write-outputs.ts';
import weekly from '../../reports/weekly.ts';
import { FIXTURES, kpiRow, TEST_NOW } from '../helpers.ts';
import { smallCompany } from './report-data.ts';

const DIR = `${FIXTURES}/scope`;
const OCTOBER = parsePeriod('2026-10');

const open = (scope?: Record<string, string>, dataDir = DIR): Promise<Dataset> =>
  openDataset({ dataDir, now: TEST_NOW, timeZone: 'UTC', threads: 1, ...(scope ? { scope } : {}) });

async function withDataset<T>(scope: Record<string, string> | undefined, work: (d: Dataset) => Promise<T>) {
  const dataset = await open(scope);
  try {
    return await work(dataset);
  } finally {
    dataset.close();
  }
}

/** Plain DuckDB over the CSV files, sharing no code with the loader or the scope. */
async function independent(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const table of ['customers', 'orders', 'opportunities']) {
      await connection.run(
        `CREATE VIEW ${table} AS SELECT * FROM read_csv('${DIR}/${table}.csv', header = true, all_varchar = true)`,
      );
    }
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const scopeReport = defineReport({
  name: 'scope-test',
  title: 'Scope test',
  grain: 'month',
  async build(r) {
    r.headline(await r.kpis(['revenue', 'won_revenue', 'close_rate', 'new_leads', 'cac', 'nps'], 2));
    r.table({ ...(await leadsBySource(r)), title: 'Leads by source' });
  },
});

async function leadsBySource(r: Parameters<typeof scopeReport.build>[0]) {
  const table = rowsTable(
    await r.rows('new_leads', { by: 'source' }),
    [
      { field: 'source', header: 'Source', unit: 'text' },
      { field: 'value', header: 'Leads' },
    ],
    { format: r.format },
  );
  if (!table) throw new Error('test: new_leads by source not available');
  return table;
}

describe('a dataset scope', () => {
  it('keeps the customers with the value and every row that belongs to them', async () => {
    await withDataset({ region: 'APAC' }, async (d) => {
      const ids = async (sql: string) => (await d.db.rows(sql)).map((r) => Object.values(r)[0]);
      expect(await ids('SELECT customer_id FROM customers ORDER BY 1')).toEqual(['C3', 'C4']);
      expect(await ids('SELECT order_id FROM orders ORDER BY 1')).toEqual(['O3', 'O4', 'O8']);
      expect(await ids('SELECT opportunity_id FROM opportunities ORDER BY 1')).toEqual(['P3', 'P4', 'P6']);
      // Through their deal, their customer, and for a survey without a customer its ticket.
      expect(await ids('SELECT DISTINCT opportunity_id FROM opportunity_stages')).toEqual(['P3']);
      expect(await ids('SELECT ticket_id FROM tickets')).toEqual(['T2']);
      expect(await ids('SELECT response_id FROM surveys')).toEqual(['S2']);
      // Leads belong to no customer (until they convert): kept whole, for company-wide KPIs.
      expect(await ids('SELECT count(*) FROM leads')).toEqual([4]);
      expect(await ids('SELECT count(*) FROM unscoped_customers')).toEqual([6]);
      expect(d.scope).toEqual({
        params: { region: 'APAC' },
        label: 'region APAC',
        dimensions: 'region',
        customers: 2,
        totalCustomers: 6,
        customersWithoutValue: 1,
        unattributed: [
          { table: 'tickets', rows: 1, total: 3 },
          { table: 'surveys', rows: 1, total: 3 },
        ],
      });
    });
  });

  it("a region's won revenue and close rate are those of SQL written independently over the files", async () => {
    const [expected] = await independent(
      `SELECT sum(o.amount::DECIMAL(18,2))::DOUBLE AS won,
              count(*) FILTER (o.status = 'won') / count(*) AS close_rate
       FROM opportunities o JOIN customers c ON c.customer_id = o.customer_id
       WHERE c.region = 'EMEA' AND o.status IN ('won', 'lost')
         AND o.closed_at::TIMESTAMP >= '2026-10-01' AND o.closed_at::TIMESTAMP < '2026-11-01'`,
    );
    const wonOnly = await independent(
      `SELECT sum(o.amount::DECIMAL(18,2))::DOUBLE AS won FROM opportunities o
       JOIN customers c ON c.customer_id = o.customer_id
       WHERE c.region = 'EMEA' AND o.status = 'won'
         AND o.closed_at::TIMESTAMP >= '2026-10-01' AND o.closed_at::TIMESTAMP < '2026-11-01'`,
    );
    expect(wonOnly[0]?.won).toBe(6200);
    await withDataset({ region: 'EMEA' }, async (d) => {
      expect((await kpiRow(d, 'won_revenue', '2026-10')).value).toBe(wonOnly[0]?.won);
      expect((await kpiRow(d, 'close_rate', '2026-10')).value).toBeCloseTo(Number(expected?.close_rate), 12);
    });
  });

  it('the regions (and the customers without one) add up to the company for an additive KPI', async () => {
    const whole = await withDataset(undefined, async (d) => (await kpiRow(d, 'revenue', '2026-10')).value);
    const regions = (await independent('SELECT DISTINCT region FROM customers WHERE region IS NOT NULL')).map(
      (r) => String(r.region),
    );
    expect(regions.sort()).toEqual(['APAC', 'EMEA', "Nord'Est"]);
    let sum = 0;
    for (const region of regions) {
      sum += (await withDataset({ region }, (d) => kpiRow(d, 'revenue', '2026-10'))).value ?? 0;
    }
    const [noRegion] = await independent(
      `SELECT sum(o.amount::DECIMAL(18,2))::DOUBLE AS revenue FROM orders o JOIN customers c USING (customer_id)
       WHERE c.region IS NULL AND o.ordered_at::TIMESTAMP >= '2026-10-01' AND o.ordered_at::TIMESTAMP < '2026-11-01'`,
    );
    expect(whole).toBe(2350);
    expect(sum + Number(noRegion?.revenue)).toBe(whole);
    // Every customer has a segment: the segments add up to the company exactly.
    let bySegment = 0;
    for (const segment of ['Enterprise', 'Mid-Market', 'SMB']) {
      bySegment += (await withDataset({ segment }, (d) => kpiRow(d, 'revenue', '2026-10'))).value ?? 0;
    }
    expect(bySegment).toBe(whole);
  });

  it('a scope value is a value, never SQL', async () => {
    // A quote in a real value round-trips.
    await withDataset({ region: "Nord'Est" }, async (d) => {
      expect(await d.db.rows('SELECT customer_id FROM customers')).toEqual([{ customer_id: 'C5' }]);
      expect((await kpiRow(d, 'revenue', '2026-10')).value).toBe(70);
    });
    for (const attack of ["EMEA' OR '1'='1", "x'); DROP TABLE customers; --", 'EMEA" OR 1=1 --']) {
      await expect(open({ region: attack })).rejects.toThrow(
        `no customer has region ${JSON.stringify(attack)}`,
      );
    }
    await expect(open({ region: 'EM\0EA' })).rejects.toThrow(/a scope needs a value as written/);
    // The files and a fresh open are untouched.
    await withDataset({ region: 'EMEA' }, async (d) => expect(d.scope?.customers).toBe(2));
  });

  it('a value no customer has is refused with the values the data has, not an empty report', async () => {
    await expect(open({ region: 'emea' })).rejects.toThrow(
      `scope region=emea matches no customer in ${DIR}: no customer has region "emea"; did you mean "EMEA"? (values: APAC, EMEA, Nord'Est). Use a value as written in customers (case matters), or drop the --param; a report for no customer would be empty.`,
    );
    await expect(open({ region: 'EMEA', segment: 'Mid-Market' })).rejects.toThrow(
      'each value is in the data, but no customer has them all',
    );
    await expect(runReport(scopeReport, runOptions({ region: 'Mars' }))).rejects.toMatchObject({
      code: 'param',
      exitCode: 2,
    });
  });
});

const runOptions = (params: Record<string, string>) => ({
  dataDir: DIR,
  timeZone: 'UTC',
  now: TEST_NOW,
  period: OCTOBER,
  params,
});

describe('a scoped report', () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'pulse-scope-'));
  });
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('shows the scope’s numbers, company-wide ones labelled, mixed ones not available', async () => {
    const run = await runReport(scopeReport, runOptions({ region: 'EMEA' }));
    const { document } = run;
    const tile = (id: string) => document.headline.find((s) => s.kpi.id === id);
    expect(tile('revenue')).toMatchObject({ available: true, current: { value: 1250, target: null } });
    expect(tile('won_revenue')).toMatchObject({ available: true, current: { value: 6200 } });
    expect(tile('new_leads')).toMatchObject({
      available: true,
      current: { value: 3 },
      companyWide: 'a lead belongs to no customer until it converts',
    });
    expect(tile('cac')).toEqual(
      expect.objectContaining({ available: false, missing: ['expenses by region'] }),
    );
    expect(tile('nps')).toEqual(
      expect.objectContaining({
        available: false,
        missing: ['a region for all surveys; 1 of 3 belong to no customer'],
      }),
    );
    expect(document.scope?.label).toBe('region EMEA');
    expect(document.scope?.coverage).toBe(
      'Covers the 2 of 6 customers with region EMEA and their deals and orders.',
    );
    expect(document.scope?.notes).toEqual([
      'Company-wide, marked so: New leads. Their data cannot be split by region: a lead belongs to no customer until it converts.',
      "Not available for region EMEA: Customer acquisition cost. Each combines the scope's figures with company-wide ones (such as expenses), which would belong to neither.",
      'Not available for region EMEA: Net Promoter Score. 1 of 3 surveys belong to no customer in customers, so their region is unknown, and leaving them out would bias these numbers; add those accounts to customers with their region to include them.',
      'Targets are set for the whole business, so none is shown for region EMEA.',
      '1 customer has no region and is in no such report.',
    ]);
    expect(document.reproduce).toBe(
      `npx pulse report scope-test --period 2026-10 --data ${DIR} --param region=EMEA`,
    );
    // kpis.csv and kpis.json say whose number each row is.
    const scopes = new Map(run.numbers.map((row) => [row.id, row.scope]));
    expect(Object.fromEntries(scopes)).toEqual({
      revenue: 'region EMEA',
      won_revenue: 'region EMEA',
      close_rate: 'region EMEA',
      new_leads: 'company-wide',
    });

    const written = await writeReportOutputs(run, { outRoot: out });
    const html = await readFile(join(written.dir, 'index.html'), 'utf8');
    expect(html).toContain('<title>Scope test: October 2026 — region EMEA</title>');
    expect(html).toContain('<h1>October 2026 <span class="scope-label">— region EMEA</span></h1>');
    expect(html).toContain('<strong>Only region EMEA.</strong> Covers the 2 of 6 customers');
    expect(html).toMatch(
      /<h3 class="tile-title">New leads<\/h3><p class="tile-scope" title="[^"]+">company-wide<\/p>/,
    );
    expect(html).toContain('Company-wide: a lead belongs to no customer until it converts');
    const email = await readFile(join(written.dir, 'email.html'), 'utf8');
    expect(email).toContain('October 2026 — region EMEA</h1>');
    expect(email).toContain(
      'New leads <span style="font-weight:normal;color:#5b6675;">(company-wide)</span>',
    );
    expect(email).toContain('About region EMEA');
    const text = await readFile(join(written.dir, 'email.txt'), 'utf8');
    expect(text.split('\n')[0]).toBe('Scope test: October 2026 — region EMEA');
    expect(text).toContain('- New leads 3');
    expect(text).toMatch(/- New leads 3.*\(company-wide\)\n/);
    expect(emailSubject(document)).toBe('Scope test: October 2026 — region EMEA');
  });

  it("a segment's report is held to the segment's targets", async () => {
    const run = await runReport(scopeReport, runOptions({ segment: 'SMB' }));
    const revenue = run.document.headline.find((s) => s.kpi.id === 'revenue');
    expect(revenue).toMatchObject({ available: true, current: { value: 750, target: 800, on_track: false } });
    expect(run.document.scope?.notes.some((n) => n.startsWith('Targets'))).toBe(false);
  });

  it('a scope on data with deals of prospects (not in customers): deal KPIs say why they are missing', async () => {
    const run = await runReport(scopeReport, {
      dataDir: await smallCompany(),
      timeZone: 'UTC',
      now: TEST_NOW,
      params: { region: 'EMEA' },
    });
    const close = run.document.headline.find((s) => s.kpi.id === 'close_rate');
    expect(close?.available).toBe(false);
    expect(close?.available === false && close.missing[0]).toMatch(
      /^a region for all deals \(opportunities\); [\d,]+ of [\d,]+ belong to no customer$/,
    );
    expect(run.document.headline.find((s) => s.kpi.id === 'revenue')?.available).toBe(true);
    expect(run.document.scope?.notes.join('\n')).toMatch(
      /Not available for region EMEA: Won revenue and Close rate\. [\d,]+ of [\d,]+ opportunities belong to no customer in customers, .*\(a close rate without the deals lost to prospects\); add those accounts to customers with their region to include them\./,
    );
  }, 60_000);

  it('`pulse report --param region=EMEA` writes beside the company report and says the scope', async () => {
    let stdout = '';
    const io = {
      stdout: (t: string) => {
        stdout += t;
      },
      stderr: () => {},
      env: { PULSE_NOW: TEST_NOW },
      cwd: out,
      isTty: false,
    };
    const argv = ['--data', DIR, '--period', '2026-10', '--out', out, '--param', 'region=EMEA'];
    expect(await runReportCommand(scopeReport, argv, io)).toBe(0);
    expect(stdout).toContain(
      `Scope test, October 2026, region EMEA: ${out}/region=EMEA/scope-test/2026-10/index.html`,
    );
    expect(stdout).toMatch(/New leads\s+3 \(company-wide\)/);
    expect(stdout).toMatch(/Customer acquisition cost\s+not available \(needs expenses by region\)/);
    await expect(runReportCommand(scopeReport, [...argv, '--param', 'regoin=APAC'], io)).rejects.toThrow(
      '--param regoin: not a parameter of the scope-test report',
    );
  });

  it('other dimensions: the account owner, the acquisition channel, and two at once', async () => {
    await withDataset({ owner_id: 'U2' }, async (d) => {
      expect(d.scope?.label).toBe('account owner U2');
      expect(await d.db.rows('SELECT customer_id FROM customers ORDER BY 1')).toEqual([
        { customer_id: 'C3' },
        { customer_id: 'C4' },
        { customer_id: 'C6' },
      ]);
    });
    await withDataset({ segment: 'SMB', acquisition_channel: 'organic' }, async (d) => {
      expect(d.scope?.label).toBe('segment SMB, acquisition channel organic');
      expect(d.scope?.dimensions).toBe('segment and acquisition channel');
      expect((await kpiRow(d, 'revenue', '2026-10')).value).toBe(250 + 70 + 30);
    });
  });

  it('the same scope through a dataset kept open unscoped (the dev preview)', async () => {
    await withDataset(undefined, async (d) => {
      const run = await runReportOn(scopeReport, d, await readCatalog(), {
        timeZone: 'UTC',
        now: TEST_NOW,
        period: OCTOBER,
        params: { region: 'EMEA' },
      });
      expect(run.document.scope?.label).toBe('region EMEA');
      expect(run.document.headline[0]).toMatchObject({ current: { value: 1250 } });
    });
  });
});

describe('report params', () => {
  it('a name that is neither a scope dimension nor the report’s own is refused with the list', async () => {
    await expect(runReport(scopeReport, runOptions({ regoin: 'EMEA' }))).rejects.toThrow(
      '--param regoin: not a parameter of the scope-test report; allowed: region, segment, industry, acquisition_channel, owner_id (each keeps the customers with that value and their data)',
    );
    expect(() => checkReportParams(weekly, { sla_hours: '6', region: 'EMEA' })).not.toThrow();
    expect(() => checkReportParams(weekly, { sla: '6' })).toThrow(
      /allowed: region, segment, industry, acquisition_channel, owner_id \(.*\), sla_hours \(the first-response promise in hours, default 8\)$/,
    );
    expect(unknownParams(weekly, { sla: '6', segment: 'SMB' })).toEqual(['sla']);
  });

  it('a report cannot declare a param named like a scope dimension', () => {
    expect(() =>
      defineReport({
        name: 'x',
        title: 'X',
        grain: 'month',
        params: [{ name: 'region', description: '' }],
        build: async () => {},
      }),
    ).toThrow('param "region" is a scope dimension');
  });
});
