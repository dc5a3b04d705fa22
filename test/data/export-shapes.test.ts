// Export shapes a mapping reads besides one row per contract row: order lines grouped into
// orders (`group`), customers derived from the first order (`"customers": {"from": "orders"}`)
// and whitespace-separated files without a header (`"csv": {"delimiter": "whitespace"}`), each
// on a fixture in that shape (test/fixtures/mapping-order-lines, mapping-cdnow).

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, openDataset } from '../../lib/data/dataset.ts';
import { parseMapping } from '../../lib/data/mapping.ts';
import { readRejectedRows } from '../../lib/data/read-rejected-rows.ts';
import { TOOLKIT_ROOT } from '../../lib/paths.ts';
import { FIXTURES, kpiRow, TEST_NOW } from '../helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-shapes-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function withFixture(name: string, work: (dataset: Dataset) => Promise<void>): Promise<void> {
  const dataset = await openDataset({
    dataDir: `${FIXTURES}/${name}`,
    mapping: `${FIXTURES}/${name}.json`,
    now: TEST_NOW,
    threads: 1,
  });
  try {
    await work(dataset);
  } finally {
    dataset.close();
  }
}

/** A data folder with the files, opened with the mapping. */
async function openWith(name: string, files: Record<string, string>, mapping: object): Promise<Dataset> {
  const data = join(dir, name);
  await mkdir(data, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(data, file), text);
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(mapping));
  return openDataset({ dataDir: data, now: TEST_NOW, mapping: file, threads: 1 });
}

const LINES = [
  'Order ID,Customer Email,Created At,Line Total',
  '#1,ada@example.com,2026-10-02 09:15,10.00',
  '#1,ada@example.com,2026-10-02 09:15,abc',
  '#2,grace@example.com,,5.00',
  '#2,grace@example.com,,7.00',
].join('\n');

const ORDERS_BY_ID = {
  files: 'lines.csv',
  group: {
    by: 'Order ID',
    aggregate: {
      customer_id: 'any_value("Customer Email")',
      ordered_at: 'min("Created At")',
      amount: 'sum("Line Total"::DECIMAL(38,6))',
    },
  },
  rename: { 'Order ID': 'order_id' },
};

