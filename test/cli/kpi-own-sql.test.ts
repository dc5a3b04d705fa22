// A KPI an analyst writes reads the export however DuckDB lets it, e.g. a column of the export's
// own (not in the contract) through a join without naming its alias. The engine's shortcuts
// (joins the contract deems unused left out, only the tables the SQL names read) must never
// make such a KPI fail or change its number.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../lib/data/dataset.ts';
import { parseKpiFile } from '../../lib/kpi/definition.ts';
import { runKpi } from '../../lib/kpi/run.ts';
import { tablesRead } from '../../lib/kpi/tables-read.ts';
import { createRejectedReads } from '../../lib/report/rejected-reads.ts';
import { TEST_NOW } from '../helpers.ts';
import { pulse } from '../support/cli.ts';

const HEAD = (title: string, needs: string) => `-- title: ${title}
-- description: ${title}, from a column or table the contract's names do not show.
-- unit: count
-- direction: up
-- needs: ${needs}
`;

// `territory` is the export's own column of customers, read without the alias.
const TERRITORY_ORDERS = `${HEAD('EMEA orders', 'orders.ordered_at')}SELECT p.period_start, p.period_end, NULL::VARCHAR AS breakdown,
       count(o.order_id) FILTER (territory = 'EMEA') AS value
FROM periods($start, $end, $grain) p
LEFT JOIN orders o ON o.ordered_at >= p.period_start AND o.ordered_at < p.period_end
LEFT JOIN customers c ON c.customer_id = o.customer_id
GROUP BY ALL
`;

// The same, qualified: the join is kept by the alias (the control).
const TERRITORY_QUALIFIED = TERRITORY_ORDERS.replace('EMEA orders', 'EMEA orders, qualified').replace(
  'FILTER (territory',
  'FILTER (c.territory',
);

