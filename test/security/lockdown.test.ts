import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../lib/data/database.ts';
import { type Dataset, openDataset } from '../../lib/data/dataset.ts';
import { FIXTURES, openFixture, TEST_NOW } from '../helpers.ts';

// Once a data folder is open, SQL typed by a user can read that folder and nothing else.
describe('the locked DuckDB connection', () => {
  let dataset: Dataset;
  beforeAll(async () => {
    dataset = await openFixture('ops');
  });
  afterAll(() => dataset.close());

  it('still answers queries over the data', async () => {
    expect(await dataset.db.rows('SELECT count(*) AS n FROM tickets')).toEqual([{ n: 5 }]);
  });

  const escapes: [string, RegExp][] = [
    [
      "SELECT * FROM read_text('/etc/passwd')",
      /refused: the query tried to use \/etc\/passwd, outside the data folder/,
    ],
    ["SELECT * FROM read_csv('test/fixtures/ops/../../../package.json')", /refused: the query tried to use/],
    // The statement gate answers these before DuckDB sees them (lib/data/statement-gate.ts).
    [
      "COPY (SELECT 1) TO '/tmp/pulse-escape.csv'",
      /refused: COPY \.\.\. TO '\/tmp\/pulse-escape.csv' writes a file/,
    ],
    ["ATTACH '/tmp/pulse-escape.duckdb'", /refused: ATTACH is not allowed here/],
    ['INSTALL httpfs', /refused: INSTALL is not allowed here/],
    ['LOAD httpfs', /refused: LOAD is not allowed here/],
    ['SET enable_external_access = true', /refused: settings cannot be changed from a query/],
    ["SET TimeZone = 'UTC'", /refused: settings cannot be changed from a query/],
    ['SET threads = 1', /refused: settings cannot be changed from a query/],
  ];
  for (const [sql, message] of escapes) {
    it(`refuses ${sql}`, async () => {
      await expect(dataset.db.rows(sql)).rejects.toThrow(message);
    });
  }

  // Beneath the gate, DuckDB's own lock refuses the same: two layers, each enough alone here.
  const beneath: [string, RegExp][] = [
    [
      "COPY (SELECT 1) TO '/tmp/pulse-escape.csv'",
      /Permission Error: Cannot access file "\/tmp\/pulse-escape.csv"/,
    ],
    ["ATTACH '/tmp/pulse-escape.duckdb'", /Permission Error/],
    ['LOAD httpfs', /Permission Error|disabled/],
    ['SET enable_external_access = true', /the configuration has been locked/],
  ];
  for (const [sql, message] of beneath) {
    it(`DuckDB itself refuses ${sql}`, async () => {
      await expect(dataset.db.connection.run(sql)).rejects.toThrow(message);
    });
  }
});

// The mapping's SQL runs while the export loads, before the lock: the files are fenced first, so
// a snippet that got past its check (test/security/mapping-snippets.test.ts) still reads nothing else.
describe('the connection while the export loads', () => {
  it("is fenced to the data folder before the export or the mapping's SQL is read", async () => {
    const sent: string[] = [];
    const { run, rows } = Database.prototype;
    Database.prototype.run = function (this: Database, sql, params) {
      sent.push(sql);
      return run.call(this, sql, params);
    };
    Database.prototype.rows = function (this: Database, sql, params) {
      sent.push(sql);
      return rows.call(this, sql, params);
    };
    try {
      const dataset = await openDataset({
        dataDir: join(FIXTURES, 'mapping-order-lines'),
        mapping: join(FIXTURES, 'mapping-order-lines.json'),
        now: TEST_NOW,
        threads: 1,
        cacheDir: null,
      });
      dataset.close();
    } finally {
      Database.prototype.run = run;
      Database.prototype.rows = rows;
    }
    const fenced = sent.indexOf('SET enable_external_access = false');
    const firstRead = sent.findIndex((sql) => /read_csv|read_parquet|json_serialize_sql/i.test(sql));
    expect(fenced).toBeGreaterThanOrEqual(0);
    expect(firstRead).toBeGreaterThan(fenced);
  });
});