describe('order lines grouped into orders', () => {
  it('makes one order of a three-line order, so its buyer is not a repeat buyer', async () => {
    await withFixture('mapping-order-lines', async (dataset) => {
      expect(dataset.problems).toEqual([]);
      expect(dataset.tables.find((t) => t.table === 'orders')).toMatchObject({
        records: 7,
        groups: 4,
        rejected: 0,
        loaded: 4,
      });
      expect(
        await dataset.db.rows(`SELECT order_id, customer_id, amount FROM orders ORDER BY order_id`),
      ).toEqual([
        { order_id: '#1001', customer_id: 'ada@example.com', amount: 40 },
        { order_id: '#1002', customer_id: 'grace@example.com', amount: 10 },
        { order_id: '#1003', customer_id: 'grace@example.com', amount: 12.75 },
        { order_id: '#1004', customer_id: 'linus@example.com', amount: 34.5 },
      ]);
      // Ada's three lines are one order: only Grace (two orders) bought again, of 3 buyers.
      expect(await kpiRow(dataset, 'repeat_purchase_rate', '2026-10')).toMatchObject({
        numerator: 1,
        denominator: 3,
      });
    });
  });

  it('names the line of an order that cannot be summed, and the first line of a rejected order', async () => {
    const dataset = await openWith('lines-bad', { 'lines.csv': LINES }, { tables: { orders: ORDERS_BY_ID } });
    try {
      const amount = dataset.problems.find((p) => p.column === 'amount');
      expect(amount?.expected).toMatch(
        /^tables\.orders\.group\.aggregate\.amount: .* cannot be computed: Conversion Error: Could not convert string "abc" .*; the value is at .*lines\.csv line 3$/,
      );
      // Order #2 has no date: rejected, named by its first line.
      const rows = await readRejectedRows(dataset);
      expect(rows.map((r) => [r.line, r.column, r.error])).toEqual([[4, 'ordered_at', 'required_null']]);
      expect(rows[0]?.raw).toBe('#2,grace@example.com,,5.00');
    } finally {
      dataset.close();
    }
  });

  it('with the documented recipe, an order with a blank line amount is rejected, not understated', async () => {
    const lines = [
      'Order ID,Customer Email,Created At,Line Total',
      '#1,ada@example.com,2026-10-02 09:15,10.00',
      '#1,ada@example.com,2026-10-02 09:15,',
      '#2,grace@example.com,2026-10-03 10:00,5.00',
    ].join('\n');
    // mappings/README.md: "make the order's amount unknown instead".
    const amount = `CASE WHEN count(*) = count(nullif(trim("Line Total"), '')) THEN sum("Line Total"::DECIMAL(38,6)) END`;
    const orders = {
      ...ORDERS_BY_ID,
      group: { by: 'Order ID', aggregate: { ...ORDERS_BY_ID.group.aggregate, amount } },
    };
    const dataset = await openWith('lines-blank', { 'lines.csv': lines }, { tables: { orders } });
    try {
      const rows = await readRejectedRows(dataset);
      expect(rows.map((r) => [r.line, r.column, r.error])).toEqual([[2, 'amount', 'required_null']]);
      expect(await dataset.db.rows('SELECT order_id, amount FROM orders')).toEqual([
        { order_id: '#2', amount: 5 },
      ]);
    } finally {
      dataset.close();
    }
  });

  it('leaves out an order one of whose lines cannot be read, rather than totalling it without that line', async () => {
    const lines = [
      'Order ID,Customer Email,Created At,Line Total',
      '#1,ada@example.com,2026-10-02 09:15,10.00',
      '#1,ada@example.com,2026-10-02 09:15,$1,200.00',
      '#1,ada@example.com,2026-10-02 09:15,4.00',
      '#2,grace@example.com,2026-10-03 10:00,5.00',
      '#9,"linus,example.com",2026-10-04 11:00,$3,000.00',
    ].join('\n');
    const dataset = await openWith(
      'lines-unreadable',
      { 'lines.csv': lines },
      { tables: { orders: ORDERS_BY_ID } },
    );
    try {
      // #1 would have been 14.00 without its $1,200 line: it is out, named by its first line.
      expect(await dataset.db.rows('SELECT order_id, amount FROM orders')).toEqual([
        { order_id: '#2', amount: 5 },
      ]);
      expect(dataset.problems.find((p) => p.rule === 'incomplete_group')).toMatchObject({
        severity: 'error',
        count: 1,
        examples: [
          {
            loc: 2,
            value: '#1',
            detail: `line 3 of ${join(dir, 'lines-unreadable', 'lines.csv')} cannot be read`,
          },
        ],
      });
      const rows = await readRejectedRows(dataset);
      expect(rows.map((r) => [r.line, r.error])).toEqual([
        [2, 'incomplete_group'],
        [3, 'too_many_fields'],
        [6, 'too_many_fields'],
      ]);
      expect(rows[0]?.raw).toBe('#1,ada@example.com,2026-10-02 09:15,10.00');
    } finally {
      dataset.close();
    }
  });

  it('finds the order of an unreadable line in its own file, with a stray comma before its id', async () => {
    const mapping = { tables: { orders: { ...ORDERS_BY_ID, files: '*.csv' } } };
    const dataset = await openWith(
      'lines-two-files',
      {
        // The second export puts the product first, and one product holds an unquoted comma.
        'a.csv': [
          'Order ID,Customer Email,Created At,Line Total',
          '#1,ada@example.com,2026-10-02 09:15,10.00',
        ].join('\n'),
        'b.csv': [
          'Product,Order ID,Customer Email,Created At,Line Total',
          'Bolt,#2,grace@example.com,2026-10-03 10:00,5.00',
          'Bolt, large,#2,grace@example.com,2026-10-03 10:00,1000.00',
          'Nut,#3,linus@example.com,2026-10-04 11:00,7.00',
        ].join('\n'),
      },
      mapping,
    );
    try {
      // #2 is out, not 5.00 without its 1,000.00 line; #1 (the field at position 0 of b.csv's
      // broken line reads "Bolt") is untouched.
      expect(await dataset.db.rows('SELECT order_id, amount FROM orders ORDER BY order_id')).toEqual([
        { order_id: '#1', amount: 10 },
        { order_id: '#3', amount: 7 },
      ]);
    } finally {
      dataset.close();
    }
  });

  it('warns when the lines of an order name different buyers, which any_value would pick one of', async () => {
    const lines = [
      'Order ID,Customer Email,Created At,Line Total',
      '#1,ada@example.com,2026-10-02 09:15,10.00',
      '#1,ADA@example.com,2026-10-02 09:15,4.00',
      '#2,grace@example.com,2026-10-03 10:00,5.00',
      '#2,grace@example.com,2026-10-03 10:00,6.00',
      '#3,linus@example.com,2026-10-04 11:00,7.00',
      '#3,,2026-10-04 11:00,8.00',
    ].join('\n');
    const dataset = await openWith(
      'lines-buyers',
      { 'lines.csv': lines },
      { tables: { orders: ORDERS_BY_ID } },
    );
    try {
      // A blank line names no other buyer (#3); min() of the dates is a choice, not a pick.
      expect(dataset.problems).toEqual([
        expect.objectContaining({
          severity: 'warning',
          rule: 'group_disagreement',
          column: 'customer_id',
          // One order whose lines disagree, not one row of the export.
          count: 1,
          counted: ['order', 'orders'],
          examples: [expect.objectContaining({ loc: 2, value: 'ADA@example.com | ada@example.com' })],
        }),
      ]);
      expect(dataset.problems[0]?.hint).toContain('first(... ORDER BY "<a column>")');
    } finally {
      dataset.close();
    }
    // Under a cast it is the same pick; with a FILTER, only the lines it keeps are compared.
    const pick = async (name: string, customer: string) => {
      const orders = {
        ...ORDERS_BY_ID,
        group: { by: 'Order ID', aggregate: { ...ORDERS_BY_ID.group.aggregate, customer_id: customer } },
      };
      const opened = await openWith(name, { 'lines.csv': lines }, { tables: { orders } });
      try {
        return opened.problems.map((p) => [p.rule, p.count]);
      } finally {
        opened.close();
      }
    };
    expect(await pick('lines-cast', 'any_value("Customer Email")::VARCHAR')).toEqual([
      ['group_disagreement', 1],
    ]);
    expect(
      await pick('lines-filter-all', `any_value("Customer Email") FILTER (WHERE "Line Total" <> '999')`),
    ).toEqual([['group_disagreement', 1]]);
    expect(
      await pick('lines-filter', `any_value("Customer Email") FILTER (WHERE "Line Total" <> '4.00')`),
    ).toEqual([]);
    // Saying which line wins is a choice: no warning.
    const chosen = {
      ...ORDERS_BY_ID,
      group: {
        by: 'Order ID',
        aggregate: {
          ...ORDERS_BY_ID.group.aggregate,
          customer_id: 'first("Customer Email" ORDER BY "Line Total")',
        },
      },
    };
    const decided = await openWith('lines-chosen', { 'lines.csv': lines }, { tables: { orders: chosen } });
    try {
      expect(decided.problems).toEqual([]);
    } finally {
      decided.close();
    }
  });

  it('refuses a column outside an aggregate, a window, an unknown group column and a group key aggregated', async () => {
    const dataset = await openWith(
      'lines-misfit',
      { 'lines.csv': LINES },
      {
        tables: {
          orders: {
            ...ORDERS_BY_ID,
            group: {
              by: 'Order ID',
              aggregate: {
                customer_id: '"Customer Email"',
                ordered_at: 'min("Created At") OVER ()',
                amount: 'sum("Line Totl"::DECIMAL(38,6))',
              },
            },
          },
        },
      },
    );
    try {
      const expected = (column: string) => dataset.problems.find((p) => p.column === column)?.expected;
      expect(expected('customer_id')).toMatch(
        /aggregate\.customer_id: .* uses the column "Customer Email" outside an aggregate: a group has many rows, so aggregate it .* or add it to group\.by$/,
      );
      expect(expected('ordered_at')).toMatch(/aggregate\.ordered_at: .* may not use a window function/);
      expect(expected('amount')).toMatch(/uses the column "Line Totl", .*did you mean "Line Total"\?/);
    } finally {
      dataset.close();
    }
    await expect(
      openWith(
        'lines-by',
        { 'lines.csv': LINES },
        { tables: { orders: { ...ORDERS_BY_ID, group: { by: 'Order' } } } },
      ),
    ).resolves.toMatchObject({
      problems: expect.arrayContaining([
        expect.objectContaining({
          expected: expect.stringMatching(
            /^tables\.orders\.group\.by: .*lines\.csv has no column "Order"; did you mean "Order ID"\?, so its rows cannot be grouped/,
          ),
        }),
      ]),
    });
    expect(() =>
      parseMapping(
        JSON.stringify({
          tables: {
            orders: {
              files: 'a.csv',
              group: { by: 'order_id', aggregate: { order_id: 'min(x)', amount: 1 } },
            },
          },
        }),
        'shop.json',
      ),
    ).toThrow(
      /shop\.json: tables\.orders\.group\.aggregate\.order_id: order_id is in group\.by, .*\n.*shop\.json: tables\.orders\.group\.aggregate\.amount: must be a SQL aggregate/,
    );
  });
});

