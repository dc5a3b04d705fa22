// The sample generator, checked with a real DuckDB on a small run: reproducible to the byte,
// complete against the data contract, valid (keys, references, dates), and shaped like a
// real business (close rate, churn, NPS in believable ranges).

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT, type ColumnType } from '../../lib/data/contract.ts';
import { generateSample } from '../../tools/generate-sample.ts';

const CUSTOMERS = 300;
const PARQUET_TYPES: Readonly<Record<ColumnType, string>> = {
  id: 'VARCHAR',
  text: 'VARCHAR',
  ts: 'TIMESTAMP',
  date: 'DATE',
  money: 'DECIMAL(18,2)',
  int: 'INTEGER',
  bool: 'BOOLEAN',
  double: 'DOUBLE',
};

let root: string;
let first: string;
let again: string;
let otherSeed: string;
let instance: DuckDBInstance;
let db: DuckDBConnection;

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await db.runAndReadAll(sql)).getRowObjectsJson();
}

async function scalar(sql: string): Promise<number> {
  const [row] = await rows(sql);
  return Number(Object.values(row ?? {})[0]);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'crm-pulse-sample-'));
  [first, again, otherSeed] = ['first', 'again', 'other'].map((name) => join(root, name)) as [
    string,
    string,
    string,
  ];
  await generateSample({ seed: 7, outDir: first, customers: CUSTOMERS });
  await generateSample({ seed: 7, outDir: again, customers: CUSTOMERS });
  await generateSample({ seed: 8, outDir: otherSeed, customers: CUSTOMERS });
  instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  db = await instance.connect();
  for (const table of CONTRACT) {
    await db.run(
      `CREATE VIEW ${table.name} AS SELECT * FROM read_parquet('${join(first, `${table.name}.parquet`)}')`,
    );
  }
});

