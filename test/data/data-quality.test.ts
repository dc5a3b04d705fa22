// The data-quality report: `pulse check` (text and JSON) and the report's footer and banner.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../lib/cli/options.ts';
import { runCli } from '../../lib/cli/run-cli.ts';
import { buildDataQuality } from '../../lib/data/quality.ts';
import { parsePeriod } from '../../lib/kpi/period.ts';
import { TOOLKIT_ROOT } from '../../lib/paths.ts';
import { renderReportHtml } from '../../lib/render/report-html.ts';
import { defineReport } from '../../lib/report/define.ts';
import { runReport } from '../../lib/report/run-report.ts';
import { FIXTURES, TEST_NOW } from '../helpers.ts';

async function cli(env: Record<string, string>, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: { PULSE_NOW: TEST_NOW, ...env },
    cwd: TOOLKIT_ROOT,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

let dir: string;
let data: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-quality-'));
  data = join(dir, 'export');
  await mkdir(data);
  // 48 good deals and 2 bad ones (4 %): one unknown status, one duplicate id.
  const rows = ['opportunity_id,owner_id,amount,created_at,closed_at,status'];
  for (let i = 1; i <= 48; i++) {
    rows.push(
      `O${i},U1,${i * 10},2026-09-${String((i % 28) + 1).padStart(2, '0')},2026-10-15,${i % 2 ? 'won' : 'lost'}`,
    );
  }
  rows.splice(10, 0, 'O99,U1,500,2026-09-01,2026-10-15,Closed Won');
  rows.push('O5,U1,700,2026-09-02,2026-10-20,won');
  await writeFile(join(data, 'opportunities.csv'), `${rows.join('\n')}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pulse check', () => {
  it('lists the tables with rows, rejected rows and freshness, then each rejected row with its line', async () => {
    const { code, stdout } = await cli({}, 'check', '--data', data);
    expect(code).toBe(2);
    // Latest: 2026-10-15, since the deal closed on 10-20 repeats an id and is rejected.
    expect(stdout).toMatch(/opportunities\s+50\s+2\s+0\s+2026-10-15\s+.*opportunities\.csv/);
    expect(stdout).toContain(
      `${data}/opportunities.csv:11:status  unknown_value  "Closed Won", expected one of open, won, lost`,
    );
    expect(stdout).toContain('    "O99,U1,500,2026-09-01,2026-10-15,Closed Won"');
    expect(stdout).toContain(
      `${data}/opportunities.csv:51:opportunity_id  duplicate_key  "O5 (first at line 6)", expected a unique opportunity_id`,
    );
    expect(stdout).toMatch(/2 rows rejected \(4 %\) of 50: KPIs leave them out only with --allow-rejects/);
  });

  it('--format json has the tables, freshness, every problem and every rejected row', async () => {
    const { code, stdout } = await cli({}, 'check', '--data', data, '--format', 'json');
    expect(code).toBe(2);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      dataDir: data,
      ok: false,
      rejects: { rows: 2, total: 50, share: 0.04 },
      tables: [{ table: 'opportunities', records: 50, rejected: 2, loaded: 48, latest: '2026-10-15' }],
    });
    expect(report.rejectedRows.map((r: { line: number; error: string }) => [r.line, r.error])).toEqual([
      [11, 'unknown_value'],
      [51, 'duplicate_key'],
    ]);
    expect(report.problems.map((p: { rule: string }) => p.rule)).toEqual(['unknown_value', 'duplicate_key']);
  });

  it('reads a vendor export through --mapping, presets by name', async () => {
    const { code, stdout } = await cli(
      {},
      'check',
      '--data',
      `${FIXTURES}/mapping-pipedrive`,
      '--mapping',
      'pipedrive',
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/mapped by .*mappings\/pipedrive\.json/);
    expect(stdout).toMatch(/0 errors, 0 warnings/);
  });

  it('lists an empty file and a folder named like a table file among the other problems', async () => {
    const awkward = join(dir, 'awkward');
    await mkdir(join(awkward, 'campaigns.csv'), { recursive: true });
    await mkdir(join(awkward, 'leads.parquet'));
    await writeFile(join(awkward, 'campaigns.csv', 'campaigns.csv'), 'campaign_id,name\nK1,Launch\n');
    await writeFile(join(awkward, 'orders.csv'), '');
    await writeFile(join(awkward, 'customers.csv'), 'customer_id,acquired_at\n');
    await writeFile(
      join(awkward, 'opportunities.csv'),
      'opportunity_id,amount,created_at,closed_at,status\nO1,10,2026-09-01,2026-10-15,won\nO2,20,2026-09-01,2026-10-15,Won\n',
    );
    const { code, stdout } = await cli({}, 'check', '--data', awkward);
    expect(code).toBe(2);
    expect(stdout).toContain(
      `error orders: file is empty in ${awkward}/orders.csv (expected a header line naming the columns, then one line per row; the file has 0 bytes)\n  fix: export orders again; if there is nothing to export, delete ${awkward}/orders.csv: an absent table only makes the KPIs that need it unavailable`,
    );
    expect(stdout).toContain(
      `${awkward}/opportunities.csv line 3, column status: "Won", expected one of open, won, lost`,
    );
    expect(stdout).toContain(
      `warning campaigns: a folder has the name of a table file in ${awkward}/campaigns.csv/ (expected a file named campaigns.csv, found a folder; campaigns is absent)\n  fix: move the CSV file inside it to ${awkward}/campaigns.csv`,
    );
    expect(stdout).toContain(
      `fix: rename the folder to ${awkward}/leads/ (a table's folder of Parquet files`,
    );
    // A header without rows is a table with no rows, not a problem.
    expect(stdout).toMatch(/customers\s+0\s+0\s+0\s+-/);
    expect(stdout).toMatch(/^2 errors, 2 warnings/m);
  });

  it('counts a mapping error, which concerns no row, in its summary', async () => {
    const exported = join(dir, 'mapped');
    await mkdir(exported);
    await writeFile(
      join(exported, 'deals.csv'),
      'Deal ID,Status,Created,Closed,Amount\nD1,won,2026-09-01,2026-10-11,1000\nD2,lost,2026-09-21,2026-10-21,2500\n',
    );
    const mapping = join(dir, 'mapped.json');
    const rename = { 'Deal ID': 'opportunity_id', Status: 'status', Created: 'created_at', Amount: 'amount' };
    const derive = { closed_at: '"Close Date"' };
    await writeFile(
      mapping,
      JSON.stringify({ tables: { opportunities: { files: 'deals.csv', rename, derive } } }),
    );
    const { code, stdout } = await cli({}, 'check', '--data', exported, '--mapping', mapping);
    expect(code).toBe(2);
    expect(stdout).toContain('error opportunities, column closed_at: the mapping does not fit the export');
    expect(stdout).toMatch(/^1 error, 0 warnings/m);
  });

  it('computes KPIs on the good rows only with --allow-rejects or within PULSE_MAX_REJECT_SHARE', async () => {
    const args = ['kpi', 'close_rate', '--data', data, '--period', '2026-10', '--format', 'json'];
    const refused = await cli({}, ...args);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /2 rows rejected \(4 %\) for contract errors \(unknown_value, duplicate_key\)/,
    );
    for (const run of [
      await cli({}, ...args, '--allow-rejects'),
      await cli({ PULSE_MAX_REJECT_SHARE: '5%' }, ...args),
    ]) {
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)[0]).toMatchObject({ numerator: 24, denominator: 48 });
    }
  });

  it('says how many rows --allow-rejects left out, on stderr and on every JSON and CSV row', async () => {
    const args = [
      'kpi',
      'close_rate',
      'avg_deal_size',
      '--data',
      data,
      '--period',
      '2026-10',
      '--allow-rejects',
    ];
    const json = await cli({}, ...args, '--format', 'json');
    expect(json.code).toBe(0);
    expect(json.stderr).toContain(
      'pulse: rows rejected for data errors were left out of these numbers: 4 % of opportunities (2 of 50 rows; close_rate, avg_deal_size); `pulse check` lists them',
    );
    const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows)
      expect(row).toMatchObject({
        rejected_rows: 2,
        rejected_share: 0.04,
        rejected_note: 'without the 4 % of opportunities rejected',
      });
    const csv = await cli({}, ...args, '--format', 'csv');
    expect(csv.stdout.split('\n')[0]).toContain(',rejected_rows,rejected_share,rejected_note');
    const table = await cli({}, ...args);
    expect(table.stderr).toContain('were left out of these numbers: 4 % of opportunities');
    // Clean data: nothing said, no field added.
    const clean = await cli(
      {},
      'kpi',
      'close_rate',
      '--data',
      `${FIXTURES}/close-rate`,
      '--period',
      '2026-10',
      '--allow-rejects',
      '--format',
      'json',
    );
    expect(clean.stderr).toBe('');
    expect(JSON.parse(clean.stdout)[0]).not.toHaveProperty('rejected_rows');
  });
});

