// Customers derived from orders (`"customers": {"from": "orders"}`) are only as good as the orders:
// they end where the orders end, and in an export that starts mid-history, a customer who bought
// before it is taken as acquired at their first order in it. New customers then reads 0 after the
// orders stop, and every order of the first year is "new" revenue (recurring $0) — a number the
// data cannot support, found by a new-user trial on a shop export.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../lib/cli/options.ts';
import { runCli } from '../../lib/cli/run-cli.ts';
import { type Dataset, openDataset } from '../../lib/data/dataset.ts';
import { buildDataQuality } from '../../lib/data/quality.ts';
import { monthsAfterAcquisition } from '../../lib/kpi/coverage.ts';
import { addDays, addMonths } from '../../lib/kpi/period.ts';
import { TOOLKIT_ROOT } from '../../lib/paths.ts';
import { kpiRow, TEST_NOW } from '../helpers.ts';

let dir: string;
let dataset: Dataset;
/** The same export, read with a mapping that declares every first order is in it. */
let cohort: Dataset;

// Orders from 2025-06-17 to 2026-09-20, three a day, by 400 customers who all first buy by
// October 2025 (a first-purchase cohort, as CDNOW's); deals run on to 2026-10-31.
const ORDERS: { id: string; customer: string; day: string; amount: number }[] = [];
for (let day = '2025-06-17', n = 0; day <= '2026-09-20'; day = addDays(day, 1))
  for (let i = 0; i < 3; i++, n++)
    ORDERS.push({ id: `O${n + 1}`, customer: `C${((n + 1) * 7) % 400}`, day, amount: 10 + ((n + 1) % 5) });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-derived-'));
  const orders = [
    'order_id,customer_id,ordered_at,amount',
    ...ORDERS.map((o) => `${o.id},${o.customer},${o.day},${o.amount}`),
  ];
  const deals = ['opportunity_id,created_at,closed_at,status,amount'];
  for (let day = '2025-06-17'; day <= '2026-10-31'; day = addDays(day, 1))
    deals.push(`D${day},${day},${day},won,100`);
  await writeFile(join(dir, 'orders.csv'), `${orders.join('\n')}\n`);
  await writeFile(join(dir, 'opportunities.csv'), `${deals.join('\n')}\n`);
  const open = async (name: string, customers: object) => {
    const mapping = join(dir, name);
    await writeFile(mapping, JSON.stringify({ tables: { orders: { files: 'orders.csv' }, customers } }));
    return openDataset({ dataDir: dir, mapping, now: TEST_NOW, timeZone: 'UTC', threads: 1 });
  };
  dataset = await open('mapping.json', { from: 'orders' });
  cohort = await open('cohort.json', { from: 'orders', first_orders_in_export: true });
});

afterAll(async () => {
  dataset.db.close();
  cohort.db.close();
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

describe('customers derived from orders that hold every first order ("first_orders_in_export": true)', () => {
  // Each customer's first day, and what the month's orders are worth by the customer's age.
  const acquired = new Map<string, string>();
  for (const o of ORDERS) if (!acquired.has(o.customer)) acquired.set(o.customer, o.day);
  const inMonth = (month: string) => ORDERS.filter((o) => o.day.startsWith(month));
  const isNew = (o: (typeof ORDERS)[number]) => o.day < addMonths(acquired.get(o.customer) ?? '', 12);
  const sum = (orders: typeof ORDERS) => orders.reduce((total, o) => total + o.amount, 0);

  it('are whole in the orders’ first year: new customers and new vs recurring revenue', async () => {
    const customers = await kpiRow(cohort, 'new_customers', '2025-09');
    expect(customers.coverage).toBeUndefined();
    expect(customers.coverage_note).toBeUndefined();
    expect(customers.value).toBe([...acquired.values()].filter((day) => day.startsWith('2025-09')).length);
    expect(customers.value).toBeGreaterThan(0);
    // July 2026: customers acquired in July 2025 are new until their day, recurring after it.
    const newRevenue = await kpiRow(cohort, 'new_revenue', '2026-07');
    const recurring = await kpiRow(cohort, 'recurring_revenue', '2026-07');
    expect([newRevenue.coverage, recurring.coverage]).toEqual([undefined, undefined]);
    expect(Number(newRevenue.value)).toBe(sum(inMonth('2026-07').filter(isNew)));
    expect(Number(recurring.value)).toBe(sum(inMonth('2026-07').filter((o) => !isNew(o))));
    expect(Number(newRevenue.value)).toBeGreaterThan(0);
    expect(Number(recurring.value)).toBeGreaterThan(0);
  });

  it('keep every other reason a period is partial: the data starting, the orders ending', async () => {
    const june = await kpiRow(cohort, 'new_customers', '2025-06');
    expect(june.coverage).toBe('partial');
    expect(june.coverage_note).toBe(
      'partial: the data starts 2025-06-17 (the first acquired_at in customers)',
    );
    const october = await kpiRow(cohort, 'new_customers', '2026-10');
    expect(october.coverage).toBe('none');
    expect(october.coverage_note).toBe(
      'no data for October 2026: customers end 2026-09-20 (the rest of the export runs to 2026-10-31)',
    );
  });

  it('say what the numbers rest on, in pulse check and under a report', async () => {
    const note =
      "Customers derived from the first order in orders.csv; the mapping declares every customer's first order is in the export";
    expect(cohort.tables.find((t) => t.table === 'customers')).toMatchObject({
      firstOrdersInExport: true,
      note,
    });
    expect(dataset.tables.find((t) => t.table === 'customers')?.note).toBe(
      'Customers derived from the first order in orders.csv',
    );
    // The report's footer and e-mail read the data quality's lines.
    expect(buildDataQuality(cohort, []).derived).toEqual([note]);
    let stdout = '';
    const io: CliIo = {
      stdout: (text) => {
        stdout += text;
      },
      stderr: () => {},
      env: { PULSE_NOW: TEST_NOW },
      cwd: TOOLKIT_ROOT,
    };
    await runCli(['check', '--data', dir, '--mapping', join(dir, 'cohort.json')], io);
    expect(stdout).toContain(`${note} (the mapping's "from" and "first_orders_in_export")`);
  });
});