describe('customers derived from the first order', () => {
  it('gives each buyer the day of their first order and nothing else, and says so', async () => {
    await withFixture('mapping-order-lines', async (dataset) => {
      expect(
        await dataset.db.rows(`SELECT customer_id, acquired_at, name, region FROM customers ORDER BY 1`),
      ).toEqual([
        { customer_id: 'ada@example.com', acquired_at: '2026-10-02', name: null, region: null },
        { customer_id: 'grace@example.com', acquired_at: '2026-09-20', name: null, region: null },
        { customer_id: 'linus@example.com', acquired_at: '2026-10-20', name: null, region: null },
      ]);
      expect(dataset.tables.find((t) => t.table === 'customers')).toMatchObject({
        derivedFrom: 'orders',
        note: 'Customers derived from the first order in orders_export_1.csv',
        rows: 3,
      });
      expect(dataset.has('customers', 'acquired_at')).toBe(true);
      expect(dataset.has('customers', 'region')).toBe(false);
      expect(await kpiRow(dataset, 'new_customers', '2026-10')).toMatchObject({ value: 2 });
    });
  });

  it('reckons the first order day in the time zone of the run', async () => {
    const data = join(dir, 'late');
    await mkdir(data, { recursive: true });
    await writeFile(
      join(data, 'orders.csv'),
      'order_id,customer_id,ordered_at,amount\nO1,C1,2026-10-31T23:30:00Z,10\nO2,C1,2026-11-02T10:00:00Z,5\n',
    );
    const mapping = join(dir, 'late.json');
    await writeFile(
      mapping,
      JSON.stringify({ tables: { orders: { files: 'orders.csv' }, customers: { from: 'orders' } } }),
    );
    const dataset = await openDataset({
      dataDir: data,
      mapping,
      now: TEST_NOW,
      timeZone: 'Europe/Berlin',
      threads: 1,
    });
    try {
      expect(await dataset.db.rows(`SELECT acquired_at FROM customers`)).toEqual([
        { acquired_at: '2026-11-01' },
      ]);
    } finally {
      dataset.close();
    }
  });

  it('refuses another table or source, and a mapping with nothing else to read', () => {
    expect(() =>
      parseMapping(
        JSON.stringify({
          tables: { orders: { files: 'o.csv' }, customers: { from: 'order' }, users: { from: 'orders' } },
        }),
        'm.json',
      ),
    ).toThrow(
      /tables\.customers\.from: must be "orders": .*\(got "order"\)\n.*tables\.users\.from: only customers can be derived \(from orders\); give users its "files" instead/,
    );
    expect(() =>
      parseMapping(JSON.stringify({ tables: { customers: { from: 'orders' } } }), 'm.json'),
    ).toThrow(
      'm.json: tables: tables.customers is derived from orders, which needs its files: add e.g. "orders": {"files": "orders.csv"}',
    );
  });
});

