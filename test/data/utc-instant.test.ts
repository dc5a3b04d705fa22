import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../lib/data/database.ts';
import { castExpression, utcInstant } from '../../lib/data/sql-text.ts';

// The loader reads naive timestamps as UTC through epoch microseconds (no ICU call per row).
// It must be the same instant DuckDB's own timezone('UTC', ts) gives, in every session zone.
describe('a naive timestamp read as UTC', () => {
  let db: Database;
  beforeAll(async () => {
    db = await Database.open();
  });
  afterAll(() => db.close());

  it('is the instant timezone(UTC, ts) gives, for 200,000 random times of years 1-9998 in four zones', async () => {
    for (const zone of ['UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham']) {
      await db.run(`SET TimeZone = '${zone}'`);
      const [row] = await db.rows(
        `WITH t AS (
           SELECT TIMESTAMP '0001-01-01' + to_microseconds((hash(i) % 315537897600000000)::BIGINT) AS ts FROM range(200000) r(i)
           UNION ALL SELECT NULL UNION ALL SELECT TIMESTAMP '9998-12-31 23:59:59.999999'
           UNION ALL SELECT TIMESTAMP '2024-03-10 02:30:00' UNION ALL SELECT TIMESTAMP '2024-11-03 01:30:00')
         SELECT count(*)::INTEGER AS n,
                count(*) FILTER (timezone('UTC', ts) IS DISTINCT FROM ${utcInstant('ts')})::INTEGER AS differ
         FROM t`,
      );
      expect(row).toEqual({ n: 200004, differ: 0 });
    }
  });

  it('is what a Parquet TIMESTAMP, TIMESTAMP_NS or DATE column and an ISO text column load as', async () => {
    await db.run(`SET TimeZone = 'America/New_York'`);
    const [row] = await db.rows(
      `SELECT (${castExpression('a', 'ts', 'TIMESTAMP', true)})::VARCHAR AS a,
              (${castExpression('b', 'ts', 'TIMESTAMP_NS', true)})::VARCHAR AS b,
              (${castExpression('c', 'ts', 'DATE', true)})::VARCHAR AS c,
              (${castExpression('d', 'ts', 'VARCHAR', true)})::VARCHAR AS d
       FROM (SELECT TIMESTAMP '2024-07-01 12:00:00' AS a, TIMESTAMP_NS '2024-07-01 12:00:00.5' AS b,
                    DATE '2024-07-01' AS c, '2024-07-01 12:00:00' AS d)`,
    );
    expect(row).toEqual({
      a: '2024-07-01 08:00:00-04',
      b: '2024-07-01 08:00:00.5-04',
      c: '2024-07-01 00:00:00-04', // a date alone is that day in the session (report) zone
      d: '2024-07-01 08:00:00-04',
    });
  });

  it('with an offset no zone has, is unreadable (reported), not moved by it', async () => {
    await db.run(`SET TimeZone = 'UTC'`);
    const values = [
      ['2026-09-01T10:00:00+25:00', null],
      ['2026-09-30T23:00:00-99:00', null],
      ['2026-09-30T23:00:00+05:60', null],
      ['2026-09-30T23:00:00+1600', null],
      ['2026-09-01T10:00:00+05:30', '2026-09-01 04:30:00+00'],
      ['2026-09-01T10:00:00-0300', '2026-09-01 13:00:00+00'],
      ['2026-09-01T10:00:00+14:00', '2026-08-31 20:00:00+00'],
      ['2026-09-01T10:00:00-12', '2026-09-01 22:00:00+00'],
      ['2026-09-01T10:00:00Z', '2026-09-01 10:00:00+00'],
    ] as const;
    for (const [text, instant] of values) {
      const [row] = await db.rows(
        `SELECT (${castExpression('v', 'ts', 'VARCHAR', true)})::VARCHAR AS v FROM (SELECT $t AS v)`,
        {
          t: text,
        },
      );
      expect([text, row?.v]).toEqual([text, instant]);
    }
  });
});
