import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/data/dataset.ts';
import { openFixture } from '../helpers.ts';

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
    ["COPY (SELECT 1) TO '/tmp/pulse-escape.csv'", /refused: the query tried to use \/tmp\/pulse-escape.csv/],
    ["ATTACH '/tmp/pulse-escape.duckdb'", /refused: the query tried to use/],
    ['INSTALL httpfs', /refused/],
    ['LOAD httpfs', /refused: extensions cannot be installed or loaded here/],
    ['SET enable_external_access = true', /refused: settings cannot be changed from a query/],
    ["SET TimeZone = 'UTC'", /refused: settings cannot be changed from a query/],
    ['SET threads = 1', /refused: settings cannot be changed from a query/],
  ];
  for (const [sql, message] of escapes) {
    it(`refuses ${sql}`, async () => {
      await expect(dataset.db.rows(sql)).rejects.toThrow(message);
    });
  }
});
