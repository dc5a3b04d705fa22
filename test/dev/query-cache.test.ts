// The preview remembers query answers between runs until the data changes: never an answer that
// may differ from one run to the next, which would show the first run's clock for a whole session.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../lib/data/database.ts';
import { QueryCache } from '../../lib/dev/query-cache.ts';

let db: Database;
beforeAll(async () => {
  db = await Database.open({ threads: 1 });
  await db.runOwn('CREATE TEMP TABLE orders AS SELECT 1 AS amount');
});
afterAll(() => db.close());

describe('the preview query cache', () => {
  it('answers a query over the tables from memory, and asks one over the clock or chance each time', async () => {
    const cache = new QueryCache();
    const cached = cache.wrap(db);
    for (const sql of [
      'SELECT sum(amount) AS v FROM orders',
      'SELECT epoch(now()) AS v',
      'SELECT current_date AS v',
      'SELECT random() AS v',
      'SELECT epoch(current_localtimestamp()) AS v',
    ]) {
      cache.startRun();
      await cached.rows(sql);
      cache.startRun();
      await cached.rows(sql);
      const steady = sql.includes('FROM orders');
      expect(cache.stats(), sql).toMatchObject({ hits: steady ? 1 : 0, misses: steady ? 0 : 1 });
    }
  });
});
