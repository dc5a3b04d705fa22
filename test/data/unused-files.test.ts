// Every file of the data folder no table reads is named with the reason, and a file that looks
// like a vendor export (by its header line only) gets the preset to try, or else the contract
// table it resembles with a mapping to start from.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../lib/data/dataset.ts';
import { readHeaderLine, suggestMapping } from '../../lib/data/export-sniff.ts';
import { readPresets } from '../../lib/data/mapping-file.ts';
import { noTablesProblem } from '../../lib/data/unused-files.ts';
import { TEST_NOW } from '../helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-unused-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function folder(name: string, files: Record<string, string>): Promise<string> {
  const path = join(dir, name);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(path, file, '..'), { recursive: true });
    await writeFile(join(path, file), text);
  }
  return path;
}

describe('files no table reads', () => {
  it('names each with the reason, skipping hidden files and the files tables read', async () => {
    const data = await folder('mixed', {
      'orders.csv': 'order_id,customer_id,ordered_at,amount\nO1,C1,2026-10-01,5\n',
      'customers.csv': 'customer_id,acquired_at\nC1,2026-10-01\n',
      'pipeline.csv': 'a,b\n1,2\n',
      'notes.txt': 'hello\n',
      '.DS_Store': 'x',
      'old/opportunities.csv': 'opportunity_id\n',
    });
    const dataset = await openDataset({ dataDir: data, now: TEST_NOW, threads: 1 });
    try {
      expect(dataset.unusedFiles.map((u) => [u.file, u.reason])).toEqual([
        ['notes.txt', 'not_csv_or_parquet'],
        ['old/opportunities.csv', 'in_subfolder'],
        ['pipeline.csv', 'not_a_table_name'],
      ]);
      expect(noTablesProblem(dataset, dataset.unusedFiles)).toBeUndefined();
    } finally {
      dataset.close();
    }
    const mapping = join(dir, 'mixed.json');
    await writeFile(
      mapping,
      JSON.stringify({ tables: { orders: { files: 'orders.csv' }, customers: { from: 'orders' } } }),
    );
    const mapped = await openDataset({ dataDir: data, mapping, now: TEST_NOW, threads: 1 });
    try {
      expect(mapped.unusedFiles.map((u) => [u.file, u.reason, u.why])).toEqual([
        [
          'customers.csv',
          'table_mapped_elsewhere',
          'named after customers, which the mapping derives from orders',
        ],
        [
          'notes.txt',
          'not_csv_or_parquet',
          "not CSV or Parquet by its name, and no mapping key's files matches it",
        ],
        [
          'old/opportunities.csv',
          'in_subfolder',
          expect.stringMatching(/^named after opportunities, but in a subfolder/),
        ],
        [
          'pipeline.csv',
          'no_mapping_key',
          `no mapping key's files matches it (tables.orders.files ["orders.csv"]), and it is not named after a contract table`,
        ],
      ]);
    } finally {
      mapped.close();
    }
  });

  it('makes a folder that yields no table an error with the fix', async () => {
    const data = await folder('none', { 'deals.csv': 'x,y\n1,2\n' });
    const dataset = await openDataset({ dataDir: data, now: TEST_NOW, threads: 1 });
    try {
      expect(noTablesProblem(dataset, dataset.unusedFiles)).toMatchObject({
        severity: 'error',
        rule: 'no_tables',
        expected: expect.stringMatching(/its 1 file is not used \(listed above\)$/),
        hint: expect.stringMatching(/^pass --mapping with a preset \(salesforce, hubspot, pipedrive\)/),
      });
    } finally {
      dataset.close();
    }
  });
});

describe('what an unused file looks like', () => {
  const suggest = async (file: string, text: string) => {
    const data = await folder(`sniff-${file.replace(/\W/g, '')}`, { [file]: text });
    return suggestMapping(data, file, await readPresets());
  };

  it('names the preset of a vendor export, and the file name the preset expects', async () => {
    expect(
      await suggest(
        'pipeline.csv',
        'Opportunity Name,Account Name,Stage,Close Date,Amount,Opportunity Owner\n',
      ),
    ).toMatchObject({
      preset: 'salesforce',
      message: expect.stringMatching(
        /^looks like a Salesforce opportunity report export \(opportunities: .*\): try --mapping salesforce; the preset reads files named "report\*\.csv" or "\*opportunit\*\.csv": rename the file, or copy mappings\/salesforce\.json/,
      ),
    });
    expect(
      await suggest(
        'hubspot-deals.csv',
        '\uFEFFRecord ID,Deal Name,Deal Stage,Close Date,Amount,Create Date\r\n',
      ),
    ).toMatchObject({ preset: 'hubspot', message: expect.stringMatching(/: try --mapping hubspot$/) });
    expect(
      await suggest(
        'deals.csv',
        'Deal - ID,Deal - Title,Deal - Value,Deal - Status,Deal - Owner,Deal - Stage\n',
      ),
    ).toMatchObject({ preset: 'pipedrive' });
  });

  it('otherwise names the contract table it resembles, with a mapping to start from', async () => {
    const found = await suggest(
      'sales_pipeline.csv',
      'opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n',
    );
    expect(found?.table).toBe('opportunities');
    expect(JSON.parse(found?.mapping ?? '')).toEqual({
      tables: {
        opportunities: {
          files: 'sales_pipeline.csv',
          rename: {
            account: 'customer_id',
            sales_agent: 'owner_id',
            close_value: 'amount',
            engage_date: 'created_at',
            close_date: 'closed_at',
            deal_stage: 'status',
          },
        },
      },
    });
    expect(await suggest('products.csv', 'product,series,sales_price\n')).toBeUndefined();
  });

  it('reads a whitespace-separated file as such, with or without a header line', async () => {
    const data = await folder('ws-sniff', {
      'with.txt': ' customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n',
      'without.txt': ' 00004 0001 19970101  2   29.33\r\n',
    });
    expect(await readHeaderLine(join(data, 'without.txt'))).toEqual({
      delimiter: 'whitespace',
      columns: [],
      fields: 5,
    });
    const presets = await readPresets();
    expect(await suggestMapping(data, 'with.txt', presets)).toMatchObject({
      table: 'orders',
      message: expect.stringMatching(/orders also needs order_id, which no column looks like/),
    });
    expect((await suggestMapping(data, 'without.txt', presets))?.message).toMatch(
      /^columns separated by spaces, no header line \(read with "csv": \{"delimiter":"whitespace","header":false,"columns":\["column1",/,
    );
  });
});
