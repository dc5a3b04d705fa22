// Time in the generator: a day is an integer count of days since 1970-01-01 and an instant
// is a count of seconds since 1970-01-01T00:00:00, both UTC (the contract reads naive
// timestamps as UTC). Integers keep the arithmetic exact and the output reproducible.

import type { Rng } from './rng.ts';

export const SECONDS_PER_DAY = 86_400;
export const SECONDS_PER_HOUR = 3_600;

/** Day number of an ISO date such as '2026-10-31'. */
export function dayOf(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number);
  return Math.round(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / 86_400_000);
}

/** Last day with data: nothing happens after 2026-10-31 23:59:59. */
export const END_DAY = dayOf('2026-10-31');
export const END_INSTANT = (END_DAY + 1) * SECONDS_PER_DAY - 1;

/** The sample reports two years; `configureHistory` sets another length for one process. */
export const DEFAULT_HISTORY_YEARS = 2;
/** Start of the default funnel. */
export const DEFAULT_HISTORY_START = dayOf('2024-07-01');

// The history's start moves with `configureHistory` (ES module bindings are live, so every
// importer sees the new value). The end never moves: the data always ends on END_DAY.

/** The funnel starts four months before the window, so its first months have a pipeline. */
export let HISTORY_START = DEFAULT_HISTORY_START;
/** First day of the reported months (24 of them by default). */
export let WINDOW_START = dayOf('2024-11-01');
/** Days by which the history starts before the default one: 0 for the default two years. */
export let HISTORY_SHIFT = 0;

/**
 * Sets how many years of reported months the simulation covers (whole years ending on
 * END_DAY; the funnel starts four months earlier). Two years is the sample. Affects every
 * later simulation in this process.
 */
export function configureHistory(years: number): void {
  if (!Number.isInteger(years) || years < 1 || years > 8) {
    throw new Error(`years of history must be a whole number from 1 to 8, got ${years}`);
  }
  WINDOW_START = monthStart(END_DAY + 1, -12 * years);
  HISTORY_START = monthStart(WINDOW_START, -4);
  HISTORY_SHIFT = DEFAULT_HISTORY_START - HISTORY_START;
}

/** Years of reported months currently configured. */
export function historyYears(): number {
  return monthsBetween(WINDOW_START, END_DAY + 1) / 12;
}

export function formatDate(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

export function formatTimestamp(instant: number): string {
  return new Date(instant * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

export function dayOfInstant(instant: number): number {
  return Math.floor(instant / SECONDS_PER_DAY);
}

export function instantOf(day: number, hour = 0): number {
  return day * SECONDS_PER_DAY + Math.round(hour * SECONDS_PER_HOUR);
}

/** 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(day: number): boolean {
  const w = weekday(day);
  return w === 0 || w === 6;
}

export interface YearMonth {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
}

export function yearMonthOf(day: number): YearMonth {
  const date = new Date(day * 86_400_000);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1 };
}

export function dayOfMonthOf(day: number): number {
  return new Date(day * 86_400_000).getUTCDate();
}

/** First day of the month `offset` months after the month of `day`. */
export function monthStart(day: number, offset = 0): number {
  const { year, month } = yearMonthOf(day);
  return Math.round(Date.UTC(year, month - 1 + offset, 1) / 86_400_000);
}

/**
 * The same day of the month `months` later, clamped to the month's last day: a contract
 * that starts on 31 January renews on 28 February, like billing systems do.
 */
export function addMonths(day: number, months: number, anchorDayOfMonth = dayOfMonthOf(day)): number {
  const first = monthStart(day, months);
  const length = monthStart(first, 1) - first;
  return first + Math.min(anchorDayOfMonth, length) - 1;
}

/** Whole months from the month of `from` to the month of `to`. */
export function monthsBetween(from: number, to: number): number {
  const a = yearMonthOf(from);
  const b = yearMonthOf(to);
  return (b.year - a.year) * 12 + (b.month - a.month);
}

// Demand by calendar month: a strong Q4 push, a weak August, a slow start in January.
const MONTH_SEASONALITY = [0.95, 1.0, 1.08, 1.02, 1.0, 0.95, 0.88, 0.74, 1.05, 1.12, 1.16, 1.0];

export function seasonality(day: number): number {
  return MONTH_SEASONALITY[yearMonthOf(day).month - 1] ?? 1;
}

/**
 * A modest growth trend: about +1.4 % a month, 1 at the start of the default funnel
 * (2024-07-01); a longer history reaches back to a smaller company.
 */
export function growth(day: number): number {
  return Math.exp(0.014 * ((day - DEFAULT_HISTORY_START) / 30.44));
}

/**
 * An instant on `day` during office hours (peaks mid-morning and mid-afternoon), the time of
 * day most CRM events are logged. Hours are UTC; the company serves every region but most
 * of the work is done in one band of time zones.
 */
export function officeInstant(rng: Rng, day: number): number {
  const hour = rng.chance(0.5) ? rng.normal(10.5, 1.6) : rng.normal(14.5, 1.8);
  const clamped = Math.min(19.9, Math.max(7, hour));
  return instantOf(day, clamped) + rng.int(0, 59);
}

/** Any time of the day, for things customers do on their own (sign-ups, tickets). */
export function anyTimeInstant(rng: Rng, day: number): number {
  const hour = rng.chance(0.8) ? Math.min(23.9, Math.max(0, rng.normal(13, 3.5))) : rng.uniform(0, 24);
  return instantOf(day, hour) + rng.int(0, 59);
}

/**
 * A random day in [from, to] (inclusive), rejecting weekends with probability
 * 1 - weekendWeight: B2B work mostly happens on working days.
 */
export function randomDay(rng: Rng, from: number, to: number, weekendWeight: number): number {
  for (let attempt = 0; attempt < 20; attempt++) {
    const day = rng.int(from, to);
    if (!isWeekend(day) || rng.chance(weekendWeight)) return day;
  }
  return rng.int(from, to);
}

/** The next working day at or after `day`. */
export function nextWorkday(day: number): number {
  let d = day;
  while (isWeekend(d)) d++;
  return d;
}

/**
 * An office-hours instant on the first working day at least `days` after `after`, and never
 * before `after` itself: the next step of a process somebody works on.
 */
export function officeInstantAfter(rng: Rng, after: number, days: number): number {
  const day = nextWorkday(dayOfInstant(after + Math.round(days * SECONDS_PER_DAY)));
  const instant = officeInstant(rng, day);
  return instant > after ? instant : after + rng.int(300, 5_400);
}