afterAll(async () => {
  db?.closeSync();
  instance?.closeSync();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('generateSample', () => {
  it('writes byte-identical files for the same seed', async () => {
    const files = (await readdir(first)).sort();
    expect(files).toEqual((await readdir(again)).sort());
    for (const file of files) {
      expect((await readFile(join(first, file))).equals(await readFile(join(again, file))), file).toBe(true);
    }
  });

  it('writes different data for a different seed', async () => {
    for (const table of ['customers', 'leads', 'opportunities', 'tickets']) {
      const a = await readFile(join(first, `${table}.parquet`));
      const b = await readFile(join(otherSeed, `${table}.parquet`));
      expect(a.equals(b), table).toBe(false);
    }
  });

  it('writes every contract table with every contract column and type', async () => {
    expect((await readdir(first)).sort()).toEqual(CONTRACT.map((t) => `${t.name}.parquet`).sort());
    for (const table of CONTRACT) {
      const described = await rows(`DESCRIBE ${table.name}`);
      const found = Object.fromEntries(described.map((c) => [c.column_name, c.column_type]));
      const expected = Object.fromEntries(table.columns.map((c) => [c.name, PARQUET_TYPES[c.type]]));
      expect(found, table.name).toEqual(expected);
      expect(await scalar(`SELECT count(*) FROM ${table.name}`), table.name).toBeGreaterThan(0);
    }
  });

  it('fills required columns and uses only the contract values', async () => {
    for (const table of CONTRACT) {
      for (const column of table.columns) {
        if (column.required) {
          const nulls = await scalar(`SELECT count(*) FROM ${table.name} WHERE ${column.name} IS NULL`);
          expect(nulls, `${table.name}.${column.name} NULLs`).toBe(0);
        }
        if (column.values) {
          const allowed = column.values.map((v) => `'${v}'`).join(', ');
          const bad = await scalar(
            `SELECT count(*) FROM ${table.name} WHERE ${column.name} NOT IN (${allowed})`,
          );
          expect(bad, `${table.name}.${column.name} values`).toBe(0);
        }
      }
    }
  });

  it('has no duplicate primary keys and no dangling foreign keys', async () => {
    for (const table of CONTRACT) {
      if (table.primaryKey.length > 0) {
        const key = `(${table.primaryKey.join(', ')})`;
        const duplicates = await scalar(`SELECT count(*) - count(DISTINCT ${key}) FROM ${table.name}`);
        expect(duplicates, `${table.name} ${key}`).toBe(0);
      }
      for (const column of table.columns) {
        if (!column.references) continue;
        const target = CONTRACT.find((t) => t.name === column.references);
        const targetKey = target?.primaryKey[0];
        const dangling = await scalar(
          `SELECT count(*) FROM ${table.name} WHERE ${column.name} IS NOT NULL
             AND ${column.name} NOT IN (SELECT ${targetKey} FROM ${column.references})`,
        );
        expect(dangling, `${table.name}.${column.name} → ${column.references}`).toBe(0);
      }
    }
  });

  it('keeps amounts, dates and stage times consistent', async () => {
    const problems = await rows(`
      SELECT
        (SELECT count(*) FROM opportunities WHERE status = 'won' AND amount IS NULL) AS won_without_amount,
        (SELECT count(*) FROM opportunities WHERE closed_at < created_at) AS closed_before_created,
        (SELECT count(*) FROM opportunities WHERE (status = 'open') <> (closed_at IS NULL)) AS open_mismatch,
        (SELECT count(*) FROM opportunity_stages WHERE exited_at < entered_at) AS exit_before_entry,
        (SELECT count(*) FROM customers WHERE churned_at < acquired_at) AS churn_before_acquisition,
        (SELECT count(*) FROM orders WHERE amount < 0 OR cost < 0) AS negative_orders,
        (SELECT count(*) FROM expenses WHERE amount < 0) AS negative_expenses,
        (SELECT count(*) FROM tickets WHERE first_response_at < created_at OR resolved_at < created_at) AS ticket_order`);
    expect(problems[0]).toEqual({
      won_without_amount: '0',
      closed_before_created: '0',
      open_mismatch: '0',
      exit_before_entry: '0',
      churn_before_acquisition: '0',
      negative_orders: '0',
      negative_expenses: '0',
      ticket_order: '0',
    });
  });

  it('has nothing after 2026-10-31 and activity on that last day', async () => {
    const end = `TIMESTAMP '2026-10-31 23:59:59'`;
    for (const table of CONTRACT) {
      for (const column of table.columns.filter((c) => c.event)) {
        const late = await scalar(`SELECT count(*) FROM ${table.name} WHERE ${column.name} > ${end}`);
        expect(late, `${table.name}.${column.name}`).toBe(0);
      }
    }
    const lastDay = await rows(`
      SELECT (SELECT count(*) FROM logins WHERE logged_in_at::DATE = DATE '2026-10-31') AS logins,
             (SELECT count(*) FROM orders WHERE ordered_at::DATE = DATE '2026-10-31') AS orders`);
    expect(Number(lastDay[0]?.logins)).toBeGreaterThan(0);
    expect(Number(lastDay[0]?.orders)).toBeGreaterThan(0);
  });

  it('looks like a real business', async () => {
    const closeRate = await scalar(`
      SELECT count(*) FILTER (status = 'won') / count(*) FROM opportunities
      WHERE status IN ('won', 'lost') AND closed_at >= DATE '2024-11-01'`);
    expect(closeRate).toBeGreaterThan(0.15);
    expect(closeRate).toBeLessThan(0.4);

    // Logo churn per month over the window: churned in the month ÷ active at its start.
    const churn = await scalar(`
      WITH months AS (
        SELECT m::DATE AS period_start, (m + INTERVAL 1 MONTH)::DATE AS period_end
        FROM range(DATE '2024-11-01', DATE '2026-11-01', INTERVAL 1 MONTH) t(m))
      SELECT count(*) FILTER (c.churned_at < p.period_end) / count(*)
      FROM months p JOIN customers c
        ON c.acquired_at < p.period_start AND (c.churned_at IS NULL OR c.churned_at >= p.period_start)`);
    expect(churn).toBeGreaterThan(0.005);
    expect(churn).toBeLessThan(0.04);

    const nps = await scalar(`
      SELECT 100 * (count(*) FILTER (score >= 9) - count(*) FILTER (score <= 6)) / count(*)
      FROM surveys WHERE kind = 'nps'`);
    expect(nps).toBeGreaterThan(10);
    expect(nps).toBeLessThan(60);

    const csat = await scalar(
      `SELECT count(*) FILTER (score >= 4) / count(*) FROM surveys WHERE kind = 'csat'`,
    );
    expect(csat).toBeGreaterThan(0.7);
    expect(csat).toBeLessThan(0.92);
  });
});
