// Periods are half-open ranges of local calendar days [start, end) in the report's time zone.
// Pure date arithmetic on YYYY-MM-DD strings; DuckDB turns them into instants in that zone.

import { GRAINS } from '../data/contract.ts';
import { PulseError } from '../errors.ts';
import { isIsoDate } from './definition.ts';

export type Grain = (typeof GRAINS)[number];
/** `range` = the whole of [start, end) as one period. */
export type SeriesGrain = Grain | 'range';

export interface PeriodSpan {
  readonly start: string;
  readonly end: string;
  readonly grain: SeriesGrain;
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * The calendar periods may lie in: DuckDB writes a day before 0001-01-01 as BC and cannot read
 * a year after 9999, and a period's end (and its next period) must still be a date.
 */
export const FIRST_DAY = '0001-01-01';
export const LAST_END = '9999-01-01';
const RANGE_HINT = 'periods go from year 0001 to 9998';

/** Whether a day (or a period's start) falls before FIRST_DAY; years compare as numbers. */
export function beforeCalendar(day: string): boolean {
  return !(yearOf(day) >= 1);
}

/** Whether a period's end falls after LAST_END (as text, year 10000 would sort before 9999). */
function afterCalendar(end: string): boolean {
  return !(yearOf(end) < 9999 || end === LAST_END);
}

/** `2026-10-05` → 2026; `+010000-01-01` → 10000, `-000001-12-31` → -1 (Date's ISO years). */
function yearOf(day: string): number {
  return Number(/^([+-]?\d+)-/.exec(day)?.[1] ?? Number.NaN);
}

/** `2026-10`, `2026-Q3`, `2026`, `2026-W42` (ISO week) or a day `2026-10-05`. */
export function parsePeriod(text: string): PeriodSpan {
  const span = parseCalendarPeriod(text);
  if (beforeCalendar(span.start) || afterCalendar(span.end)) {
    throw new PulseError('usage', `--period "${text}" is out of range: ${RANGE_HINT}, e.g. 2026-10`);
  }
  return span;
}

function parseCalendarPeriod(text: string): PeriodSpan {
  let m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m) {
    const month = Number(m[2]);
    if (month >= 1 && month <= 12) {
      const start = `${m[1]}-${m[2]}-01`;
      return { start, end: addMonths(start, 1), grain: 'month' };
    }
  }
  m = /^(\d{4})-Q([1-4])$/i.exec(text);
  if (m) {
    const start = `${m[1]}-${String((Number(m[2]) - 1) * 3 + 1).padStart(2, '0')}-01`;
    return { start, end: addMonths(start, 3), grain: 'quarter' };
  }
  m = /^(\d{4})$/.exec(text);
  if (m) return { start: `${m[1]}-01-01`, end: addMonths(`${m[1]}-01-01`, 12), grain: 'year' };
  m = /^(\d{4})-W(\d{2})$/i.exec(text);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 53) {
    const start = isoWeekStart(Number(m[1]), Number(m[2]));
    return { start, end: addDays(start, 7), grain: 'week' };
  }
  if (isIsoDate(text)) return { start: text, end: addDays(text, 1), grain: 'range' };
  throw new PulseError(
    'usage',
    `--period "${text}" is not a period; use a month 2026-10, a quarter 2026-Q3, a year 2026 or an ISO week 2026-W42`,
  );
}

/** `--from/--to`: half-open; checked. */
export function parseRange(from: string, to: string): PeriodSpan {
  for (const [flag, value] of [
    ['--from', from],
    ['--to', to],
  ] as const) {
    if (!isIsoDate(value)) throw new PulseError('usage', `${flag} "${value}" is not a date; use YYYY-MM-DD`);
    if (beforeCalendar(value) || afterCalendar(value)) {
      throw new PulseError(
        'usage',
        `${flag} "${value}" is out of range: ${RANGE_HINT} (--from ${FIRST_DAY} at the earliest, --to ${LAST_END} at the latest)`,
      );
    }
  }
  if (to <= from)
    throw new PulseError('usage', `--to ${to} must be after --from ${from} (the range is [from, to))`);
  return { start: from, end: to, grain: 'range' };
}

export function parseGrain(text: string): Grain {
  if ((GRAINS as readonly string[]).includes(text)) return text as Grain;
  throw new PulseError('usage', `--grain "${text}" is not one of ${GRAINS.join(', ')}`);
}

