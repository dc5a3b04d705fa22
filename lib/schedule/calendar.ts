// The schedule's calendar: when its runs fall, in its time zone, DST included. croner does the
// cron arithmetic (a time in a skipped hour runs at the first valid instant after the gap; a
// time that occurs twice runs once, at the first occurrence); nothing here reads the clock.

import { Cron } from 'croner';
import { localDate } from '../kpi/local-date.ts';
import { addDays, type Grain, lastCompletePeriod, type PeriodSpan } from '../kpi/period.ts';

export interface CronSchedule {
  readonly cron: string;
  readonly timezone: string;
}

/** Runs of one schedule within at most this many results per call: a guard against "* * * * *" over years. */
const MAX_RUNS = 100_000;
const calendars = new Map<string, Cron>();

function calendar(schedule: CronSchedule): Cron {
  const key = `${schedule.cron}\u0000${schedule.timezone}`;
  let job = calendars.get(key);
  if (!job) {
    job = new Cron(schedule.cron, { timezone: schedule.timezone, paused: true, mode: '5-part' });
    calendars.set(key, job);
  }
  return job;
}

/** The scheduled instants in (from, to]: after `from`, up to and including `to`. */
export function scheduledRunsBetween(schedule: CronSchedule, from: Date, to: Date): Date[] {
  const runs: Date[] = [];
  let cursor: Date | null = from;
  while (runs.length < MAX_RUNS) {
    cursor = calendar(schedule).nextRun(cursor);
    if (!cursor || cursor.getTime() > to.getTime()) break;
    runs.push(cursor);
  }
  return runs;
}

/** The first scheduled instant strictly after `after`, or null if the pattern never fires again. */
export function nextScheduledRun(schedule: CronSchedule, after: Date): Date | null {
  return calendar(schedule).nextRun(after);
}

/**
 * The period a run reports: the last complete period before the run's local day. The monthly
 * run of 2026-11-01 07:00 (Berlin) reports October 2026, whenever it actually happens to run.
 */
export function periodForScheduledRun(scheduledAt: Date, timezone: string, grain: Grain): PeriodSpan {
  const lastFullDay = addDays(localDate(scheduledAt, timezone), -1);
  return lastCompletePeriod(lastFullDay, grain);
}
