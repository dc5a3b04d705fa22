// A date without a time in a timestamp column (Maven's close_date "2017-03-01") is a calendar
// day, the same day in every report zone. Read as UTC midnight it became the evening before
// west of UTC, and a deal closed on 1 March counted in February under --tz America/Los_Angeles.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../lib/data/database.ts';
import { castExpression } from '../../lib/data/sql-text.ts';
import { pulse } from '../support/cli.ts';

const ZONES = [
  'UTC',
  'America/Los_Angeles',
  'Pacific/Honolulu',
  'America/Havana', // clocks change at midnight: that day starts at 01:00
  'America/Santiago',
  'Asia/Kolkata',
  'Pacific/Kiritimati',
  'Pacific/Chatham',
];

describe('a date alone in a timestamp column', () => {
  let db: Database;
  const folders: string[] = [];
  beforeAll(async () => {
    db = await Database.open();
  });
  afterAll(async () => {
    db.close();
    await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
  });

  it('is its own calendar day in every zone, as a DATE and as text, on 50,000 days of 1900-2100', async () => {
    for (const zone of ZONES) {
      await db.run(`SET TimeZone = '${zone}'`);
      const [row] = await db.rows(
        `WITH t AS (SELECT DATE '1900-01-01' + (hash(i) % 73049)::INTEGER AS d FROM range(50000) r(i)),
              typed AS (SELECT d, (${castExpression('d', 'ts', 'DATE', true)}) AS a,
                               (${castExpression('x', 'ts', 'VARCHAR', true)}) AS b
                        FROM (SELECT d, d::VARCHAR AS x FROM t))
         SELECT count(*)::INTEGER AS n,
                count(*) FILTER (a::DATE IS DISTINCT FROM d OR b::DATE IS DISTINCT FROM d)::INTEGER AS moved,
                count(*) FILTER (hour(a) > 1)::INTEGER AS late
         FROM typed`,
      );
      expect({ zone, ...row }).toEqual({ zone, n: 50000, moved: 0, late: 0 });
    }
    // A time of day is still UTC (the contract), and an infinite date is unreadable, not a day.
    await db.run(`SET TimeZone = 'America/Los_Angeles'`);
    const [row] = await db.rows(
      `SELECT (${castExpression('t', 'ts', 'VARCHAR', true)})::VARCHAR AS t,
              (${castExpression('d', 'ts', 'DATE', true)}) AS d
       FROM (SELECT '2017-03-01 06:00:00' AS t, 'infinity'::DATE AS d)`,
    );
    expect(row).toEqual({ t: '2017-02-28 22:00:00-08', d: null });
  });

  it('counts a deal closed on 1 March in March under a zone west of UTC, in a CSV and with a mapped format', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-calendar-days-'));
    folders.push(dir);
    const deals = [
      'D1,2017-01-10,2017-03-01,won,100',
      'D2,2017-01-12,2017-03-01,won,200',
      'D3,2017-01-15,2017-02-28,won,50',
      'D4,2017-02-01,2017-03-31,won,25',
    ];
    await writeFile(
      join(dir, 'opportunities.csv'),
      ['opportunity_id,created_at,closed_at,status,amount', ...deals].join('\n'),
    );
    const us = deals.map((d) => d.replace(/(\d{4})-(\d{2})-(\d{2})/g, '$2/$3/$1'));
    const usDir = await mkdtemp(join(tmpdir(), 'pulse-calendar-days-us-'));
    folders.push(usDir);
    await writeFile(join(usDir, 'deals.csv'), ['id,created,closed,status,amount', ...us].join('\n'));
    const mapping = join(usDir, 'mapping.json');
    await writeFile(
      mapping,
      JSON.stringify({
        tables: {
          opportunities: {
            files: 'deals.csv',
            rename: { id: 'opportunity_id', created: 'created_at', closed: 'closed_at' },
            dates: { created_at: '%m/%d/%Y', closed_at: '%m/%d/%Y' },
          },
        },
      }),
    );
    for (const source of [
      ['--data', dir],
      ['--data', usDir, '--mapping', mapping],
    ]) {
      const run = await pulse(
        [
          'kpi',
          'won_revenue',
          ...source,
          '--tz',
          'America/Los_Angeles',
          '--grain',
          'month',
          '--from',
          '2017-02-01',
          '--to',
          '2017-04-01',
          '--format',
          'json',
        ],
        { PULSE_NOW: '2017-04-02T08:00:00Z', PULSE_CACHE: 'off' },
      );
      expect(run.code, run.stderr).toBe(0);
      const rows = JSON.parse(run.stdout) as Record<string, unknown>[];
      expect(rows.map((r) => [r.period_start, r.value])).toEqual([
        ['2017-02-01', 50],
        ['2017-03-01', 325],
      ]);
    }
  });
});
