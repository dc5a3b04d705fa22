import { describe, expect, it } from 'vitest';
import { carryZeros } from '../../lib/kpi/carry-zeros.ts';
import type { KpiRow } from '../../lib/kpi/run.ts';

const row = (period: string, rep: string | null, value: number | null, extra: object = {}): KpiRow =>
  ({ id: 'won_revenue', period_start: period, period_end: `${period}~`, rep, value, ...extra }) as KpiRow;
const sorted = (rows: KpiRow[]) =>
  rows
    .map((r) => [r.period_start, r.rep, r.value])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1])));

describe('carryZeros', () => {
  it('gives a value 0 where it has no row after its first, in the periods the data covers', () => {
    const rows = [
      row('2017-01', 'A', 5),
      row('2017-02', 'A', 6),
      row('2017-02', 'B', 7),
      row('2017-03', 'B', 8),
      row('2017-04', 'B', null, { coverage: 'partial' }),
    ];
    expect(sorted(carryZeros(rows, 'rep', '2017-01'))).toEqual([
      ['2017-01', 'A', 5],
      ['2017-02', 'A', 6],
      ['2017-02', 'B', 7],
      ['2017-03', 'A', 0],
      ['2017-03', 'B', 8],
      ['2017-04', 'B', null],
    ]);
  });

  it('follows only values seen in the span; rows without a value for `by` are a group of their own', () => {
    const rows = [
      row('2016-12', 'C', 1),
      row('2017-01', null, 4),
      row('2017-01', 'A', 5),
      row('2017-02', 'A', 2),
    ];
    expect(sorted(carryZeros(rows, 'rep', '2017-01'))).toEqual([
      ['2016-12', 'C', 1],
      ['2017-01', 'A', 5],
      ['2017-01', null, 4],
      ['2017-02', 'A', 2],
      ['2017-02', null, 0],
    ]);
  });

  it('a period whose rows without a value for `by` hold something gets no 0s: a value missing may be there', () => {
    const rows = [row('2017-01', 'A', 5), row('2017-01', 'B', 6), row('2017-02', null, 11)];
    expect(sorted(carryZeros(rows, 'rep', '2017-01'))).toEqual([
      ['2017-01', 'A', 5],
      ['2017-01', 'B', 6],
      ['2017-02', null, 11],
    ]);
  });

  it('a period with no row at all (one row of 0 without a value for `by`, on no item) keeps only the values followed', () => {
    const rows = [row('2017-01', 'A', 5), row('2017-02', null, 0, { deals: 0 }), row('2017-03', null, 0)];
    expect(sorted(carryZeros(rows, 'rep', '2017-02'))).toEqual([['2017-01', 'A', 5]]);
    expect(sorted(carryZeros(rows, 'rep', '2017-01'))).toEqual([
      ['2017-01', 'A', 5],
      ['2017-02', 'A', 0],
      ['2017-03', 'A', 0],
    ]);
  });

  it('a real group without a value for `by` worth 0 (lost deals only, no owner) is no empty period', () => {
    const rows = [row('2017-01', 'A', 5), row('2017-02', null, 0, { deals: 2 })];
    expect(sorted(carryZeros(rows, 'rep', '2017-01'))).toEqual([
      ['2017-01', 'A', 5],
      ['2017-02', 'A', 0],
      ['2017-02', null, 0],
    ]);
  });

  it('a period before the data starts (rows without a value) shows no group to follow', () => {
    const rows = [row('2017-02', null, null, { coverage: 'none' }), row('2017-03', 'A', 5)];
    expect(sorted(carryZeros(rows, 'rep', '2017-02'))).toEqual([
      ['2017-02', null, null],
      ['2017-03', 'A', 5],
    ]);
  });

  it('a row of 0 is a real group when any of its counts is not (competitive_deals: 2)', () => {
    const rows = [
      row('2026-01', 'A', 3, { competitive_deals: 4 }),
      row('2026-02', null, 0, { competitive_deals: 2 }),
    ];
    expect(sorted(carryZeros(rows, 'rep', '2026-01'))).toEqual([
      ['2026-01', 'A', 3],
      ['2026-02', 'A', 0],
      ['2026-02', null, 0],
    ]);
  });
});
