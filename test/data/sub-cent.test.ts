// Money is DECIMAL(18,2): an amount with fractions of a cent is rounded, and pulse check says so.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { quoteLiteral } from '../../lib/data/sql-text.ts';
import { finerThanCents } from '../../lib/data/validate.ts';
import { FIXTURES } from '../helpers.ts';
import { pulse } from '../support/cli.ts';

const folders: string[] = [];
afterAll(() => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));

/** A decimal as an export writes it: sign, spaces, 0 to 6 decimals, trailing zeros. */
function generated(seed: number): string {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
  const whole = String(next(10) < 3 ? next(10) : next(10_000_000));
  const decimals = Array.from({ length: next(7) }, () => (next(3) === 0 ? '0' : String(next(10)))).join('');
  const sign = next(8) === 0 ? '-' : '';
  const pad = next(10) === 0 ? ' ' : '';
  return `${pad}${sign}${whole}${decimals ? `.${decimals}` : ''}${pad}`;
}

/** Digits after the second decimal that are not all zeros: the cast to cents changes the value. */
function finerByHand(text: string): boolean {
  const decimals = text.trim().split('.')[1] ?? '';
  return /[1-9]/.test(decimals.slice(2));
}

describe('amounts finer than a cent', () => {
  it('are found in text exactly as the cast to DECIMAL(18,2) changes them, on 20,000 generated values', async () => {
    const values = Array.from({ length: 20_000 }, (_, i) => generated(i + 1));
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    await db.run('CREATE TABLE t (i INTEGER, amount VARCHAR)');
    const appender = await db.createAppender('t');
    for (const [i, v] of values.entries()) {
      appender.appendInteger(i);
      appender.appendVarchar(v);
      appender.endRow();
    }
    appender.closeSync();
    const where = finerThanCents('amount', 'TRY_CAST(amount AS DECIMAL(18,2))', 'VARCHAR') ?? 'false';
    const rows = (
      await db.runAndReadAll(`SELECT i, coalesce(${where}, false) AS f FROM t ORDER BY i`)
    ).getRowObjectsJson();
    const mismatches = rows.filter((r) => r.f !== finerByHand(values[Number(r.i)] ?? ''));
    expect(mismatches.map((r) => values[Number(r.i)])).toEqual([]);
    expect(rows.filter((r) => r.f).length).toBeGreaterThan(1000);
    // Floats: 0.1 + 0.2 is cents; 19.995 is not. Cents-wide decimals are never asked.
    const [floats] = (
      await db.runAndReadAll(
        `SELECT ${finerThanCents('(0.1::DOUBLE + 0.2::DOUBLE)', '0.30', 'DOUBLE')} AS noise, ${finerThanCents('19.995::DOUBLE', '20.00', 'DOUBLE')} AS finer, ${finerThanCents(quoteLiteral('x'), '1', 'DECIMAL(18,3)')?.startsWith("'x'")} AS wide`,
      )
    ).getRowObjectsJson();
    expect(floats).toEqual({ noise: false, finer: true, wide: true });
    expect(finerThanCents('a', 'a', 'DECIMAL(18,2)')).toBeUndefined();
    expect(finerThanCents('a', 'a', 'BIGINT')).toBeUndefined();
    // A FLOAT cannot tell 10.10 from 10.1000004: not asked.
    expect(finerThanCents('a', 'a', 'FLOAT')).toBeUndefined();
    db.closeSync();
    instance.closeSync();
  });

  it('are a warning of pulse check with the rows, the value as written and the fix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-sub-cent-'));
    folders.push(dir);
    const rows = [
      'D1,2026-10-01,2026-10-02,won,19.995',
      'D2,2026-10-01,2026-10-02,won,10.50',
      'D3,2026-10-01,2026-10-02,won,7.1250',
    ];
    await writeFile(
      join(dir, 'opportunities.csv'),
      ['opportunity_id,created_at,closed_at,status,amount', ...rows].join('\n'),
    );
    const run = await pulse(['check', '--data', dir], { PULSE_CACHE: 'off' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /warning opportunities, column amount: amount has more than 2 decimal places: 2 rows \(expected an amount in whole cents/,
    );
    expect(run.stdout).toContain('19.995');
    expect(run.stdout).toContain('7.1250');
    // A deal is no order: the fix says so.
    expect(run.stdout).toContain(
      'fix: each is rounded half away from zero; if the export should hold cents, round it there',
    );
  });

  it('are found in an order summed from its lines as the mapping recipe says, not rounded line by line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-sub-cent-lines-'));
    folders.push(dir);
    await writeFile(
      join(dir, 'lines.csv'),
      [
        'Order ID,Customer,Created At,Line Total',
        '#1,ada,2026-10-02 09:15,19.995',
        '#1,ada,2026-10-02 09:15,10.00',
        '#2,grace,2026-10-03 10:00,5.005',
        '#2,grace,2026-10-03 10:00,5.005',
      ].join('\n'),
    );
    const mapping = join(dir, 'mapping.json');
    const recipe = JSON.parse(await readFile(join(FIXTURES, 'mapping-order-lines.json'), 'utf8'));
    recipe.tables.orders.files = 'lines.csv';
    recipe.tables.orders.group.aggregate.customer_id = 'any_value("Customer")';
    await writeFile(mapping, JSON.stringify(recipe));
    const run = await pulse(['check', '--data', dir, '--mapping', mapping], { PULSE_CACHE: 'off' });
    expect(run.stdout).toContain('order lines are better summed per order first, in the mapping\'s "group"');
    // #1 totals 29.995 (rounded once, to 30.00); #2 totals 10.010, whole cents.
    expect(run.stdout).toMatch(
      /warning orders, column amount: amount has more than 2 decimal places: 1 row .*lines\.csv 2 \("29\.995000"\)/,
    );
  });
});