describe('customers whose first orders are all in the export', () => {
  const customers = (value: object) =>
    parseMapping(JSON.stringify({ tables: { orders: { files: 'o.csv' }, customers: value } }), 'shop.json');

  it('is a claim the mapping makes of derived customers, false unless it says true', () => {
    expect(customers({ from: 'orders' }).derived.get('customers')?.firstOrdersInExport).toBe(false);
    expect(
      customers({ from: 'orders', first_orders_in_export: true }).derived.get('customers')
        ?.firstOrdersInExport,
    ).toBe(true);
    expect(
      customers({ from: 'orders', first_orders_in_export: false }).derived.get('customers')
        ?.firstOrdersInExport,
    ).toBe(false);
  });

  it('refuses a value other than true or false, saying what each means', () => {
    for (const [value, got] of [
      ['yes', '"yes"'],
      ['true', '"true"'],
      [1, '1'],
      [null, 'null'],
    ] as const)
      expect(() => customers({ from: 'orders', first_orders_in_export: value })).toThrow(
        `the mapping shop.json has a problem:\n  shop.json: tables.customers.first_orders_in_export: must be true or false (got ${got}): true when the orders hold every customer's first order (a young shop's whole history, a first-purchase cohort), false (the default) when some customers may have bought before them`,
      );
  });

  it('refuses the claim without "from": on a customers file or another table', () => {
    expect(() => customers({ files: 'c.csv', first_orders_in_export: true })).toThrow(
      'shop.json: tables.customers.first_orders_in_export: goes with "from": "orders" (customers derived from their first order): write {"from": "orders", "first_orders_in_export": true}, or remove it when customers come from a file, whose acquired_at is then read as it is',
    );
    expect(() =>
      parseMapping(
        JSON.stringify({ tables: { orders: { files: 'o.csv', first_orders_in_export: true } } }),
        'shop.json',
      ),
    ).toThrow(
      'shop.json: tables.orders.first_orders_in_export: belongs to customers derived from orders ("customers": {"from": "orders", "first_orders_in_export": true}); remove it from orders',
    );
  });
});