describe('pulse kpi with rejects in one table of several', () => {
  it('states the share of each table a KPI reads, not of every row the export holds', async () => {
    // The same 2 of 50 deals rejected, beside 1,000 users close rate reads and 2,000 leads it
    // does not: 0.07 % of every row together, 4 % of the deals.
    const wide = join(dir, 'wide');
    await mkdir(wide);
    const deals = await readFile(join(data, 'opportunities.csv'), 'utf8');
    await writeFile(join(wide, 'opportunities.csv'), deals);
    const users = Array.from({ length: 1000 }, (_, i) => `U${i + 1}`);
    await writeFile(join(wide, 'users.csv'), `user_id\n${users.join('\n')}\n`);
    const leads = Array.from({ length: 2000 }, (_, i) => `L${i + 1},2026-10-0${(i % 9) + 1},open`);
    await writeFile(join(wide, 'leads.csv'), `lead_id,created_at,status\n${leads.join('\n')}\n`);
    const args = ['kpi', 'close_rate', 'new_leads', '--data', wide, '--period', '2026-10'];
    const json = await cli({}, ...args, '--allow-rejects', '--format', 'json');
    expect(json.code).toBe(0);
    expect(json.stderr).toBe(
      'pulse: rows rejected for data errors were left out of these numbers: 4 % of opportunities (2 of 50 rows; close_rate); `pulse check` lists them\n',
    );
    const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
    const close = rows.filter((r) => r.id === 'close_rate');
    const leadRows = rows.filter((r) => r.id === 'new_leads');
    expect(close.length).toBeGreaterThan(0);
    expect(leadRows.length).toBeGreaterThan(0);
    for (const row of close) expect(row).toMatchObject({ rejected_rows: 2, rejected_share: 0.04 });
    // New leads read no row that was rejected: computed from every row, nothing to say.
    for (const row of leadRows) expect(row).not.toHaveProperty('rejected_share');
  });
});

