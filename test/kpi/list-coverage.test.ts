// A list's period before its data is "no data ... the data starts ...", never a table of zeros:
// the number a row is sorted by (bucket_order) is its place, not a count, and a list whose rows
// rest on a table that has not begun (customers grouped by orders before the first order) has
// nothing to say there. A zero inside the data stays a zero.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/data/dataset.ts';
import { sortColumns } from '../../lib/kpi/list-order.ts';
import { addDays } from '../../lib/kpi/period.ts';
import { kpiRows, openFixture } from '../helpers.ts';

const folders: string[] = [];
const datasets: Dataset[] = [];
afterAll(async () => {
  for (const dataset of datasets) dataset.close();
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
});

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

async function exportOf(files: Readonly<Record<string, readonly string[]>>): Promise<Dataset> {
  const dir = await mkdtemp(join(tmpdir(), 'pulse-list-coverage-'));
  folders.push(dir);
  for (const [name, lines] of Object.entries(files))
    await writeFile(join(dir, name), `${lines.join('\n')}\n`);
  const dataset = await openFixture(dir);
  datasets.push(dataset);
  return dataset;
}

describe('the columns a list is sorted by', () => {
  it('are the plain columns of its outer ORDER BY sorted ascending, period_start aside', () => {
    expect(sortColumns('SELECT * FROM t ORDER BY period_start, bucket_order')).toEqual(
      new Set(['bucket_order']),
    );
    expect(
      sortColumns(`SELECT p.period_start, x.month_index::INTEGER AS month_index FROM p JOIN x ON true
        ORDER BY p.period_start, cohort ASC, x.month_index NULLS LAST`),
    ).toEqual(new Set(['cohort', 'month_index']));
    // Ranked highest first, an expression, or an ORDER BY inside a window: not the list's order.
    expect(
      sortColumns(`SELECT *, lag(n) OVER (PARTITION BY period_start ORDER BY rank) AS prev FROM t
        ORDER BY period_start, tickets DESC, coalesce(a, b), 1 LIMIT 5`),
    ).toEqual(new Set());
  });
});

describe('resolution_time_distribution before the tickets start', () => {
  // Customers and orders from 2025; tickets from June 2026, none resolved in August.
  let dataset: Dataset;
  beforeAll(async () => {
    const customers = days('2025-01-01', '2025-01-20').map((d, i) => `C${i},${d}`);
    const orders = days('2025-02-01', '2026-10-31').map((d, i) => `O${i},C${i % 20},${d}T10:00:00,100`);
    const tickets = days('2026-06-01', '2026-10-31')
      .filter((d) => !d.startsWith('2026-08'))
      .map((d, i) => `T${i},C${i % 20},${d}T09:00:00,${d}T12:00:00`);
    dataset = await exportOf({
      'customers.csv': ['customer_id,acquired_at', ...customers],
      'orders.csv': ['order_id,customer_id,ordered_at,amount', ...orders],
      'tickets.csv': ['ticket_id,customer_id,created_at,resolved_at', ...tickets],
    });
  });

  it('is no data, with where the data starts, not seven buckets of 0 tickets', async () => {
    expect(await kpiRows(dataset, 'resolution_time_distribution', '2026-03')).toEqual([
      {
        id: 'resolution_time_distribution',
        period_start: '2026-03-01',
        period_end: '2026-04-01',
        value: null,
        coverage: 'none',
        coverage_note:
          'no data for March 2026: the data starts 2026-06-01 (the first resolved_at in tickets)',
      },
    ]);
  });

  it('keeps a month inside the data with no ticket resolved as its seven buckets at 0', async () => {
    const august = await kpiRows(dataset, 'resolution_time_distribution', '2026-08');
    expect(august.map((r) => [r.bucket_order, r.tickets, r.share, r.coverage])).toEqual(
      [1, 2, 3, 4, 5, 6, 7].map((order) => [order, 0, null, undefined]),
    );
    const september = await kpiRows(dataset, 'resolution_time_distribution', '2026-09');
    expect(september.map((r) => r.tickets)).toEqual([0, 30, 0, 0, 0, 0, 0]);
  });
});

describe('relationship_groups before the orders start', () => {
  // Customers acquired through 2025; orders only from May 2026.
  let dataset: Dataset;
  beforeAll(async () => {
    const customers = days('2025-01-01', '2025-12-31')
      .filter((_, i) => i % 15 === 0)
      .map((d, i) => `C${i},${d},`);
    const orders = days('2026-05-01', '2026-10-31').map(
      (d, i) => `O${i},C${i % customers.length},${d}T10:00:00,${100 + (i % 7) * 50},40`,
    );
    dataset = await exportOf({
      'customers.csv': ['customer_id,acquired_at,churned_at', ...customers],
      'orders.csv': ['order_id,customer_id,ordered_at,amount,cost', ...orders],
    });
  });

  it('is no data, with where the orders start, not customers grouped at $0', async () => {
    const rows = await kpiRows(dataset, 'relationship_groups', {
      start: '2026-02-01',
      end: '2026-06-01',
      grain: 'month',
    });
    expect(rows.slice(0, 3)).toEqual(
      ['2026-02-01', '2026-03-01', '2026-04-01'].map((start) =>
        expect.objectContaining({
          period_start: start,
          value: null,
          coverage: 'none',
          coverage_note: expect.stringMatching(
            /: the data starts 2026-05-01 \(the first ordered_at in orders\)$/,
          ),
        }),
      ),
    );
    expect(rows.slice(3).map((r) => [r.period_start, r.group])).toEqual([
      ['2026-05-01', 'true_friends'],
      ['2026-05-01', 'butterflies'],
      ['2026-05-01', 'barnacles'],
      ['2026-05-01', 'strangers'],
    ]);
  });

  it('keeps a group with no customers as 0 once the orders have begun', async () => {
    // 25 customers; tenure_split 0 puts every one in long term: the short-term groups hold 0.
    const rows = await kpiRows(dataset, 'relationship_groups', '2026-10', {
      params: { tenure_split_months: '0' },
    });
    expect(rows.map((r) => [r.group, r.customers])).toEqual([
      ['true_friends', expect.any(Number)],
      ['butterflies', 0],
      ['barnacles', expect.any(Number)],
      ['strangers', 0],
    ]);
    expect(rows.reduce((n, r) => n + Number(r.customers), 0)).toBe(25);
  });

  it('says its groups rest on fewer months of orders than its 12 while the window starts before them', async () => {
    const october = await kpiRows(dataset, 'relationship_groups', '2026-10');
    expect(october).toHaveLength(4);
    for (const row of october)
      expect(row).toMatchObject({
        coverage: 'partial',
        coverage_note: 'partial: the 12-month window starts before the data, which starts 2026-05-01',
      });
  });
});
