import { describe, expect, it } from 'vitest';
import { comparisonSpans } from '../../lib/kpi/compare.ts';
import {
  addMonths,
  formatPeriod,
  grainOf,
  lastCompleteMonth,
  lastCompletePeriod,
  type PeriodSpan,
  parsePeriod,
  parseRange,
  periodArgument,
  previousLabel,
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

  it('keeps periods within years 0001 to 9998, zero-padded', () => {
    expect(parsePeriod('0001')).toEqual({ start: '0001-01-01', end: '0002-01-01', grain: 'year' });
    expect(parsePeriod('0001-W01')).toEqual({ start: '0001-01-01', end: '0001-01-08', grain: 'week' });
    expect(parsePeriod('9998-12')).toEqual({ start: '9998-12-01', end: '9999-01-01', grain: 'month' });
    for (const text of ['0000-12', '0000', '9999-12', '9999-W52', '9999-Q1', '9999', '0000-06-15']) {
      expect(() => parsePeriod(text), text).toThrow(
        `--period "${text}" is out of range: periods go from year 0001 to 9998, e.g. 2026-10`,
      );
    }
    expect(parseRange('0001-01-01', '9999-01-01')).toMatchObject({ start: '0001-01-01', end: '9999-01-01' });
    expect(() => parseRange('0000-12-31', '2026-01-01')).toThrow(/--from "0000-12-31" is out of range/);
    expect(() => parseRange('2026-01-01', '9999-01-02')).toThrow(
      /--to "9999-01-02" is out of range: periods go from year 0001 to 9998 \(--from 0001-01-01 at the earliest, --to 9999-01-01 at the latest\)/,
    );
  });

  it('never compares with a period before year 1', () => {
    for (const span of [
      parsePeriod('0001-01'),
      parsePeriod('0001-W52'),
      parseRange('0001-01-01', '0001-03-01'),
    ]) {
      for (const computed of comparisonSpans(span)) expect(computed.start >= '0001-01-01').toBe(true);
    }
    expect(comparisonSpans(parsePeriod('0001-W52'))).toEqual([
      { start: '0001-01-01', end: '0001-12-31', grain: 'week' },
    ]);
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

describe('periodArgument and previousLabel', () => {
  const grained = (text: string) => {
    const span: PeriodSpan = parsePeriod(text);
    if (span.grain === 'range') throw new Error(`${text} is a range`);
    return { ...span, grain: span.grain };
  };

  it('give back the --period text that reproduces a period, ISO weeks included', () => {
    for (const text of ['2026-10', '2026-01', '2026-Q3', '2025', '2026-W43', '2021-W01', '2020-W53']) {
      expect(periodArgument(grained(text))).toBe(text);
    }
  });

  it('name the period before: the month alone within a year, in full across one', () => {
    expect(previousLabel(grained('2026-10'))).toBe('September');
    expect(previousLabel(grained('2026-01'))).toBe('December 2025');
    expect(previousLabel(grained('2026-Q3'))).toBe('2026-Q2');
    expect(previousLabel(grained('2025'))).toBe('2024');
    expect(previousLabel(grained('2021-W01'))).toBe('week of 2020-12-28');
  });

  it('tell the grain of one period from its days, a range when it is no calendar period', () => {
    expect(grainOf('2026-08-01', '2026-09-01')).toBe('month');
    expect(grainOf('2026-06-01', '2026-07-01')).toBe('month'); // a Monday, not a week
    expect(grainOf('2026-07-01', '2026-10-01')).toBe('quarter');
    expect(grainOf('2026-01-01', '2027-01-01')).toBe('year');
    expect(grainOf('2026-08-03', '2026-08-10')).toBe('week');
    expect(grainOf('2026-08-04', '2026-08-11')).toBe('range');
    expect(grainOf('2026-08-15', '2026-09-15')).toBe('range');
  });
});
