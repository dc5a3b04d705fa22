import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, openDataset } from '../../lib/data/dataset.ts';
import { definePeriodMacros } from '../../lib/kpi/run.ts';
import { dropUnusedKeyJoins } from '../../lib/kpi/unused-joins.ts';
import { TEST_NOW, testCatalog } from '../helpers.ts';

const SAMPLE = fileURLToPath(new URL('../../data/sample', import.meta.url));
const noBreakdown = (sql: string) => sql.replaceAll('{by}', 'NULL::VARCHAR');

describe('unused joins on a key', () => {
  it('are left out only when nothing reads the alias, keeping line numbers', () => {
    const sql = [
      'SELECT p.period_start, NULL::VARCHAR AS breakdown, sum(r.amount) AS value',
      'FROM periods($start, $end, $grain) p',
      'LEFT JOIN orders r ON r.ordered_at >= p.period_start',
      'LEFT JOIN customers c ON c.customer_id = r.customer_id',
      'GROUP BY ALL',
    ].join('\n');
    const pruned = dropUnusedKeyJoins(sql);
    expect(pruned).not.toMatch(/JOIN customers/);
    expect(pruned.split('\n')).toHaveLength(5);
    const bySegment = sql.replace('NULL::VARCHAR', '(c.segment)::VARCHAR');
    expect(dropUnusedKeyJoins(bySegment)).toBe(bySegment);
    // An INNER join filters rows; a join on another column may repeat them: both stay.
    expect(dropUnusedKeyJoins(sql.replace('LEFT JOIN customers', 'JOIN customers'))).toMatch(
      /JOIN customers/,
    );
    const other = sql.replace('c.customer_id = r.customer_id', 'c.owner_id = r.owner_id');
    expect(dropUnusedKeyJoins(other)).toBe(other);
  });

  it('drop a join to any contract table on its one-column key, never to a CTE of its name', () => {
    const sql = [
      'SELECT p.period_start, NULL::VARCHAR AS breakdown, count(a.user_id) AS value',
      'FROM periods($start, $end, $grain) p',
      'LEFT JOIN activities a ON a.occurred_at >= p.period_start',
      'LEFT JOIN users u ON u.user_id = a.user_id',
      'GROUP BY ALL',
    ].join('\n');
    expect(dropUnusedKeyJoins(sql)).not.toMatch(/JOIN users/);
    // Another name for the key column, a table the contract does not have, a CTE named users,
    // a key of several columns: kept.
    for (const kept of [
      sql.replace('u.user_id = a.user_id', 'u.team = a.user_id'),
      sql.replace('JOIN users u', 'JOIN my_users u'),
      `WITH users AS (SELECT * FROM activities)\n${sql}`,
      `WITH users(user_id) AS MATERIALIZED (SELECT 1)\n${sql}`,
      sql.replace('JOIN users u ON u.user_id', 'JOIN opportunity_stages u ON u.opportunity_id'),
    ])
      expect(dropUnusedKeyJoins(kept)).toBe(kept);
  });

  it('keep a join whose columns are read without its alias, or all of them by a bare star', () => {
    const sql = (value: string, from = 'periods($start, $end, $grain) p') =>
      [
        `SELECT p.period_start, NULL::VARCHAR AS breakdown, ${value} AS value`,
        `FROM ${from}`,
        'LEFT JOIN orders r ON r.ordered_at >= p.period_start',
        'LEFT JOIN customers c ON c.customer_id = r.customer_id',
        'GROUP BY ALL',
      ].join('\n');
    // `segment` is customers' alone: without the join it names nothing ("column not found").
    for (const kept of [
      sql("count(*) FILTER (WHERE segment = 'enterprise')"),
      sql('count(DISTINCT "Region")'),
      'WITH x AS (\nSELECT *\nFROM orders r\nLEFT JOIN customers c ON c.customer_id = r.customer_id\n)\nSELECT x.segment FROM x',
      'SELECT r.amount, *\nFROM orders r\nLEFT JOIN customers c ON c.customer_id = r.customer_id',
    ])
      expect(dropUnusedKeyJoins(kept)).toBe(kept);
    // count(*), a product, a qualified column of another table or an output name do not read it.
    for (const dropped of [sql('count(*) * 2'), sql('count(r.segment)'), sql('count(r.order_id) AS segment')])
      expect(dropUnusedKeyJoins(dropped)).not.toMatch(/JOIN customers/);
  });

  it('look for the alias only in the query that joins it', () => {
    const join = '  LEFT JOIN customers c ON c.customer_id = o.customer_id';
    const sql = (ordUses: string, cohortUses: string) =>
      [
        'WITH ord AS (',
        `  SELECT p.period_start, ${ordUses} AS breakdown, count(o.order_id) AS n`,
        '  FROM periods($start, $end, $grain) p JOIN orders o ON o.ordered_at < p.period_end',
        join,
        '  GROUP BY ALL',
        '), cohort AS (',
        `  SELECT p.period_start, ${cohortUses} AS breakdown, count(c.customer_id) AS n`,
        '  FROM periods($start, $end, $grain) p JOIN customers c ON c.acquired_at < p.end_day',
        '  GROUP BY ALL',
        ')',
        'SELECT * FROM ord JOIN cohort USING (period_start)',
      ].join('\n');
    // Another CTE's customers c is another table: this join is unused, and left out.
    const other = sql('NULL', 'c.segment');
    expect(dropUnusedKeyJoins(other)).toBe(other.replace(join, ''));
    // Read in its own CTE, even quoted or in a subquery: kept.
    for (const use of ['c.segment', '"C".segment', '(SELECT max(x) FROM t WHERE t.k = c.segment)'])
      expect(dropUnusedKeyJoins(sql(use, 'NULL'))).toBe(sql(use, 'NULL'));
    // In a comment or a string it is not read.
    expect(dropUnusedKeyJoins(sql("'c.segment' /* c.x */", 'NULL'))).not.toContain(join);
    // A parenthesised join is no query: its alias is seen by the SELECT around it.
    const grouped = [
      'SELECT p.period_start, c.segment AS breakdown, sum(r.amount) AS value',
      'FROM periods($start, $end, $grain) p',
      'LEFT JOIN (orders r',
      'LEFT JOIN customers c ON c.customer_id = r.customer_id',
      ') ON r.ordered_at >= p.period_start',
      'GROUP BY ALL',
    ].join('\n');
    expect(dropUnusedKeyJoins(grouped)).toBe(grouped);
    expect(dropUnusedKeyJoins(grouped.replace('c.segment', 'NULL'))).not.toMatch(/JOIN customers/);
  });

  describe('on the sample', () => {
    let dataset: Dataset;
    beforeAll(async () => {
      dataset = await openDataset({ dataDir: SAMPLE, now: TEST_NOW, threads: 2 });
      await definePeriodMacros(dataset.db);
    });
    afterAll(() => dataset.close());

    it('give every KPI the rows the full query gives', async () => {
      const { kpis } = await testCatalog();
      const changed = kpis.filter((k) => dropUnusedKeyJoins(noBreakdown(k.sql)) !== noBreakdown(k.sql));
      expect(changed.map((k) => k.id)).toEqual(
        expect.arrayContaining([
          'revenue',
          'close_rate',
          'nrr',
          'csat',
          'clv',
          'clv_margin',
          'activities_per_user',
        ]),
      );
      const params = { start: '2024-10-01', end: '2026-11-01', grain: 'month' };
      const sorted = async (sql: string, values: Record<string, unknown>) =>
        (await dataset.db.rows(`SELECT * FROM (${sql}) ORDER BY ALL`, values as never)).map((r) =>
          JSON.stringify(r, (_k, v) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v)),
        );
      for (const kpi of changed) {
        const values = { ...Object.fromEntries(kpi.params.map((p) => [p.name, p.default])), ...params };
        const full = await sorted(noBreakdown(kpi.sql), values);
        expect(full.length, kpi.id).toBeGreaterThan(0);
        expect(await sorted(dropUnusedKeyJoins(noBreakdown(kpi.sql)), values), kpi.id).toEqual(full);
      }
    }, 120_000);
  });
});
