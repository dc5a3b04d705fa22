// Mapping files: every mistake is reported at once with the file, the key and what is wrong;
// a mapping that does not fit the export, a missing required column or a wrong-typed column
// stops KPIs before they run and names the mapping key that fixes it.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../lib/data/database.ts';
import { assertNoErrors, type Dataset, openDataset } from '../../lib/data/dataset.ts';
import { globToRegExp } from '../../lib/data/glob.ts';
import { parseMapping } from '../../lib/data/mapping.ts';
import type { Problem } from '../../lib/data/problems.ts';
import { kpiRow, TEST_NOW } from '../helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-mapping-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function folder(name: string, files: Record<string, string>): Promise<string> {
  const path = join(dir, name);
  await mkdir(path, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(path, file), text);
  return path;
}

async function open(
  data: string,
  mapping: object,
  options: { allowRejects?: boolean } = {},
): Promise<Dataset> {
  const file = join(dir, `${data.split('/').at(-1)}.json`);
  await writeFile(file, JSON.stringify(mapping, null, 2));
  return openDataset({ dataDir: data, now: TEST_NOW, mapping: file, threads: 1, ...options });
}

const DEALS = [
  'Deal ID,Stage,Created,Closed,Amount,Owner',
  'D1,Closed Won,9/1/2026,10/11/2026,"1,000.00",Ada',
  'D2,closed won,9/21/2026,10/21/2026,2500,Grace',
  'D3,Closed Lost,10/1/2026,10/15/2026,800,Ada',
  'D4,Proposal,10/5/2026,,5000,Ada',
].join('\n');

describe('parsing a mapping', () => {
  it('lists every mistake with the file, the key and what is wrong', () => {
    const text = JSON.stringify({
      tables: {
        opportunitys: { files: 'a.csv' },
        opportunities: {
          files: 'deals.csv',
          wher: "Stage <> 'x'",
          rename: { 'Close Date': 'close_at' },
          dates: { amount: '%m/%d/%Y', closed_at: '%m/%q/%Y' },
          values: { status: 'won' },
          derive: { kind: '' },
          csv: { delimiter: ';;' },
        },
        customers: {},
      },
    });
    let message = '';
    try {
      parseMapping(text, 'crm.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'the mapping crm.json has 9 problems:',
      '  crm.json: tables.opportunitys: "opportunitys" is not a contract table; did you mean "opportunities"?',
      '  crm.json: tables.opportunities.wher: unknown key; did you mean "where"? (keys: description, files, csv, where, rename, derive, values, dates, constants, defaults, group)',
      expect.stringMatching(
        /^ {2}crm\.json: tables\.opportunities\.rename\."Close Date": "close_at" is not a column of opportunities; did you mean "closed_at"\? \(columns: opportunity_id, .*\)$/,
      ),
      '  crm.json: tables.opportunities.derive.kind: must be a SQL expression over the export\'s columns, e.g. "\\"Amount\\" * 100"',
      '  crm.json: tables.opportunities.values.status: must map export values to contract values, e.g. {"Closed Won": "won", "*": "open"}',
      '  crm.json: tables.opportunities.dates.amount: amount is money, not a date or timestamp',
      '  crm.json: tables.opportunities.dates.closed_at: "%m/%q/%Y" is not a strptime format (unknown %q); e.g. "%m/%d/%Y" for 3/31/2026 or "%d.%m.%Y %H:%M" for 31.03.2026 14:05',
      '  crm.json: tables.opportunities.csv.delimiter: must be one ASCII character such as "," ";" or "\\t", or "whitespace" for columns separated by runs of spaces',
      '  crm.json: tables.customers.files: is missing: give a file name or pattern, e.g. "deals*.csv"',
    ]);
  });

  it('says where JSON syntax breaks', () => {
    expect(() =>
      parseMapping('{\n  "tables": {\n    "opportunities": {"files": "a.csv",}\n  }\n}', 'crm.json'),
    ).toThrow(/^crm\.json: not valid JSON: .* at line 3, column \d+$/);
  });

  it('refuses a column set twice, and value maps that repeat a value', () => {
    const text = JSON.stringify({
      tables: {
        opportunities: {
          files: 'deals.csv',
          rename: { Closed: 'closed_at' },
          derive: { closed_at: '"Closed"' },
          values: { status: { Won: 'won', ' won ': 'won' } },
        },
      },
    });
    expect(() => parseMapping(text, 'crm.json')).toThrow(
      'crm.json: tables.opportunities.derive.closed_at: closed_at is set more than once (rename.Closed, derive.closed_at); keep one',
    );
    expect(() => parseMapping(text, 'crm.json')).toThrow(
      'crm.json: tables.opportunities.values.status." won ": values match ignoring case and spaces, so this is the same as "Won"; keep one',
    );
  });

  it('matches file patterns relative to the data folder, ignoring case', () => {
    expect(globToRegExp('report*.csv').test('Report1700000000.CSV')).toBe(true);
    expect(globToRegExp('report*.csv').test('sub/report1.csv')).toBe(false);
    expect(globToRegExp('**/deals-{2025,2026}.csv').test('exports/q3/deals-2026.csv')).toBe(true);
    expect(globToRegExp('deals?.csv').test('deals1.csv')).toBe(true);
  });
});