describe('customers derived from orders that lost rows', () => {
  it('are computed without those orders too, and said so', async () => {
    const shop = join(dir, 'shop');
    await mkdir(shop);
    const orders = ['order_id,customer_id,ordered_at,amount'];
    for (let i = 1; i <= 18; i++) orders.push(`O${i},C${i},2026-10-${String(i).padStart(2, '0')},10`);
    orders.push('O19,C19,2026-10-19,', 'O20,C20,2026-10-31,'); // 2 of 20 (10 %) without an amount
    await writeFile(join(shop, 'orders.csv'), `${orders.join('\n')}\n`);
    const mapping = join(dir, 'shop.json');
    await writeFile(
      mapping,
      JSON.stringify({ tables: { orders: { files: 'orders.csv' }, customers: { from: 'orders' } } }),
    );
    const run = await cli(
      {},
      'kpi',
      'new_customers',
      '--data',
      shop,
      '--mapping',
      mapping,
      '--period',
      '2026-10',
      '--allow-rejects',
      '--format',
      'json',
    );
    expect(run.code, run.stderr).toBe(0);
    const [row] = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(row).toMatchObject({ value: 18, rejected_note: 'without the 10 % of orders rejected' });
    expect(run.stderr).toContain('10 % of orders (2 of 20 rows; new_customers)');
    // A KPI that joins customers only for a breakdown it was not asked for reads none of them.
    const deals = ['opportunity_id,created_at,closed_at,status,amount'];
    for (let i = 1; i <= 20; i++)
      deals.push(`D${i},2026-09-01,2026-10-${String(i).padStart(2, '0')},${i % 2 ? 'won' : 'lost'},100`);
    await writeFile(join(shop, 'opportunities.csv'), `${deals.join('\n')}\n`);
    const close = await cli(
      {},
      'kpi',
      'close_rate',
      '--data',
      shop,
      '--mapping',
      mapping,
      '--period',
      '2026-10',
      '--allow-rejects',
      '--format',
      'json',
    );
    expect(close.code, close.stderr).toBe(0);
    expect((JSON.parse(close.stdout) as Record<string, unknown>[])[0]).not.toHaveProperty('rejected_note');
  });
});

