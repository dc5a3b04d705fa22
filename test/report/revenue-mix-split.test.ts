// The revenue mix draws a month only where both of its parts are whole: a month the data covers in
// part reads as a fall, and a split the data cannot make (customers derived from their first order
// in the export's first year: every order "new", recurring $0) reads as no recurring revenue.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, parsePeriod } from '../../lib/kpi/period.ts';
import { revenueMix } from '../../lib/report/cells/shared-cells.ts';
import { defineReport } from '../../lib/report/define.ts';
import { runReport } from '../../lib/report/run-report.ts';
import { TEST_NOW } from '../helpers.ts';

let dir: string;
let mapping: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-mix-'));
  // Orders from 2024-06-17 to 2026-10-20, three a day, customers derived from them.
  const orders = ['order_id,customer_id,ordered_at,amount'];
  let n = 0;
  for (let day = '2024-06-17'; day <= '2026-10-20'; day = addDays(day, 1))
    for (let i = 0; i < 3; i++) orders.push(`O${++n},C${(n * 7) % 400},${day},${10 + (n % 5)}`);
  await writeFile(join(dir, 'orders.csv'), `${orders.join('\n')}\n`);
  mapping = join(dir, 'mapping.json');
  await writeFile(
    mapping,
    JSON.stringify({ tables: { orders: { files: 'orders.csv' }, customers: { from: 'orders' } } }),
  );
});

afterAll(() => rm(dir, { recursive: true }));

const mix = defineReport({
  name: 'mix',
  title: 'Mix',
  grain: 'month',
  async build(r) {
    await revenueMix(r);
  },
});

const run = (period: string) =>
  runReport(mix, { dataDir: dir, mapping, timeZone: 'UTC', now: TEST_NOW, period: parsePeriod(period) });

describe('the revenue mix', () => {
  it('says the split is unknown when the data cannot make it for any month drawn', async () => {
    const { document } = await run('2026-02');
    const block = document.blocks[0];
    expect(block?.kind).toBe('unknown');
    expect(block?.kind === 'unknown' && block.reason).toMatch(
      /^partial: customers come from their first order, and the orders start 2024-06-17 \(2 years of orders, to 2026-06-17/,
    );
  });

  it('draws only whole months, and says which are left out and why', async () => {
    const { document } = await run('2026-10');
    const block = document.blocks[0];
    if (block?.kind !== 'chart') throw new Error(`expected a chart, got ${block?.kind}`);
    const rows = block.chart.table.rows;
    expect(rows.map((row) => row[0])).toEqual([
      'Nov 2025',
      'Dec 2025',
      'Jan 2026',
      'Feb 2026',
      'Mar 2026',
      'Apr 2026',
      'May 2026',
      'Jun 2026',
      'Jul 2026',
      'Aug 2026',
      'Sep 2026',
      'Oct 2026',
    ]);
    // Before a year of orders (June 2026 included), and October (the orders end on the 20th): no bars.
    expect(rows.filter((row) => row[3] !== 'n/a').map((row) => row[0])).toEqual([
      'Jul 2026',
      'Aug 2026',
      'Sep 2026',
    ]);
    expect(block.chart.caption).toMatch(
      /^Not drawn: 8 periods from November 2025, partial: customers come from their first order, and the orders start 2024-06-17 \(2 years of orders, to 2026-06-17, tell new customers from older ones\); October 2026, partial: the data ends 2026-10-20\.$/,
    );
  });
});
