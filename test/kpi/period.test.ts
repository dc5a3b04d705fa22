import { describe, expect, it } from 'vitest';
import {
  addMonths,
  formatPeriod,
  lastCompleteMonth,
  lastCompletePeriod,
  parsePeriod,
  parseRange,
  trailingSeries,
} from '../../lib/kpi/period.ts';

describe('periods', () => {
  it('parses months, quarters, years, ISO weeks and days as half-open spans', () => {
    expect(parsePeriod('2026-10')).toEqual({ start: '2026-10-01', end: '2026-11-01', grain: 'month' });
    expect(parsePeriod('2026-12')).toEqual({ start: '2026-12-01', end: '2027-01-01', grain: 'month' });
    expect(parsePeriod('2026-Q3')).toEqual({ start: '2026-07-01', end: '2026-10-01', grain: 'quarter' });
    expect(parsePeriod('2026')).toEqual({ start: '2026-01-01', end: '2027-01-01', grain: 'year' });
    // ISO week 1 of 2026 starts on Monday 2025-12-29.
    expect(parsePeriod('2026-W01')).toEqual({ start: '2025-12-29', end: '2026-01-05', grain: 'week' });
    expect(parsePeriod('2026-10-05')).toEqual({ start: '2026-10-05', end: '2026-10-06', grain: 'range' });
  });

  it('explains what a period looks like when it cannot parse one', () => {
    expect(() => parsePeriod('Oct 2026')).toThrow(/use a month 2026-10, a quarter 2026-Q3, a year 2026/);
    expect(() => parsePeriod('2026-13')).toThrow(/is not a period/);
  });

  it('checks --from/--to', () => {
    expect(parseRange('2026-01-01', '2026-04-01')).toEqual({
      start: '2026-01-01',
      end: '2026-04-01',
      grain: 'range',
    });
    expect(() => parseRange('2026-04-01', '2026-04-01')).toThrow(/must be after/);
    expect(() => parseRange('2026-02-30', '2026-04-01')).toThrow(/--from "2026-02-30" is not a date/);
  });

  it('finds the last complete month of the data', () => {
    expect(lastCompleteMonth('2026-10-31')).toEqual(parsePeriod('2026-10'));
    expect(lastCompleteMonth('2026-10-30')).toEqual(parsePeriod('2026-09'));
    expect(lastCompleteMonth('2024-02-29')).toEqual(parsePeriod('2024-02'));
    expect(lastCompletePeriod('2026-10-31', 'quarter')).toEqual(parsePeriod('2026-Q3'));
    // 2026-11-01 is a Sunday: the week of Monday 2026-10-26 is complete.
    expect(lastCompletePeriod('2026-11-01', 'week')).toEqual(parsePeriod('2026-W44'));
  });

  it('builds trailing series and clamps month arithmetic', () => {
    expect(trailingSeries('2026-10-31', 'month', 12)).toEqual({
      start: '2025-11-01',
      end: '2026-11-01',
      grain: 'month',
    });
    expect(trailingSeries('2026-10-15', 'quarter', 4)).toEqual({
      start: '2026-01-01',
      end: '2027-01-01',
      grain: 'quarter',
    });
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
  });

  it('names periods for people', () => {
    expect(formatPeriod(parsePeriod('2026-10'))).toBe('October 2026');
    expect(formatPeriod(parsePeriod('2026-Q3'))).toBe('2026-Q3');
    expect(formatPeriod(parseRange('2026-10-01', '2026-10-16'))).toBe('2026-10-01 to 2026-10-15');
  });
});
