// Customers derived from orders (`"customers": {"from": "orders"}`) are only as good as the orders:
// they end where the orders end, and in an export that starts mid-history, a customer who bought
// before it is taken as acquired at their first order in it. New customers then reads 0 after the
// orders stop, and every order of the first year is "new" revenue (recurring $0) — a number the
// data cannot support, found by a new-user trial on a shop export.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, openDataset } from '../../lib/data/dataset.ts';
import { addDays } from '../../lib/kpi/period.ts';
import { kpiRow, TEST_NOW } from '../helpers.ts';

let dir: string;
let dataset: Dataset;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-derived-'));
  // Orders from 2025-06-17 to 2026-09-20, three a day; deals run on to 2026-10-31.
  const orders = ['order_id,customer_id,ordered_at,amount'];
  let n = 0;
  for (let day = '2025-06-17'; day <= '2026-09-20'; day = addDays(day, 1))
    for (let i = 0; i < 3; i++) orders.push(`O${++n},C${(n * 7) % 400},${day},${10 + (n % 5)}`);
  const deals = ['opportunity_id,created_at,closed_at,status,amount'];
  for (let day = '2025-06-17'; day <= '2026-10-31'; day = addDays(day, 1))
    deals.push(`D${day},${day},${day},won,100`);
  await writeFile(join(dir, 'orders.csv'), `${orders.join('\n')}\n`);
  await writeFile(join(dir, 'opportunities.csv'), `${deals.join('\n')}\n`);
  const mapping = join(dir, 'mapping.json');
  await writeFile(
    mapping,
    JSON.stringify({ tables: { orders: { files: 'orders.csv' }, customers: { from: 'orders' } } }),
  );
  dataset = await openDataset({ dataDir: dir, mapping, now: TEST_NOW, timeZone: 'UTC', threads: 1 });
});

afterAll(async () => {
  dataset.db.close();
  await rm(dir, { recursive: true });
});

describe('customers derived from orders', () => {
  it('end where the orders end: no new customers counted after the last order', async () => {
    const october = await kpiRow(dataset, 'new_customers', '2026-10');
    expect(october.value).toBeNull();
    expect(october.coverage).toBe('none');
    expect(october.coverage_note).toBe(
      'no data for October 2026: customers end 2026-09-20 (the rest of the export runs to 2026-10-31)',
    );
    const september = await kpiRow(dataset, 'new_customers', '2026-09');
    expect(september.coverage).toBe('partial');
  });

  it('are partial in the orders’ first year: one who bought before the export counts as acquired later', async () => {
    const note =
      'partial: customers come from their first order, and the orders start 2025-06-17 (a year of orders, to 2026-06-17, tells new customers from older ones)';
    for (const id of ['new_customers', 'new_revenue', 'recurring_revenue']) {
      const row = await kpiRow(dataset, id, '2025-09');
      expect(row.coverage, id).toBe('partial');
      expect(row.coverage_note, id).toBe(note);
    }
    // Revenue does not read acquisitions: whole.
    expect((await kpiRow(dataset, 'revenue', '2025-09')).coverage).toBeUndefined();
    // From a year of orders on, whole.
    const july = await kpiRow(dataset, 'new_customers', '2026-07');
    expect(july.coverage).toBeUndefined();
    expect(july.value).not.toBeNull();
  });
});
