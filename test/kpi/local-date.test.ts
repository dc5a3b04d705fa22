import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../lib/data/database.ts';
import { PERIOD_MACROS } from '../../lib/kpi/period-sql.ts';

// local_date_before(ts, day) stands for ts::DATE < day in KPI SQL, deciding most rows without
// the local date. It must agree with the cast everywhere: random instants of 1700-2200 and the
// instants at and around each day's local and UTC midnights, in zones whose clocks jump at
// midnight (Havana, Santiago, Beirut), by half hours (St John's, Lord Howe), skipped a day (Apia)
// or sat 14 hours from UTC (Kiritimati).
const ZONES = [
  'UTC',
  'America/Havana',
  'America/Santiago',
  'Asia/Beirut',
  'America/St_Johns',
  'Australia/Lord_Howe',
  'Pacific/Apia',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'Asia/Tehran',
];

describe('local_date_before', () => {
  let db: Database;
  beforeAll(async () => {
    db = await Database.open();
    await db.runOwn(PERIOD_MACROS);
  });
  afterAll(() => db.close());

  it('is ts::DATE < day for 460,000 instants and days in ten zones', async () => {
    for (const zone of ZONES) {
      await db.run(`SET TimeZone = '${zone}'`);
      const [row] = await db.rows(
        `WITH r AS (
           SELECT make_timestamptz(-8520336000000000 + (hash(i) % 15778368000000000)::BIGINT) AS t,
                  DATE '1700-01-01' + (hash(i + 1000000) % 182622)::INTEGER AS d
           FROM range(20000) g(i)),
         pairs AS (
           SELECT t, d FROM r
           UNION ALL SELECT t, t::DATE FROM r
           UNION ALL SELECT t, t::DATE + 1 FROM r
           UNION ALL SELECT d::TIMESTAMPTZ + to_microseconds(k), d FROM r, range(-3, 4) s(k)
           UNION ALL SELECT d::TIMESTAMPTZ + to_hours(k), d FROM r, range(-3, 4) s(k)
           UNION ALL SELECT make_timestamptz(epoch_us(d::TIMESTAMP) + k * 172800000000 + j), d
             FROM r, range(-1, 2, 2) s(k), range(-1, 2) u(j)
           UNION ALL SELECT NULL, DATE '2024-01-01'
           UNION ALL SELECT TIMESTAMPTZ '2024-01-01 00:00:00+00', NULL)
         SELECT count(*)::INTEGER AS n,
                count(*) FILTER (local_date_before(t, d) IS DISTINCT FROM (t::DATE < d))::INTEGER AS differ
         FROM pairs`,
      );
      expect(row, zone).toEqual({ n: 20000 * 3 + 20000 * 14 + 20000 * 6 + 2, differ: 0 });
    }
  });
});
