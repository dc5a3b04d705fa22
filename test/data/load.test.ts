import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../lib/data/database.ts';
import { openDataset } from '../../lib/data/dataset.ts';
import { TEST_NOW } from '../helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-load-'));
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

/** Writes Parquet with DuckDB, as a CRM export pipeline would. */
async function writeParquet(path: string, select: string): Promise<void> {
  const db = await Database.open();
  try {
    await db.run(`COPY (${select}) TO '${path}' (FORMAT parquet)`);
  } finally {
    db.close();
  }
}

describe('loading a data folder', () => {
  it('reads timestamps without offset as UTC and honours explicit offsets, whatever the report zone; a date alone is that day in the zone', async () => {
    const data = await folder('offsets', {
      'leads.csv':
        'lead_id,created_at,status\nL1,2026-10-01T10:00:00,open\nL2,2026-10-01T10:00:00+02:00,open\nL3,2026-10-01 10:00:00Z,open\nL4,2026-10-01,open\n',
    });
    const dataset = await openDataset({ dataDir: data, now: TEST_NOW, timeZone: 'America/New_York' });
    try {
      const rows = await dataset.db.rows(
        `SELECT lead_id, strftime(timezone('UTC', created_at), '%Y-%m-%d %H:%M') AS utc FROM leads ORDER BY lead_id`,
      );
      expect(rows).toEqual([
        { lead_id: 'L1', utc: '2026-10-01 10:00' },
        { lead_id: 'L2', utc: '2026-10-01 08:00' },
        { lead_id: 'L3', utc: '2026-10-01 10:00' },
        { lead_id: 'L4', utc: '2026-10-01 04:00' }, // 1 October starts at 04:00 UTC in New York
      ]);
    } finally {
      dataset.close();
    }
  });

  it('gives every contract column to a table with only its required ones, and empty tables for absent ones', async () => {
    const data = await folder('minimal', {
      'orders.csv': 'order_id,customer_id,ordered_at,amount\nA1,C1,2026-10-01,12.5\n',
    });
    const dataset = await openDataset({ dataDir: data, now: TEST_NOW });
    try {
      expect(dataset.problems).toEqual([]);
      expect(await dataset.db.rows('SELECT order_id, amount, cost, product FROM orders')).toEqual([
        { order_id: 'A1', amount: 12.5, cost: null, product: null },
      ]);
      expect(await dataset.db.rows('SELECT count(*) AS n FROM tickets')).toEqual([{ n: 0 }]);
      expect(dataset.has('orders', 'amount')).toBe(true);
      expect(dataset.has('orders', 'cost')).toBe(false);
      expect(dataset.has('tickets')).toBe(false);
    } finally {
      dataset.close();
    }
  });

  it("reads the contract's columns written in other letters or with spaces around, as DuckDB reads names", async () => {
    const data = await folder('letters', {
      'customers.csv':
        'CUSTOMER_ID, Segment ,Acquired_At,Territory\nC1,SMB,2026-01-05,EMEA\nC2,Enterprise,2026-02-05,AMER\n',
      'orders.csv': 'ORDER_ID,Customer_Id,ORDERED_AT,AMOUNT\nA1,C1,2026-10-01,12.5\nA2,C2,2026-10-02,7.5\n',
    });
    const dataset = await openDataset({ dataDir: data, now: TEST_NOW });
    try {
      expect(dataset.problems).toEqual([]);
      expect(dataset.has('customers', 'segment')).toBe(true);
      expect(
        await dataset.db.rows(
          'SELECT c.segment, c.territory AS territory, sum(o.amount) AS amount FROM orders o JOIN customers c USING (customer_id) GROUP BY ALL ORDER BY 1',
        ),
      ).toEqual([
        { segment: 'Enterprise', territory: 'AMER', amount: 7.5 },
        { segment: 'SMB', territory: 'EMEA', amount: 12.5 },
      ]);
    } finally {
      dataset.close();
    }
  });

  it("reads no column as the contract's when the export has it twice in other letters", async () => {
    // The CSV reader (and DuckDB's for Parquet) names the second AMOUNT amount_1: the column named
    // amount would be passed over for the other, without a word.
    const data = await folder('letters-twice', {
      'orders.csv':
        'order_id,customer_id,ordered_at,AMOUNT,amount\nA1,C1,2026-10-01,5,12.5\nA2,C2,2026-10-02,7,7.5\n',
    });
    await writeParquet(
      join(data, 'leads.parquet'),
      "SELECT 'L1' AS lead_id, TIMESTAMP '2026-10-01 10:00:00' AS created_at, 'Open' AS STATUS, 'open' AS status",
    );
    const dataset = await openDataset({ dataDir: data, now: TEST_NOW });
    try {
      expect(dataset.has('orders', 'amount')).toBe(false);
      expect(dataset.has('leads', 'status')).toBe(false);
      expect(
        dataset.problems.filter((p) => p.severity === 'error').map((p) => `${p.table}.${p.column}`),
      ).toEqual(expect.arrayContaining(['orders.amount', 'leads.status']));
    } finally {
      dataset.close();
    }
  });

  it('passes a lookalike it does not read through, beside the column it reads', async () => {
    const data = await folder('lookalike', {});
    await writeParquet(
      join(data, 'customers.parquet'),
      `SELECT 'C1' AS customer_id, DATE '2026-01-05' AS acquired_at, 'SMB' AS segment, 'Mid' AS " segment"`,
    );
    const dataset = await openDataset({ dataDir: data, now: TEST_NOW });
    try {
      expect(await dataset.db.rows('SELECT segment, " segment" AS other FROM customers')).toEqual([
        { segment: 'SMB', other: 'Mid' },
      ]);
    } finally {
      dataset.close();
    }
  });

  it('reads a Parquet file and a hive-partitioned folder of Parquet files, keeping extra columns', async () => {
    const data = await folder('parquet', {});
    await writeParquet(
      join(data, 'customers.parquet'),
      `SELECT 'C' || i AS customer_id, DATE '2025-01-01' + i::INTEGER AS acquired_at, 'x' AS crm_note FROM range(3) t(i)`,
    );
    await mkdir(join(data, 'orders', 'year=2026'), { recursive: true });
    await writeParquet(
      join(data, 'orders', 'year=2026', 'part-0.parquet'),
      `SELECT 'A' || i AS order_id, 'C1' AS customer_id, TIMESTAMP '2026-10-01 10:00:00' AS ordered_at, 10.25::DECIMAL(18,2) AS amount FROM range(4) t(i)`,
    );
    const dataset = await openDataset({ dataDir: data, now: TEST_NOW });
    try {
      expect(dataset.problems).toEqual([]);
      expect(dataset.tables.map((t) => [t.table, t.format, t.rows])).toEqual([
        ['customers', 'parquet', 3],
        ['orders', 'parquet-folder', 4],
      ]);
      expect(await dataset.db.rows('SELECT sum(amount) AS total, max(year) AS year FROM orders')).toEqual([
        { total: 41, year: 2026 },
      ]);
      expect(await dataset.db.rows(`SELECT crm_note FROM customers LIMIT 1`)).toEqual([{ crm_note: 'x' }]);
    } finally {
      dataset.close();
    }
  });

  it('refuses two forms of one table', async () => {
    const data = await folder('two-forms', { 'orders.csv': 'order_id\n' });
    await writeParquet(join(data, 'orders.parquet'), `SELECT 'A1' AS order_id`);
    await expect(openDataset({ dataDir: data, now: TEST_NOW })).rejects.toThrow(
      /table orders is given 2 times .*keep exactly one of orders.csv, orders.parquet or orders\//,
    );
  });

  it('says which folder cannot be read and how to point at another', async () => {
    await expect(openDataset({ dataDir: join(dir, 'nope'), now: TEST_NOW })).rejects.toThrow(
      /data folder .*nope cannot be read \(ENOENT\); pass --data DIR or set PULSE_DATA/,
    );
  });

  it('refuses an unknown time zone', async () => {
    await expect(openDataset({ dataDir: dir, now: TEST_NOW, timeZone: 'Mars/Olympus' })).rejects.toThrow(
      /unknown time zone "Mars\/Olympus"/,
    );
  });
});
