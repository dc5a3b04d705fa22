// A table cut off before the rest of the export (orders exported to August, deals to October) has
// no later days: its KPIs say "no data" there, naming the table, never $0. A table that is merely
// quiet (too few events for the gap to be telling) or a day behind (a weekend) is not cut off.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addDays } from '../../lib/kpi/period.ts';
import { pulse } from '../support/cli.ts';

const folders: string[] = [];
afterAll(() => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Orders on the given days (two a day), deals created and won every day from May to October. */
async function exportWith(orderDays: readonly string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pulse-table-ends-'));
  folders.push(dir);
  const orders = orderDays.flatMap((d, i) => [`O${i}a,C1,${d}T10:00:00,10`, `O${i}b,C2,${d}T15:00:00,10`]);
  await writeFile(join(dir, 'orders.csv'), ['order_id,customer_id,ordered_at,amount', ...orders].join('\n'));
  const deals = days('2026-05-01', '2026-10-31').map((d, i) => `D${i},${d},${d},won,100`);
  await writeFile(
    join(dir, 'opportunities.csv'),
    ['opportunity_id,created_at,closed_at,status,amount', ...deals].join('\n'),
  );
  return dir;
}

type Row = Record<string, unknown>;
async function rows(dir: string, id: string): Promise<Row[]> {
  const run = await pulse(
    [
      'kpi',
      id,
      '--data',
      dir,
      '--grain',
      'month',
      '--from',
      '2026-07-01',
      '--to',
      '2026-11-01',
      '--format',
      'json',
    ],
    { PULSE_NOW: '2026-11-02T08:00:00Z', PULSE_CACHE: 'off' },
  );
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Row[];
}

describe('a table that ends before the rest of the export', () => {
  it('has no data after its end, saying which table ended, never $0', async () => {
    const dir = await exportWith(days('2026-05-01', '2026-08-31'));
    const [july, august, september, october] = await rows(dir, 'revenue');
    expect(july?.value).toBe(620);
    expect(august?.coverage).toBeUndefined();
    for (const row of [september, october]) {
      expect(row?.value).toBeNull();
      expect(row?.coverage).toBe('none');
      expect(row?.coverage_note).toMatch(
        /orders end 2026-08-31 \(the rest of the export runs to 2026-10-31\)/,
      );
    }
    // The deals run to October: their KPIs are whole.
    const close = await rows(dir, 'close_rate');
    expect(close.map((r) => r.coverage ?? 'full')).toEqual(['full', 'full', 'full', 'full']);
  });

  it('a day behind (a weekend), or too quiet for the gap to tell, is not cut off', async () => {
    const dayBehind = await exportWith(days('2026-05-01', '2026-10-30'));
    const october = (await rows(dayBehind, 'revenue')).at(-1);
    expect(october).toMatchObject({ value: 600 }); // 30 days of orders
    expect(october?.coverage).toBeUndefined();
    // Orders every 30 days for years (66 of them): ten weeks without one is not telling.
    const quiet = await exportWith(days('2024-01-01', '2026-08-31').filter((_, i) => i % 30 === 0));
    const september = (await rows(quiet, 'revenue'))[2];
    expect(september).toMatchObject({ value: 0 });
    expect(september?.coverage).toBeUndefined();
  });
});