/** The grain-aligned start of the period holding `day`. Weeks start on Monday (ISO). */
export function truncate(day: string, grain: Grain): string {
  const [y, m] = day.split('-') as [string, string];
  switch (grain) {
    case 'year':
      return `${y}-01-01`;
    case 'quarter':
      return `${y}-${String(Math.floor((Number(m) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
    case 'month':
      return `${day.slice(0, 7)}-01`;
    case 'week': {
      const weekday = (toDate(day).getUTCDay() + 6) % 7;
      return addDays(day, -weekday);
    }
  }
}

export function step(day: string, grain: Grain, count: number): string {
  switch (grain) {
    case 'week':
      return addDays(day, 7 * count);
    case 'month':
      return addMonths(day, count);
    case 'quarter':
      return addMonths(day, 3 * count);
    case 'year':
      return addMonths(day, 12 * count);
  }
}

/** The grain of one period [start, end): the calendar one it is exactly, else `range`. */
export function grainOf(start: string, end: string): SeriesGrain {
  const exact = (GRAINS as readonly Grain[]).find(
    (grain) => truncate(start, grain) === start && step(start, grain, 1) === end,
  );
  return exact ?? 'range';
}

/** The `count` periods of `grain` ending with the one that holds `lastDay`. */
export function trailingSeries(lastDay: string, grain: Grain, count: number): PeriodSpan {
  const lastStart = truncate(lastDay, grain);
  return { start: step(lastStart, grain, -(count - 1)), end: step(lastStart, grain, 1), grain };
}

/**
 * The last period of `grain` the data fully covers: the one holding `asOf` when `asOf` is
 * its last day, otherwise the one before.
 */
export function lastCompletePeriod(asOf: string, grain: Grain): PeriodSpan {
  const holding = truncate(asOf, grain);
  const next = step(holding, grain, 1);
  const start = addDays(asOf, 1) === next ? holding : step(holding, grain, -1);
  return { start, end: step(start, grain, 1), grain };
}

export function lastCompleteMonth(asOf: string): PeriodSpan {
  return lastCompletePeriod(asOf, 'month');
}

/** "October 2026", "2026-Q3", "2026", "week of 2026-10-12", "2026-10-01 to 2026-10-15". */
export function formatPeriod(span: PeriodSpan): string {
  switch (span.grain) {
    case 'month':
      return `${MONTH_NAMES[Number(span.start.slice(5, 7)) - 1]} ${span.start.slice(0, 4)}`;
    case 'quarter':
      return `${span.start.slice(0, 4)}-Q${Math.floor((Number(span.start.slice(5, 7)) - 1) / 3) + 1}`;
    case 'year':
      return span.start.slice(0, 4);
    case 'week':
      return `week of ${span.start}`;
    case 'range':
      return addDays(span.start, 1) === span.end ? span.start : `${span.start} to ${addDays(span.end, -1)}`;
  }
}

/** The compact label of one period of a series: 2026-10, 2026-Q3, 2026, 2026-10-12. */
export function periodLabel(start: string, end: string, grain: SeriesGrain): string {
  if (grain === 'month') return start.slice(0, 7);
  if (grain === 'quarter' || grain === 'year') return formatPeriod({ start, end, grain });
  return grain === 'week' ? start : formatPeriod({ start, end, grain });
}

export function addDays(day: string, days: number): string {
  const date = toDate(day);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

function isoWeekStart(year: number, week: number): string {
  const jan4 = `${String(year).padStart(4, '0')}-01-04`;
  return addDays(truncate(jan4, 'week'), 7 * (week - 1));
}

function toDate(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** "September" for the month before October 2026; "2026-Q2", "2025", "week of ..." otherwise. */
export function previousLabel(period: PeriodSpan & { grain: Grain }): string {
  const start = step(period.start, period.grain, -1);
  const label = formatPeriod({ start, end: period.start, grain: period.grain });
  return period.grain === 'month' && start.slice(0, 4) === period.start.slice(0, 4)
    ? (label.split(' ')[0] ?? label)
    : label;
}

/** The --period text that reproduces a period. */
export function periodArgument(period: PeriodSpan & { grain: Grain }): string {
  switch (period.grain) {
    case 'month':
      return period.start.slice(0, 7);
    case 'quarter':
    case 'year':
      return formatPeriod(period);
    case 'week':
      return isoWeekLabel(period.start);
  }
}

function isoWeekLabel(monday: string): string {
  const date = new Date(`${monday}T00:00:00Z`);
  const thursday = new Date(date);
  thursday.setUTCDate(date.getUTCDate() + 3);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - yearStart) / 86_400_000 / 7) + 1;
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
