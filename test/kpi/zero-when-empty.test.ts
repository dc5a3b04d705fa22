// A count, or a sum with 0 for none, is 0 over no rows: a breakdown value with no row in a
// covered period is then 0 (a rep with no won deal), where an average or a rate stays unknown.
// Read from DuckDB's parse of the SQL; these cases pin what counts as such a value.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../lib/data/database.ts';
import type { KpiDefinition } from '../../lib/kpi/definition.ts';
import { zeroWhenEmpty } from '../../lib/kpi/zero-when-empty.ts';
import { testCatalog } from '../helpers.ts';

let db: Database;
beforeAll(async () => {
  db = await Database.open({ threads: 1 });
});
afterAll(() => db.close());

const kpi = (value: string, from = 'FROM periods($start, $end, $grain) p LEFT JOIN orders r ON true') =>
  ({
    sql: `SELECT p.period_start, p.period_end, {by} AS breakdown, ${value} AS value ${from} GROUP BY ALL`,
  }) as KpiDefinition;

describe('zeroWhenEmpty', () => {
  it.each([
    ['count(r.order_id)', true],
    ['count(*)', true],
    ['count(DISTINCT r.customer_id)', true],
    ["count(r.order_id) FILTER (r.status = 'won')", true],
    ['coalesce(sum(r.amount), 0)', true],
    ['COALESCE(SUM(r.amount), 0.0)', true],
    ['coalesce(sum(r.amount), 0)::DOUBLE', true],
    ['CASE WHEN count(r.order_id) = 0 THEN 0 ELSE sum(r.amount) END', true],
    // Over no rows these are NULL, or not 0, or not known to be.
    ['sum(r.amount)', false],
    ['coalesce(sum(r.amount), 1)', false],
    ['coalesce(avg(r.amount), 0)', false],
    ['avg(r.amount)', false],
    ['count(r.order_id)::DOUBLE / nullif(count(*), 0)', false],
    ['CASE WHEN count(r.order_id) > 0 THEN sum(r.amount) ELSE 0 END', false],
    ['coalesce(sum(r.amount), 0) + 1', false],
    ['max(r.amount)', false],
  ])('%s: %s', async (value, expected) => {
    expect(await zeroWhenEmpty(db, kpi(value))).toBe(expected);
  });

  it('reads only the outer SELECT: a value computed in a CTE or a set operation is not taken', async () => {
    const cte = {
      sql: 'WITH t AS (SELECT count(*) AS n FROM orders) SELECT {by} AS breakdown, n AS value FROM t',
    } as KpiDefinition;
    const union = {
      sql: 'SELECT count(*) AS value FROM orders UNION ALL SELECT count(*) AS value FROM leads',
    } as KpiDefinition;
    expect(await zeroWhenEmpty(db, cte)).toBe(false);
    expect(await zeroWhenEmpty(db, union)).toBe(false);
    expect(await zeroWhenEmpty(db, { sql: 'SELECT count(* AS value' } as KpiDefinition)).toBe(false);
  });

  it('of the shipped KPIs: the counts and sums, none of the rates, averages or derived values', async () => {
    const catalog = await testCatalog();
    const zero: string[] = [];
    for (const k of catalog.kpis) if (k.unit !== 'table' && (await zeroWhenEmpty(db, k))) zero.push(k.id);
    expect(zero.sort()).toEqual(
      expect.arrayContaining(['new_customers', 'new_leads', 'open_pipeline', 'revenue', 'won_revenue']),
    );
    for (const id of ['close_rate', 'avg_deal_size', 'nps', 'csat', 'clv', 'churn_rate', 'sales_cycle_days'])
      expect(zero).not.toContain(id);
    expect(zero.every((id) => ['money', 'count'].includes(catalog.get(id).unit))).toBe(true);
  });
});