describe('rejected rows bunched in one period', () => {
  const orders = (bad: (month: number, i: number) => string | undefined) => {
    const rows = ['order_id,customer_id,ordered_at,amount'];
    for (let month = 1; month <= 10; month++)
      for (let i = 0; i < 40; i++) {
        const day = `2026-${String(month).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
        rows.push(
          bad(month, i) ?? `O${month}-${i},C${i},${i === 39 && month === 10 ? '2026-10-31' : day},10`,
        );
      }
    return `${rows.join('\n')}\n`;
  };
  const revenue = async (name: string, text: string) => {
    const data = join(dir, name);
    await mkdir(data);
    await writeFile(join(data, 'orders.csv'), text);
    const run = await cli(
      {},
      'kpi',
      'revenue',
      '--data',
      data,
      '--period',
      '2026-10',
      '--allow-rejects',
      '--format',
      'json',
    );
    expect(run.code, run.stderr).toBe(0);
    return (JSON.parse(run.stdout) as Record<string, unknown>[])[0];
  };

  it('withhold the comparison of that period, though the table lost little', async () => {
    // 15 of October's 40 orders without an amount: 3.8 % of the table, 38 % of the month.
    const row = await revenue(
      'bunched',
      orders((month, i) => (month === 10 && i < 15 ? `X${i},C${i},2026-10-0${(i % 9) + 1},` : undefined)),
    );
    expect(row).toMatchObject({
      change: null,
      comparison_note: 'rows rejected',
      rejected_note: 'without the 38 % of orders in October 2026 rejected',
    });
    // The month before is compared with its own month before, both whole.
  });

  it('count a rejected row whose date cannot be read in every period it may belong to', async () => {
    // 8 orders of 400 with an unreadable date: 2 % of the table, up to 17 % of any month.
    const row = await revenue(
      'undated',
      orders((month, i) => (month <= 2 && i < 4 ? `U${month}-${i},C${i},someday,10` : undefined)),
    );
    expect(row).toMatchObject({
      change: null,
      rejected_note: 'without up to 17 % of orders in October 2026 rejected',
    });
  });
});

describe('rejected rows placed in their periods', () => {
  const kpi = async (name: string, files: Record<string, string>, ...args: string[]) => {
    const data = join(dir, name);
    await mkdir(data);
    for (const [file, text] of Object.entries(files)) await writeFile(join(data, file), text);
    const run = await cli(
      {},
      'kpi',
      ...args.map((a) => a.replace('$DATA', data)),
      '--allow-rejects',
      '--format',
      'json',
    );
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as Record<string, unknown>[];
  };
  const monthly = (months: number[], perMonth: number, line: (month: string, i: number) => string) =>
    months.flatMap((m) => Array.from({ length: perMonth }, (_, i) => line(String(m).padStart(2, '0'), i)));

  it('does not take an open deal without a close date for one whose date cannot be read', async () => {
    const deals = monthly(
      [7, 8, 9, 10],
      20,
      (m, i) =>
        `D${m}-${i},2026-06-01,2026-${m}-${String(i + 1).padStart(2, '0')},${i % 2 ? 'won' : 'lost'},100`,
    );
    deals.push('D-last,2026-06-01,2026-10-31,lost,100');
    for (let i = 0; i < 3; i++) deals.push(`OPEN${i},2026-10-02,,open,abc`); // rejected: amount unreadable
    const rows = await kpi(
      'open-bad',
      { 'opportunities.csv': `opportunity_id,created_at,closed_at,status,amount\n${deals.join('\n')}\n` },
      'close_rate',
      '--data',
      '$DATA',
      '--period',
      '2026-10',
    );
    expect(rows[0]?.change).not.toBeNull();
    expect(rows[0]?.rejected_note).toBe('without the 3.6 % of opportunities rejected');
  });

  it('judges customers derived from orders by the orders each period lost', async () => {
    const orders = monthly(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      10,
      (m, i) => `O${m}-${i},C${m}-${i},2026-${m}-${String(i + 1).padStart(2, '0')},10`,
    );
    orders.push('O-last,C1-0,2026-10-31,10', 'X1,CX1,2026-09-15,abc', 'X2,CX2,2026-09-16,abc');
    const mapping = join(dir, 'derived-bad.json');
    await writeFile(
      mapping,
      JSON.stringify({ tables: { orders: { files: 'orders.csv' }, customers: { from: 'orders' } } }),
    );
    const rows = await kpi(
      'derived-bad',
      { 'orders.csv': `order_id,customer_id,ordered_at,amount\n${orders.join('\n')}\n` },
      'new_customers',
      '--data',
      '$DATA',
      '--mapping',
      mapping,
      '--from',
      '2026-09-01',
      '--to',
      '2026-10-31',
      '--grain',
      'month',
    );
    expect(rows[0]).toMatchObject({
      period_start: '2026-09-01',
      rejected_note: 'without the 17 % of orders in September 2026 rejected',
    });
  });

  it('checks a range and the range before it', async () => {
    const orders = monthly(
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
      28,
      (m, i) => `O${m}-${i},C${i},2026-${m}-${String(i + 1).padStart(2, '0')},10`,
    );
    for (let day = 1; day <= 6; day++) orders.push(`X${day},C1,2026-09-0${day},abc`);
    orders.push('O-last,C1,2026-09-30,10');
    const rows = await kpi(
      'range-bad',
      { 'orders.csv': `order_id,customer_id,ordered_at,amount\n${orders.join('\n')}\n` },
      'revenue',
      '--data',
      '$DATA',
      '--from',
      '2026-09-10',
      '--to',
      '2026-09-20',
    );
    expect(rows[0]).toMatchObject({ change: null, comparison_note: 'rows rejected then' });
  });

  it('judges a KPI over a window by what its window lost, named as such', async () => {
    const orders = monthly(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      10,
      (m, i) => `O${m}-${i},C${i},2026-${m}-${String(i + 1).padStart(2, '0')},10`,
    );
    for (let i = 0; i < 4; i++) orders.push(`X${i},C${i},2026-05-20,abc`);
    orders.push('O-last,C1,2026-10-31,10');
    const rows = await kpi(
      'window-bad',
      { 'orders.csv': `order_id,customer_id,ordered_at,amount\n${orders.join('\n')}\n` },
      'repeat_purchase_rate',
      '--data',
      '$DATA',
      '--period',
      '2026-06',
    );
    expect(rows[0]?.rejected_note).toBe(
      'without the 6.3 % of orders in the 12 months to 2026-06-30 rejected',
    );
  });
});

describe('pulse query over data with rejected rows', () => {
  it('says which rows the tables it queries leave out, so a count is not taken for the export', async () => {
    const run = await cli(
      {},
      'query',
      'SELECT count(*) AS n FROM opportunities',
      '--data',
      data,
      '--format',
      'csv',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('48');
    expect(run.stderr).toContain(
      'warning: rows rejected for contract errors are not in the tables you query: 2 of 50 rows of opportunities (4 %)',
    );
  });

  it('says customers derived from orders lack the customers of the orders rejected', async () => {
    const shop = join(dir, 'query-shop');
    await mkdir(shop);
    const orders = ['order_id,customer_id,ordered_at,amount'];
    for (let i = 1; i <= 18; i++) orders.push(`O${i},C${i},2026-10-${String(i).padStart(2, '0')},10`);
    orders.push('O19,C19,2026-10-19,', 'O20,C20,2026-10-31,'); // 2 of 20 without an amount
    await writeFile(join(shop, 'orders.csv'), `${orders.join('\n')}\n`);
    const mapping = join(dir, 'query-shop.json');
    await writeFile(
      mapping,
      JSON.stringify({ tables: { orders: { files: 'orders.csv' }, customers: { from: 'orders' } } }),
    );
    const run = await cli(
      {},
      'query',
      'SELECT count(*) AS n FROM customers',
      '--data',
      shop,
      '--mapping',
      mapping,
      '--format',
      'csv',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('18');
    expect(run.stderr).toBe(
      'warning: rows rejected for contract errors are not in the tables you query: 2 of 20 rows of orders (10 %); customers come from orders: the 2 orders rejected leave out any customer with no other order (and a customer whose first order was rejected is dated by the next); `pulse check` lists them\n',
    );
  });
});

describe('pulse kpi with material rejects', () => {
  it('draws no change against an earlier period when a table it reads lost 5 % or more, as the report', async () => {
    // 3 of 30 deals rejected (10 %), closed in September and October: the change could be the rejects'.
    const lost = join(dir, 'lost');
    await mkdir(lost);
    const deals = ['opportunity_id,amount,created_at,closed_at,status'];
    for (let i = 1; i <= 26; i++)
      deals.push(`O${i},${i * 10},2026-08-01,2026-${i % 2 ? '09-01' : '10-15'},${i % 3 ? 'won' : 'lost'}`);
    deals.push('O27,50,2026-08-01,2026-10-31,lost'); // the export runs to the end of October
    for (let i = 1; i <= 3; i++) deals.push(`X${i},100,2026-08-01,2026-10-15,Closed Won`);
    await writeFile(join(lost, 'opportunities.csv'), `${deals.join('\n')}\n`);
    const run = await cli(
      {},
      'kpi',
      'close_rate',
      '--data',
      lost,
      '--period',
      '2026-10',
      '--allow-rejects',
      '--format',
      'json',
    );
    expect(run.code, run.stderr).toBe(0);
    const [row] = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(row).toMatchObject({
      change: null,
      previous_value: null,
      comparison_note: 'rows rejected',
      // 3 of 30 deals, all closed in October: 3 of 17 of October's (18 %), bunched there.
      rejected_note:
        'without the 10 % of opportunities rejected; without the 18 % of opportunities in October 2026 rejected',
    });
    expect(row?.value).not.toBeNull();
  });
});

describe('the report', () => {
  it('says how many rows were left out, with a banner above 1 %, and what the checks found', async () => {
    const definition = defineReport({
      name: 'tiny',
      title: 'Tiny report',
      grain: 'month',
      build: async (r) => r.markdown('Hello.'),
    });
    const run = await runReport(definition, {
      dataDir: data,
      timeZone: 'UTC',
      now: TEST_NOW,
      period: parsePeriod('2026-10'),
      allowRejects: true,
    });
    expect(run.document.dataQuality?.rejected).toEqual({
      rows: 2,
      total: 50,
      share: 0.04,
      label: '2 rows rejected (4 % of opportunities)',
      banner: true,
      tables: [{ table: 'opportunities', rows: 2, total: 50 }],
    });
    expect(run.document.dataQuality?.checks.map((c) => [c.rule, c.count, c.examples[0]])).toEqual([
      ['unknown_value', 1, 'opportunities.csv line 11 ("Closed Won")'],
      ['duplicate_key', 1, 'opportunities.csv line 51 ("O5 (first at line 6)")'],
    ]);
    const html = await renderReportHtml(run.document, { grain: 'month' });
    expect(html).toContain(
      '<p class="data-banner" role="note">2 rows rejected (4 % of opportunities): 1 value that is not allowed (opportunities.status), 1 duplicate key (opportunities.opportunity_id).',
    );
    expect(html).toContain(
      '<p class="rejected-rows">2 rows rejected (4 % of opportunities): left out of every number in this report',
    );
    expect(html).toContain('<td>opportunities.status</td><td>value is not allowed</td><td>1</td>');
    await expect(runReport(definition, { dataDir: data, timeZone: 'UTC', now: TEST_NOW })).rejects.toThrow(
      /2 rows rejected \(4 %\)/,
    );
  });
});

describe('the data-quality summary', () => {
  it('puts the banner up when one table lost more than 1 %, however many rows the others have', () => {
    const quality = buildDataQuality(
      {
        // 30 of 1,000 deals (3 %) in an export of 10,000 rows (0.3 %).
        rejects: {
          rows: 30,
          total: 10_000,
          share: 0.003,
          tables: [
            { table: 'opportunities', rows: 30, total: 1000 },
            { table: 'activities', rows: 0, total: 9000 },
          ],
        },
        tables: [],
        problems: [],
      },
      [],
    );
    expect(quality.rejected.banner).toBe(true);
    expect(quality.rejected.tables).toEqual([{ table: 'opportunities', rows: 30, total: 1000 }]);
  });
});
