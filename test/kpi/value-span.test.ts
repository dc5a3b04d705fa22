// A value can read more than its period: a 12-month window, or the period before (growth). Where
// that reaches before the data starts, the value is partial (a window) or no number at all (growth
// against a period the data does not hold, or holds in part), and is never compared.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readsPreviousPeriod, valueSpan } from '../../lib/kpi/window.ts';
import { pulse } from '../support/cli.ts';

let dir: string;
beforeAll(async () => {
  // An export whose history starts on 5 July 2026: July is partial, August and after are whole.
  dir = await mkdtemp(join(tmpdir(), 'pulse-value-span-'));
  await writeFile(
    join(dir, 'orders.csv'),
    [
      'order_id,customer_id,ordered_at,amount',
      'O1,C1,2026-07-05,10',
      'O2,C2,2026-07-06,10',
      'O3,C1,2026-08-05,10',
      'O4,C2,2026-09-05,20',
      'O5,C3,2026-10-01,10',
      'O6,C3,2026-10-31,10',
    ].join('\n'),
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

type Row = Record<string, unknown>;
async function kpiRows(id: string, data = dir): Promise<Row[]> {
  const run = await pulse(
    [
      'kpi',
      id,
      '--data',
      data,
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
  expect(run.stderr).not.toMatch(/error/i);
  return JSON.parse(run.stdout) as Row[];
}

describe('what a value reads beyond its period', () => {
  it('a 12-month window that starts before the data is partial, never compared', async () => {
    const rows = await kpiRows('repeat_purchase_rate');
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row.coverage).toBe('partial');
      expect(row.coverage_note).toMatch(
        /the 12-month window starts before the data, which starts 2026-07-05/,
      );
      expect(row.value).not.toBeNull(); // what the data holds, said to be partial
      expect(row.change).toBeNull();
      expect(row.comparison_note).toBe('this period is partial');
    }
  });

  it('growth against a period before the data, or only partly in it, is no data; after that it is a number', async () => {
    const rows = await kpiRows('revenue_growth');
    const [july, august, september, october] = rows;
    for (const row of [july, august]) {
      expect(row?.coverage).toBe('none');
      expect(row?.value).toBeNull();
      expect(row?.revenue).toBeNull();
    }
    expect(august?.coverage_note).toMatch(/compared with the period before, and the data starts 2026-07-05/);
    // September against August, both whole: $20 against $10.
    expect(september?.coverage).toBeUndefined();
    expect(september?.value).toBeCloseTo(1, 12);
    expect(october?.value).toBeCloseTo(0, 12);
  });

  it('growth of a period the export ends in is no data: part of it against the whole period before', async () => {
    const cut = await mkdtemp(join(tmpdir(), 'pulse-value-span-cut-'));
    try {
      const orders = ['order_id,customer_id,ordered_at,amount'];
      for (let day = 1; day <= 30; day++)
        orders.push(`S${day},C1,2026-09-${String(day).padStart(2, '0')},10`);
      for (let day = 1; day <= 20; day++)
        orders.push(`O${day},C1,2026-10-${String(day).padStart(2, '0')},10`);
      await writeFile(join(cut, 'orders.csv'), orders.join('\n'));
      const october = (await kpiRows('revenue_growth', cut)).find((row) => row.period_start === '2026-10-01');
      expect(october?.value).toBeNull(); // not −33 %: 20 days against 30
      expect(october?.coverage).toBe('none');
      expect(october?.coverage_note).toBe(
        'no data for October 2026: it is compared with the period before, and it is partial: the data ends 2026-10-20',
      );
    } finally {
      await rm(cut, { recursive: true, force: true });
    }
  });

  it('the period before is found in the SQL, not in its comments or strings', () => {
    expect(readsPreviousPeriod('SELECT p.prev_start FROM periods($start, $end, $grain) p')).toBe(true);
    expect(readsPreviousPeriod('SELECT "prev_end" FROM periods($start, $end, $grain) p')).toBe(true);
    expect(readsPreviousPeriod("-- unlike prev_start\nSELECT 'prev_end' AS x")).toBe(false);
    const growth = { sql: 'SELECT p.prev_start', window: undefined };
    expect(valueSpan(growth, { start: '2026-08-01', end: '2026-09-01', grain: 'month' })).toEqual({
      start: '2026-07-01',
      end: '2026-09-01',
      reads: 'previous',
    });
    expect(valueSpan(growth, { start: '2026-08-01', end: '2026-08-11', grain: 'range' })?.start).toBe(
      '2026-07-22',
    );
    expect(
      valueSpan(
        { sql: 'SELECT 1', window: { months: 12 } },
        { start: '2026-08-01', end: '2026-09-01', grain: 'month' },
      ),
    ).toEqual({
      start: '2025-09-01',
      end: '2026-09-01',
      reads: 'window',
    });
  });
});