const CUSTOMERS = [
  'customer_id,segment,acquired_at,territory',
  'C1,SMB,2026-01-05,EMEA',
  'C2,SMB,2026-02-10,AMER',
  'C3,Enterprise,2026-03-15,EMEA',
];
const ORDERS = [
  'order_id,customer_id,ordered_at,amount',
  'O1,C1,2026-10-02T10:00:00Z,100',
  'O2,C2,2026-10-03T10:00:00Z,200',
  'O3,C3,2026-10-04T10:00:00Z,300',
  'O4,C3,2026-10-20T10:00:00Z,50',
  'O5,C2,2026-10-21T10:00:00Z,70',
];
describe("a KPI of one's own reading the export its own way", () => {
  let root: string;
  let data: string;
  let project: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pulse-own-sql-'));
    data = join(root, 'data');
    project = join(root, 'project');
    await mkdir(data);
    await writeFile(join(data, 'customers.csv'), `${CUSTOMERS.join('\n')}\n`);
    await writeFile(join(data, 'orders.csv'), `${ORDERS.join('\n')}\n`);
    const init = await pulse(['init', 'project'], {}, root);
    expect(init.code).toBe(0);
    await mkdir(join(project, 'queries', 'own'), { recursive: true });
    await writeFile(join(project, 'queries', 'own', 'emea_orders.sql'), TERRITORY_ORDERS);
    await writeFile(join(project, 'queries', 'own', 'emea_orders_qualified.sql'), TERRITORY_QUALIFIED);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const value = async (id: string) => {
    const run = await pulse(
      ['kpi', id, '--data', data, '--period', '2026-10', '--format', 'json'],
      {},
      project,
    );
    expect(run.stderr, id).toBe('');
    expect(run.code, id).toBe(0);
    return (JSON.parse(run.stdout) as { value: number | null }[])[0]?.value;
  };

  it("reads a column of the export's own without the alias, as DuckDB binds it", async () => {
    // O1 (C1) and O3, O4 (C3) are EMEA's October orders.
    expect(await value('emea_orders_qualified')).toBe(3);
    expect(await value('emea_orders')).toBe(3);
  });

  it('gives the same number in a report, where every table is open', async () => {
    const dataset = await openDataset({ dataDir: data, now: TEST_NOW, timeZone: 'UTC', cacheDir: null });
    try {
      const parsed = parseKpiFile('queries/own/emea_orders.sql', TERRITORY_ORDERS);
      if (!parsed.ok) throw new Error(parsed.errors.join('; '));
      const result = await runKpi(dataset, parsed.definition, {
        span: { start: '2026-10-01', end: '2026-11-01', grain: 'month' },
      });
      expect(result.rows.map((r) => r.value)).toEqual([3]);
    } finally {
      dataset.close();
    }
  });

  it("gives DuckDB's number when the column of the export's own would bind to an outer query without the join", async () => {
    // Without the join in the subquery, territory is the outer customer's: 5 or 0, not 3.
    const sql = `${HEAD('EMEA orders per customer', 'orders.ordered_at').replace('unit: count', 'unit: table')}SELECT p.period_start, p.period_end, x.customer_id,
       (SELECT count(*)
        FROM orders o
        LEFT JOIN customers c ON c.customer_id = o.customer_id
        WHERE territory = 'EMEA') AS emea_orders
FROM periods($start, $end, $grain) p, (SELECT customer_id, territory FROM customers) x
ORDER BY 3
`;
    const dataset = await openDataset({ dataDir: data, now: TEST_NOW, timeZone: 'UTC', cacheDir: null });
    try {
      const parsed = parseKpiFile('queries/own/emea_per_customer.sql', sql);
      if (!parsed.ok) throw new Error(parsed.errors.join('; '));
      const result = await runKpi(dataset, parsed.definition, {
        span: { start: '2026-10-01', end: '2026-11-01', grain: 'month' },
      });
      expect(result.rows.map((r) => r.emea_orders)).toEqual([3, 3, 3]);
      // And its note reads customers, as it runs.
      expect([...((await tablesRead([parsed.definition], undefined, dataset.db)) ?? [])].sort()).toEqual([
        'customers',
        'orders',
      ]);
    } finally {
      dataset.close();
    }
  });

  it('counts the rejected customers in its note, as it reads them', async () => {
    // A repeated customer id: both rows are rejected, and a KPI filtering on customers lacks them.
    const dirty = join(root, 'dirty');
    await mkdir(dirty);
    await writeFile(join(dirty, 'customers.csv'), `${[...CUSTOMERS, 'C2,SMB,2026-04-01,EMEA'].join('\n')}\n`);
    await writeFile(join(dirty, 'orders.csv'), `${ORDERS.join('\n')}\n`);
    const dataset = await openDataset({
      dataDir: dirty,
      now: TEST_NOW,
      timeZone: 'UTC',
      cacheDir: null,
      allowRejects: true,
    });
    try {
      const reads = createRejectedReads(dataset);
      const own = parseKpiFile('queries/own/emea_orders.sql', TERRITORY_ORDERS);
      const plain = parseKpiFile(
        'queries/own/all_orders.sql',
        TERRITORY_ORDERS.replace("FILTER (territory = 'EMEA') ", ''),
      );
      if (!own.ok || !plain.ok) throw new Error('unparsable test KPI');
      expect((await reads(own.definition)).map((r) => r.table)).toEqual(['customers']);
      // The join unused (no column of customers read): customers' rejects move nothing.
      expect(await reads(plain.definition)).toEqual([]);
    } finally {
      dataset.close();
    }
  });

  it('pulse kpi gives the same number when the joined table is left closed and an open one has the name', async () => {
    // tickets carries a territory too: without the customers join, the subquery's territory is
    // the outer ticket's (0 and 5); customers, which the contract says the SQL does not read, is
    // left closed, and must still be seen to have a territory.
    const dir = join(root, 'closed');
    await mkdir(dir);
    await writeFile(join(dir, 'customers.csv'), `${CUSTOMERS.join('\n')}\n`);
    await writeFile(join(dir, 'orders.csv'), `${ORDERS.join('\n')}\n`);
    await writeFile(
      join(dir, 'tickets.csv'),
      'ticket_id,customer_id,created_at,territory\nT1,C1,2026-10-05T09:00:00Z,AMER\nT2,C2,2026-10-06T09:00:00Z,EMEA\n',
    );
    const sql = `${HEAD('EMEA orders per ticket', 'tickets.created_at').replace('unit: count', 'unit: table')}SELECT p.period_start, p.period_end, t.ticket_id,
       (SELECT count(*)
        FROM orders o
        LEFT JOIN customers c ON c.customer_id = o.customer_id
        WHERE territory = 'EMEA') AS emea_orders
FROM periods($start, $end, $grain) p, tickets t
ORDER BY 3
`;
    await writeFile(join(project, 'queries', 'own', 'emea_per_ticket.sql'), sql);
    const run = await pulse(
      ['kpi', 'emea_per_ticket', '--data', dir, '--period', '2026-10', '--format', 'json'],
      {},
      project,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { emea_orders: number }[]).map((r) => r.emea_orders)).toEqual([3, 3]);
  });

  it('a KPI with an error still says what is wrong, once', async () => {
    await writeFile(
      join(project, 'queries', 'own', 'broken.sql'),
      TERRITORY_ORDERS.replace('EMEA orders', 'Broken').replace('territory', 'teritory'),
    );
    const run = await pulse(['kpi', 'broken', '--data', data, '--period', '2026-10'], {}, project);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.match(/teritory/g)?.length).toBeGreaterThan(0);
    expect(run.stderr.split('\n').filter((line) => /teritory/.test(line)).length).toBeLessThanOrEqual(2);
  });
  it("a table the KPI does not read, with rejected rows, neither hides the KPI's error nor stops it", async () => {
    const other = join(root, 'other-table-broken');
    await mkdir(other);
    await writeFile(join(other, 'customers.csv'), `${CUSTOMERS.join('\n')}\n`);
    await writeFile(join(other, 'orders.csv'), `${ORDERS.join('\n')}\n`);
    await writeFile(join(other, 'tickets.csv'), 'ticket_id,customer_id,created_at\nT1,C1,not-a-date\n');
    await writeFile(
      join(project, 'queries', 'own', 'broken.sql'),
      TERRITORY_ORDERS.replace('EMEA orders', 'Broken').replace('territory', 'teritory'),
    );
    const broken = await pulse(['kpi', 'broken', '--data', other, '--period', '2026-10'], {}, project);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/teritory/);
    expect(broken.stderr).not.toMatch(/rejected/);
    const own = await pulse(
      ['kpi', 'emea_orders', '--data', other, '--period', '2026-10', '--format', 'json'],
      {},
      project,
    );
    expect(own.stderr).toBe('');
    expect(own.code).toBe(0);
    expect((JSON.parse(own.stdout) as { value: number | null }[])[0]?.value).toBe(3);
  });

  it('what a run printed before an error other than a closed table is still printed', async () => {
    // No --period: the last complete month before the data's end (September), which it lacks.
    const run = await pulse(['kpi', 'emea_orders', '--data', data], {}, project);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^period: September 2026, the last complete month/);
    expect(run.stderr).toMatch(/no data for September 2026/);
  });
});
