import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../lib/data/database.ts';
import type { Dataset } from '../../lib/data/dataset.ts';
import { createRejectedReads } from '../../lib/report/rejected-reads.ts';
import { testCatalog } from '../helpers.ts';

// Which tables' rejected rows a KPI's number lacks: those of the tables its SQL reads as it runs
// (close rate joins customers only for its breakdowns) and, in a scope, those of the tables that
// choose a linked table's rows (a deal is in a region by its customer).
describe('the rejected rows a KPI lacks', () => {
  let db: Database;
  beforeAll(async () => {
    db = await Database.open();
  });
  afterAll(() => db.close());

  const reads = async (id: string, scope: boolean, by?: string) => {
    const catalog = await testCatalog();
    const dataset = {
      db,
      tables: [],
      rejects: {
        tables: [
          { table: 'customers', rows: 10, total: 100 },
          { table: 'tickets', rows: 5, total: 50 },
          { table: 'opportunities', rows: 1, total: 100 },
        ],
      },
      ...(scope ? { scope: { params: { region: 'EMEA' } } } : {}),
    } as unknown as Pick<Dataset, 'db' | 'rejects' | 'tables' | 'scope'>;
    const found = await createRejectedReads(dataset)(catalog.get(id), by);
    return found.map((r) => r.table).sort();
  };

  it("are the tables of the SQL that runs: a breakdown's join only with the breakdown", async () => {
    expect(await reads('close_rate', false)).toEqual(['opportunities']);
    expect(await reads('close_rate', false, 'segment')).toEqual(['customers', 'opportunities']);
    expect(await reads('csat', false)).toEqual([]);
    expect(await reads('csat', false, 'channel')).toEqual(['tickets']);
  });

  it("of a table derived from another (customers from orders), the other's, wherever its SQL reads it", async () => {
    const catalog = await testCatalog();
    const dataset = {
      db,
      tables: [{ table: 'customers', derivedFrom: 'orders' }],
      rejects: { tables: [{ table: 'orders', rows: 10, total: 100 }] },
    } as unknown as Pick<Dataset, 'db' | 'rejects' | 'tables' | 'scope'>;
    const lacks = async (id: string, by?: string) =>
      (await createRejectedReads(dataset)(catalog.get(id), by)).map((r) => r.table);
    expect(await lacks('close_rate')).toEqual([]);
    expect(await lacks('close_rate', 'segment')).toEqual(['orders']);
    expect(await lacks('new_customers')).toEqual(['orders']);
    // A KPI of one's own that reads the customers without declaring a need of theirs.
    const own = catalog.get('close_rate');
    const segmentOnly = {
      ...own,
      id: 'won_with_segment',
      sql: own.sql.replace(
        "FILTER (o.status = 'won')",
        "FILTER (o.status = 'won' AND c.segment IS NOT NULL)",
      ),
    };
    expect(segmentOnly.sql).not.toBe(own.sql);
    expect((await createRejectedReads(dataset)(segmentOnly)).map((r) => r.table)).toEqual(['orders']);
  });

  it('in a scope, also those that choose which rows are in it', async () => {
    expect(await reads('close_rate', true)).toEqual(['customers', 'opportunities']);
    // A survey is in a scope by its customer or, without one, by its ticket's.
    expect(await reads('csat', true)).toEqual(['customers', 'tickets']);
  });
});