describe('a mapping against the export', () => {
  it('renames, maps values, parses dates and derives columns into correct KPIs', async () => {
    const data = await folder('fits', { 'deals.csv': DEALS });
    const dataset = await open(data, {
      tables: {
        opportunities: {
          files: 'deals.csv',
          rename: {
            'Deal ID': 'opportunity_id',
            Created: 'created_at',
            Closed: 'closed_at',
            Owner: 'owner_id',
            Stage: ['status', 'stage'],
          },
          derive: { amount: "replace(\"Amount\", ',', '')" },
          values: { status: { 'Closed Won': 'won', 'Closed Lost': 'lost', '*': 'open' } },
          dates: { created_at: '%m/%d/%Y', closed_at: '%m/%d/%Y' },
          constants: { kind: 'new_business' },
          defaults: { channel: 'unknown' },
        },
      },
    });
    try {
      expect(dataset.problems).toEqual([]);
      expect(await kpiRow(dataset, 'close_rate', '2026-10')).toMatchObject({ numerator: 2, denominator: 3 });
      expect(await kpiRow(dataset, 'won_revenue', '2026-10')).toMatchObject({ value: 3500 });
      expect(await kpiRow(dataset, 'sales_cycle_days', '2026-10')).toMatchObject({ value: 35 });
      expect(
        await dataset.db.rows(
          `SELECT kind, channel, stage, amount FROM opportunities WHERE opportunity_id = 'D1'`,
        ),
      ).toEqual([{ kind: 'new_business', channel: 'unknown', stage: 'Closed Won', amount: 1000 }]);
    } finally {
      dataset.close();
    }
  });

  it('passes the export columns it renames through for pulse query, by their own names', async () => {
    const data = await folder('renamed-through', {
      'tickets.csv': 'Ticket Number,created_at,Queue\nT1,2026-10-01T10:00:00Z,a\n',
    });
    const dataset = await open(data, {
      tables: { tickets: { files: 'tickets.csv', rename: { 'Ticket Number': 'ticket_id' } } },
    });
    try {
      expect(
        await dataset.db.rows('SELECT "Ticket Number" AS number, ticket_id, Queue AS queue FROM tickets'),
      ).toEqual([{ number: 'T1', ticket_id: 'T1', queue: 'a' }]);
    } finally {
      dataset.close();
    }
  });

  it('names the mapping key, the column it uses and the columns there are when a derived column or where does not fit', async () => {
    const data = await folder('misfit', { 'deals.csv': DEALS });
    const dataset = await open(data, {
      tables: {
        opportunities: {
          files: 'deals.csv',
          where: '"Stag" <> \'Proposal\'',
          rename: { 'Deal ID': 'opportunity_id', Created: 'created_at', Stage: 'status', Owners: 'owner_id' },
          derive: {
            closed_at: '"Close Date"',
            amount: '(SELECT max("Amount") FROM deals)',
            kind: '1); DROP TABLE users; SELECT (1',
          },
          dates: { created_at: '%m/%d/%Y' },
        },
      },
    });
    try {
      const mapping = (column: string) =>
        dataset.problems.find((p) => p.rule === 'mapping' && p.column === column);
      const file = `${data}/deals.csv`;
      expect(mapping('closed_at')).toMatchObject({
        severity: 'error',
        expected: `tables.opportunities.derive.closed_at: "\\"Close Date\\"" uses the column "Close Date", which ${file} does not have; did you mean "Closed"? (columns: Deal ID, Stage, Created, Closed, Amount, Owner)`,
      });
      expect(mapping('amount')?.expected).toMatch(/derive\.amount: .* may not use a subquery/);
      expect(mapping('kind')?.expected).toMatch(
        /derive\.kind: .* must be one SQL expression \(no statements, FROM or ;\)/,
      );
      expect(mapping('(where)')?.expected).toMatch(
        /tables\.opportunities\.where: .*uses the column "Stag", .*did you mean "Stage"\?/,
      );
      expect(mapping('owner_id')).toMatchObject({ severity: 'warning' });
      expect(mapping('owner_id')?.expected).toMatch(
        /rename\.Owners: .* has no column "Owners"; did you mean "Owner"\?, so owner_id is empty/,
      );
      expect(() => assertNoErrors(dataset)).toThrow(
        /no KPI is computed from broken data[\s\S]*derive\.closed_at/,
      );
    } finally {
      dataset.close();
    }
  });

  it("says a derive that fails on a row is the mapping's, with its key and the fix, not DuckDB's query", async () => {
    const data = await folder('derive-fails', {
      'tickets.csv': 'ticket_id,Cust,created_at\nT1,1,2026-10-01\nT2,zz,2026-10-02\n',
      'customers.csv': 'customer_id,acquired_at\n1,2026-01-01\n',
    });
    const opening = open(data, {
      tables: {
        tickets: { files: 'tickets.csv', derive: { customer_id: 'CAST(Cust AS INTEGER)' } },
        customers: { files: 'customers.csv' },
      },
    });
    await expect(opening).rejects.toMatchObject({ code: 'data_invalid' });
    await expect(opening).rejects.toThrow(
      /tickets\.csv: the mapping's SQL for tables\.tickets\.derive\.customer_id \(.*derive-fails\.json\) fails on a row: Conversion Error: Could not convert string 'zz'.*TRY_CAST/,
    );
  });

  it('fails a wrong-typed column before any KPI, naming the file, expected and found, and the dates key', async () => {
    const data = await folder('wrong-type', {
      'opportunities.csv': DEALS.replace('Deal ID', 'opportunity_id')
        .replace('Created', 'created_at')
        .replace('Stage', 'status'),
    });
    const dataset = await openDataset({ dataDir: data, now: TEST_NOW, threads: 1, allowRejects: true });
    try {
      const problem = dataset.problems.find((p) => p.rule === 'wrong_type') as Problem;
      expect(problem).toMatchObject({
        severity: 'error',
        table: 'opportunities',
        column: 'created_at',
        count: 4,
      });
      expect(problem.expected).toMatch(/^an ISO 8601 timestamp .*; none of its 4 values is$/);
      expect(problem.examples.map((e) => e.value)).toEqual([
        '9/1/2026',
        '9/21/2026',
        '10/1/2026',
        '10/5/2026',
      ]);
      expect(problem.hint).toBe(
        'map it with --mapping FILE, a JSON file with {"tables": {"opportunities": {"files": "opportunities.csv", "dates": {"created_at": "%m/%d/%Y"}}}} (see mappings/README.md)',
      );
      // Even with rejects allowed: a wrong column is not a few bad rows.
      expect(() => assertNoErrors(dataset)).toThrow(
        /error opportunities, column created_at: column has the wrong type in .*opportunities\.csv \(expected an ISO 8601 timestamp .*; none of its 4 values is\); e\.g\. line 2 "9\/1\/2026", line 3 "9\/21\/2026", line 4 "10\/1\/2026"\n {4}fix: .*"dates": \{"created_at": "%m\/%d\/%Y"\}/,
      );
    } finally {
      dataset.close();
    }
  });

  it('names the file, the expected and found columns and the rename that fixes a missing required column', async () => {
    const data = await folder('missing', { 'deals.csv': DEALS });
    const dataset = await open(data, {
      tables: {
        opportunities: {
          files: 'deals.csv',
          rename: { 'Deal ID': 'opportunity_id', 'Create Date': 'created_at', Stage: 'status' },
          values: { status: { 'Closed Won': 'won', 'Closed Lost': 'lost', '*': 'open' } },
        },
      },
    });
    try {
      const problem = dataset.problems.find((p) => p.rule === 'missing_column');
      expect(problem).toMatchObject({ severity: 'error', column: 'created_at', file: `${data}/deals.csv` });
      expect(problem?.expected).toBe(
        'a column named created_at (found: Deal ID, Stage, Created, Closed, Amount, Owner)',
      );
      expect(problem?.hint).toBe(
        `the mapping renames "Create Date" to created_at, but ${data}/deals.csv has no such column; add "rename": {"Created": "created_at"} under tables.opportunities in ${dir}/missing.json`,
      );
      expect(() => assertNoErrors(dataset)).toThrow(
        /required column is missing in .*deals\.csv \(expected a column named created_at \(found: Deal ID/,
      );
    } finally {
      dataset.close();
    }
  });

  it('says which pattern matched no file, and what the folder holds', async () => {
    const data = await folder('nothing', { 'deals.csv': DEALS });
    await expect(open(data, { tables: { opportunities: { files: 'report*.csv' } } })).rejects.toThrow(
      /nothing\.json: none of its tables' files is in .*nothing \(tables\.opportunities\.files \["report\*\.csv"\]; found: deals\.csv\); pass the export's folder with --data DIR/,
    );
  });

  it('finds a preset by name, and lists the presets for an unknown one', async () => {
    const data = await folder('preset', { 'deals.csv': DEALS });
    await expect(
      openDataset({ dataDir: data, now: TEST_NOW, mapping: join(dir, 'salesforc') }),
    ).rejects.toThrow(
      /mapping .*salesforc does not exist; give a JSON mapping file or a preset: hubspot, pipedrive, salesforce/,
    );
  });

  it('fails a Parquet column whose type cannot be the contract type', async () => {
    const data = await folder('parquet-type', {});
    const db = await Database.open();
    try {
      await db.run(
        `COPY (SELECT 'C1' AS customer_id, true AS acquired_at) TO '${data}/customers.parquet' (FORMAT parquet)`,
      );
    } finally {
      db.close();
    }
    const dataset = await openDataset({ dataDir: data, now: TEST_NOW, threads: 1 });
    try {
      expect(dataset.problems).toMatchObject([
        {
          rule: 'wrong_type',
          column: 'acquired_at',
          expected: 'an ISO date such as 2026-10-31 (found a column of type BOOLEAN)',
        },
      ]);
    } finally {
      dataset.close();
    }
  });
});
