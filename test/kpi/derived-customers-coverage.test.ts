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
import { monthsAfterAcquisition } from '../../lib/kpi/coverage.ts';
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
    const note = (span: string, to: string, tell: string) =>
      `partial: customers come from their first order, and the orders start 2025-06-17 (${span} of orders, to ${to}, ${tell} new customers from older ones)`;
    const customers = await kpiRow(dataset, 'new_customers', '2025-09');
    expect(customers.coverage).toBe('partial');
    expect(customers.coverage_note).toBe(note('a year', '2026-06-17', 'tells'));
    // New revenue counts the 12 months after an acquisition: one a year late counts a year more.
    for (const id of ['new_revenue', 'recurring_revenue']) {
      const row = await kpiRow(dataset, id, '2026-07');
      expect(row.coverage, id).toBe('partial');
      expect(row.coverage_note, id).toBe(note('2 years', '2027-06-17', 'tell'));
    }
    // Revenue does not read acquisitions: whole.
    expect((await kpiRow(dataset, 'revenue', '2025-09')).coverage).toBeUndefined();
    // From a year of orders on, new customers are whole.
    const july = await kpiRow(dataset, 'new_customers', '2026-07');
    expect(july.coverage).toBeUndefined();
    expect(july.value).not.toBeNull();
  });

  it('find the months a KPI reads after acquisition in its SQL, not in its comments', () => {
    expect(monthsAfterAcquisition('SELECT 1 WHERE x < (c.acquired_at + INTERVAL 12 MONTH)::DATE')).toBe(12);
    expect(
      monthsAfterAcquisition('-- acquired_at + INTERVAL 6 MONTH\nSELECT acquired_at + INTERVAL 3 MONTHS'),
    ).toBe(3);
    expect(monthsAfterAcquisition("SELECT 'acquired_at + INTERVAL 9 MONTH', acquired_at")).toBe(0);
  });
});
