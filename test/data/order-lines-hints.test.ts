// An export of one row per order line, read without `group` or with it: what `pulse check` tells
// its user to do must be something the mapping can do (found by a new-user trial: a `where` on a
// grouped amount fails, and repeated order ids never pointed at `group`).

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../lib/kpi/period.ts';
import { renderReportHtml } from '../../lib/render/report-html.ts';
import { defineReport } from '../../lib/report/define.ts';
import { runReport } from '../../lib/report/run-report.ts';
import { TEST_NOW } from '../helpers.ts';
import { pulse } from '../support/cli.ts';

let dir: string;
const lines = [
  'Order ID,Customer Email,Created At,Line Total',
  '#1,ada@example.com,2026-10-02 09:15,10.00',
  '#1,ada@example.com,2026-10-02 09:15,5.00',
  '#2,bo@example.com,2026-10-03 10:00,',
  '#2,bo@example.com,2026-10-03 10:00,',
  '#3,cy@example.com,2026-10-04 11:00,7.00',
  '#4,di@example.com,2026-10-05 12:00,3.00',
  '#4,di@example.com,2026-10-05 12:00,',
];
const aggregate = {
  customer_id: 'any_value("Customer Email")',
  ordered_at: 'min("Created At")',
  amount: 'sum("Line Total"::DECIMAL(38,6))',
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-lines-'));
  await writeFile(join(dir, 'shop.csv'), `${lines.join('\n')}\n`);
  const rename = {
    'Order ID': 'order_id',
    'Customer Email': 'customer_id',
    'Created At': 'ordered_at',
    'Line Total': 'amount',
  };
  await writeFile(
    join(dir, 'flat.json'),
    JSON.stringify({
      tables: { orders: { files: 'shop.csv', rename, dates: { ordered_at: '%Y-%m-%d %H:%M' } } },
    }),
  );
  await writeFile(
    join(dir, 'grouped.json'),
    JSON.stringify({
      tables: {
        orders: {
          files: 'shop.csv',
          group: { by: 'Order ID', aggregate },
          rename: { 'Order ID': 'order_id' },
          dates: { ordered_at: '%Y-%m-%d %H:%M' },
        },
      },
    }),
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const check = (mapping: string) =>
  pulse(['check', '--data', dir, '--mapping', join(dir, mapping)], { PULSE_NOW: '2026-11-02T08:00:00Z' });

describe('pulse check on an export of order lines', () => {
  it('read line by line, says the repeated order ids may be lines, and how to group them', async () => {
    const run = await check('flat.json');
    expect(run.stdout).toMatch(/duplicate/);
    expect(run.stdout).toContain(
      'if the export has a row per line of each order, make one row of them with the mapping\'s "group": {"by": "Order ID", "aggregate": {...}}',
    );
  });

  it('grouped, an order whose lines are all blank is not told to be left out with a `where` it cannot have', async () => {
    const run = await check('grouped.json');
    expect(run.stdout).toMatch(/amount/);
    expect(run.stdout).not.toContain('add "where"');
    expect(run.stdout).toContain(
      'fix: the mapping\'s "group" gave no amount for these rows: fill the lines its aggregate reads in the export',
    );
  });

  it('grouped, an order with some lines blank is said to be understated by sum(), with the safe form', async () => {
    const run = await check('grouped.json');
    expect(run.stdout).toContain(
      'a value on every line of one "Order ID", or on none: sum("Line Total"::DECIMAL(38,6)) passes over the blank lines, so these orders are understated',
    );
    expect(run.stdout).toContain('1 of 2 lines blank');
    expect(run.stdout).toContain(
      // What the sum adds up, as DuckDB writes it: the form to paste.
      '"CASE WHEN count(*) = count(CAST("Line Total" AS DECIMAL(38,6))) THEN sum("Line Total"::DECIMAL(38,6)) END"',
    );
  });

  it('counts the orders an aggregate understates as orders, not as rows of the export, here and in the report', async () => {
    const run = await check('grouped.json');
    // #4 is understated; #2, all blank, is rejected instead.
    expect(run.stdout).toContain(
      'an aggregate passes over blank lines of a group, understating it: 1 order (expected',
    );
    const report = await runReport(
      defineReport({
        name: 'tiny',
        title: 'Tiny report',
        grain: 'month',
        build: async (r) => r.markdown('Hello.'),
      }),
      {
        dataDir: dir,
        mapping: join(dir, 'grouped.json'),
        timeZone: 'UTC',
        now: TEST_NOW,
        period: parsePeriod('2026-10'),
        allowRejects: true,
      },
    );
    const html = await renderReportHtml(report.document, { grain: 'month' });
    expect(html).toContain(
      '<td>orders.amount</td><td>an aggregate passes over blank lines of a group, understating it</td><td>1 order</td>',
    );
  });

  it('counts a line whose amount is blank, spaces or a tab, whatever the sum converts it with', async () => {
    const blanks = join(dir, 'blanks');
    await mkdir(blanks);
    const text = [
      'Order ID,Customer Email,Created At,Line Total',
      '#1,ada@example.com,2026-10-02 09:15,10.00',
      '#1,ada@example.com,2026-10-02 09:15,',
      '#2,bo@example.com,2026-10-03 10:00,5.00',
      '#2,bo@example.com,2026-10-03 10:00,"  "',
      '#3,cy@example.com,2026-10-04 11:00,7.00',
      '#3,cy@example.com,2026-10-04 11:00,"\t"',
      '#4,di@example.com,2026-10-05 12:00,3.00',
    ];
    await writeFile(join(blanks, 'shop.csv'), `${text.join('\n')}\n`);
    const checkWith = async (name: string, amount: string) => {
      const mapping = join(dir, name);
      const orders = {
        files: 'shop.csv',
        group: { by: 'Order ID', aggregate: { ...aggregate, amount } },
        rename: { 'Order ID': 'order_id' },
        dates: { ordered_at: '%Y-%m-%d %H:%M' },
      };
      await writeFile(mapping, JSON.stringify({ tables: { orders } }));
      return (
        await pulse(['check', '--data', blanks, '--mapping', mapping], { PULSE_NOW: '2026-11-02T08:00:00Z' })
      ).stdout;
    };
    // '', '  ' and a tab are all NULL to what the sum adds up: #1, #2 and #3 are understated.
    for (const amount of [
      'sum(TRY_CAST("Line Total" AS DOUBLE))',
      'sum(TRY_CAST(trim("Line Total") AS DOUBLE))',
      "round(sum(TRY_CAST(replace(\"Line Total\", ',', '') AS DECIMAL(38,6))), 2)",
    ]) {
      const run = await checkWith('blanks.json', amount);
      expect(run, amount).toContain('understating it: 3 orders (expected');
      expect(run, amount).toContain(
        'shop.csv 2 ("1 of 2 lines blank"), 4 ("1 of 2 lines blank"), 6 ("1 of 2 lines blank")',
      );
    }
    // A CASE (or if()) leaves lines out on purpose, under a cast too.
    for (const amount of [
      'sum(TRY_CAST(CASE WHEN "Customer Email" <> \'\' THEN "Line Total" END AS DOUBLE))',
      'sum(if("Customer Email" <> \'\', TRY_CAST("Line Total" AS DOUBLE), NULL))',
    ])
      expect(await checkWith('chosen.json', amount), amount).toContain('0 errors, 0 warnings');
  });

  it('finds a sum under another function, and passes over a sum that leaves lines out on purpose', async () => {
    const withAmount = async (name: string, amount: string) => {
      await writeFile(
        join(dir, name),
        JSON.stringify({
          tables: {
            orders: {
              files: 'shop.csv',
              group: { by: 'Order ID', aggregate: { ...aggregate, amount } },
              rename: { 'Order ID': 'order_id' },
              dates: { ordered_at: '%Y-%m-%d %H:%M' },
            },
          },
        }),
      );
      return (await check(name)).stdout;
    };
    // coalesce(): an order of blank lines only gets $0, not unknown: said too (#2, 2 of 2).
    const zeroed = await withAmount('zeroed.json', 'coalesce(sum("Line Total"::DECIMAL(38,6)), 0)');
    expect(zeroed).toContain('passes over the blank lines');
    expect(zeroed).toContain('2 of 2 lines blank');
    expect(zeroed).toContain('understating it: 2 orders (expected');
    expect(await withAmount('rounded.json', 'round(sum("Line Total"::DECIMAL(38,6)), 2)')).toContain(
      'passes over the blank lines',
    );
    const paid = await withAmount(
      'paid.json',
      'sum(CASE WHEN "Customer Email" <> \'\' THEN "Line Total"::DECIMAL(38,6) END)',
    );
    expect(paid).not.toContain('passes over the blank lines');
    const safe = await withAmount(
      'safe.json',
      'CASE WHEN count(*) = count("Line Total") THEN sum("Line Total"::DECIMAL(38,6)) END',
    );
    expect(safe).not.toContain('passes over the blank lines');
  });
});