describe('whitespace-separated files', () => {
  it('reads CDNOW-shaped lines (no header, CRLF, runs of spaces, yyyymmdd) into orders and customers', async () => {
    await withFixture('mapping-cdnow', async (dataset) => {
      expect(dataset.problems).toEqual([]);
      expect(dataset.tables.map((t) => [t.table, t.records, t.groups ?? null, t.loaded])).toEqual([
        ['customers', 5, null, 5],
        ['orders', 10, 9, 9],
      ]);
      expect(
        await dataset.db.rows(
          `SELECT order_id, ordered_at::DATE::VARCHAR AS day, amount FROM orders WHERE customer_id = '00002'`,
        ),
      ).toEqual([{ order_id: '00002-19970112', day: '1997-01-12', amount: 89 }]);
      // By the end of June 1997: 00003 (3 orders) and 00004 (2) bought again, of 5 buyers;
      // 00002's two lines of 12 January are one order.
      expect(await kpiRow(dataset, 'repeat_purchase_rate', '1997-06')).toMatchObject({
        numerator: 2,
        denominator: 5,
      });
      expect(await kpiRow(dataset, 'new_customers', '1997-01')).toMatchObject({ value: 5 });
    });
  });

  it('rejects a line with a missing value or an unreadable date, by its line, and reads a header line when told', async () => {
    const files = {
      'cd.txt':
        ' id  day cds dollars\r\n 00001 19970101  1   11.77\r\n\r\n 00002 1997xx12  1   12.00\r\n 00003 19970102  2\r\n',
    };
    const dataset = await openWith('ws', files, {
      tables: {
        orders: {
          files: 'cd.txt',
          csv: { delimiter: 'whitespace', header: true, columns: ['customer_id', 'date', 'cds', 'dollars'] },
          rename: { date: 'ordered_at', dollars: 'amount' },
          derive: { order_id: "customer_id || '-' || date" },
          dates: { ordered_at: '%Y%m%d' },
        },
      },
    });
    try {
      const rows = await readRejectedRows(dataset);
      expect(rows.map((r) => [r.line, r.error, r.message, r.raw])).toEqual([
        [
          4,
          'unparsable',
          '"1997xx12", expected a time written as "%Y%m%d" (the mapping\'s dates)',
          ' 00002 1997xx12  1   12.00',
        ],
        [
          5,
          'too_few_fields',
          '3 fields where the columns are 4 (customer_id, date, cds, dollars)',
          ' 00003 19970102  2',
        ],
      ]);
      expect(dataset.tables[0]).toMatchObject({ records: 3, rejected: 2, loaded: 1 });
      expect(dataset.problems.find((p) => p.rule === 'malformed_line')?.hint).toMatch(
        /a missing value cannot be left blank in a whitespace-separated file/,
      );
    } finally {
      dataset.close();
    }
  });

  it('says so when "header": false meets a first line that names the columns, and reads no line as data', async () => {
    const files = { 'cd.txt': ' customer_id date number_of_cds dollar_value\n 00001 19970101  1   11.77\n' };
    const dataset = await openWith('ws-header', files, {
      tables: {
        orders: {
          files: 'cd.txt',
          csv: { delimiter: 'whitespace', header: false, columns: ['customer_id', 'date', 'cds', 'dollars'] },
          rename: { date: 'ordered_at', dollars: 'amount' },
          derive: { order_id: "customer_id || '-' || date" },
          dates: { ordered_at: '%Y%m%d' },
        },
      },
    });
    try {
      expect(dataset.problems.find((p) => p.rule === 'malformed_header')).toMatchObject({
        severity: 'error',
        expected:
          'data on line 1 (csv.header is false), not column names: customer_id date number_of_cds dollar_value',
        hint: 'set "header": true under csv in the mapping (csv.columns still names the columns)',
      });
    } finally {
      dataset.close();
    }
    // A first line of data is data, even without digits in every value.
    const words = await openWith(
      'ws-words',
      { 'cd.txt': ' alpha 19970101 1 11.77\n beta 19970102 1 2.00\n' },
      {
        tables: {
          orders: {
            files: 'cd.txt',
            csv: {
              delimiter: 'whitespace',
              header: false,
              columns: ['customer_id', 'date', 'cds', 'dollars'],
            },
            rename: { date: 'ordered_at', dollars: 'amount' },
            derive: { order_id: "customer_id || '-' || date" },
            dates: { ordered_at: '%Y%m%d' },
          },
        },
      },
    );
    try {
      expect(words.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(words.tables[0]).toMatchObject({ records: 2, loaded: 2 });
    } finally {
      words.close();
    }
  });

  it('needs the columns without a header, and takes header and columns only with whitespace', () => {
    const parse = (csv: object) =>
      parseMapping(JSON.stringify({ tables: { orders: { files: 'a.txt', csv } } }), 'm.json');
    expect(() => parse({ delimiter: 'whitespace', header: false })).toThrow(
      'm.json: tables.orders.csv.columns: is missing: give the columns\' names in order, e.g. ["customer_id", "date", "cds", "dollars"] (the file has no header line)',
    );
    expect(() => parse({ delimiter: ';', header: false })).toThrow(
      'm.json: tables.orders.csv.header: is read only with "delimiter": "whitespace"; a CSV file names its columns in its first line',
    );
    expect(() => parse({ delimiter: 'whitespace', columns: ['a', 'A'] })).toThrow(/"A" is given twice/);
  });
});

it('mappings/README.md shows the tested mappings of these shapes', async () => {
  const readme = await readFile(`${TOOLKIT_ROOT}/mappings/README.md`, 'utf8');
  const examples = [...readme.matchAll(/```json\n([\s\S]*?)```/g)]
    .map((m) => m[1] ?? '')
    .filter((text) => text.includes('"group"') && !text.includes('<contract table>'))
    .map((text) => JSON.parse(text).tables);
  const fixture = async (name: string) =>
    JSON.parse(await readFile(`${FIXTURES}/${name}.json`, 'utf8')).tables;
  expect(examples).toEqual([await fixture('mapping-order-lines'), await fixture('mapping-cdnow')]);
});
