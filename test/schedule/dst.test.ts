// Two years of daily schedules in four zones with DST, through the daemon loop on a fake clock:
// each civil day exactly one run; a time skipped by spring-forward runs at the first valid
// instant after the gap; a time repeated by fall-back runs once, at its first occurrence.

import { describe, expect, it } from 'vitest';
import { memoryLog } from '../../lib/deliver/event-log.ts';
import { localDate } from '../../lib/kpi/local-date.ts';
import { addDays } from '../../lib/kpi/period.ts';
import { scheduledRunsBetween } from '../../lib/schedule/calendar.ts';
import { type Clock, createFakeClock } from '../../lib/schedule/clock.ts';
import { runDaemon } from '../../lib/schedule/daemon.ts';
import type { JobDeps } from '../../lib/schedule/run-job.ts';
import { memoryRunStore } from '../../lib/schedule/run-records.ts';
import { testSchedule } from '../deliver/harness.ts';

const START = new Date('2026-01-01T00:00:00Z');
const END = new Date('2028-01-01T00:00:00Z');

const CASES = [
  {
    zone: 'Europe/Berlin',
    time: '02:30',
    note: 'gap on the last Sunday of March, repeat on the last Sunday of October',
  },
  { zone: 'America/New_York', time: '02:30', note: 'gap on the second Sunday of March' },
  { zone: 'America/New_York', time: '01:30', note: 'repeat on the first Sunday of November' },
  { zone: 'Australia/Melbourne', time: '02:30', note: 'gap on the first Sunday of October, repeat in April' },
  { zone: 'America/Santiago', time: '00:30', note: 'gap at midnight in September' },
  { zone: 'America/Santiago', time: '23:30', note: 'repeat before midnight in April' },
  { zone: 'Europe/Berlin', time: '07:00', note: 'away from any transition' },
];

const formats = new Map<string, Intl.DateTimeFormat>();
function format(zone: string, options: Intl.DateTimeFormatOptions, locale = 'en-US'): Intl.DateTimeFormat {
  const key = `${zone}${JSON.stringify(options)}`;
  if (!formats.has(key)) formats.set(key, new Intl.DateTimeFormat(locale, { timeZone: zone, ...options }));
  return formats.get(key) as Intl.DateTimeFormat;
}

function offsetMinutes(instant: Date, zone: string): number {
  const name = format(zone, { timeZoneName: 'longOffset' })
    .formatToParts(instant)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

function wallTime(instant: Date, zone: string): string {
  return format(zone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, 'en-GB').format(instant);
}

/** Every offset change in [from, to), found by scanning hours and bisecting to the minute. */
function transitions(zone: string, from: Date, to: Date): { at: Date; before: number; after: number }[] {
  const found = [];
  for (let t = from.getTime(); t < to.getTime(); t += 3_600_000) {
    const before = offsetMinutes(new Date(t), zone);
    const after = offsetMinutes(new Date(t + 3_600_000), zone);
    if (before === after) continue;
    let lo = t;
    let hi = t + 3_600_000;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetMinutes(new Date(mid), zone) === before) lo = mid;
      else hi = mid;
    }
    found.push({ at: new Date(hi), before, after });
  }
  return found;
}

/** The daemon over [START, END) with a fake clock; returns the instants it ran at. */
async function runTwoYears(zone: string, time: string): Promise<Date[]> {
  const [hh, mm] = time.split(':');
  const schedule = testSchedule({ name: 'daily', cron: `${Number(mm)} ${Number(hh)} * * *`, timezone: zone });
  const controller = new AbortController();
  const fake = createFakeClock(START);
  const clock: Clock = {
    now: () => fake.now(),
    sleepUntil: (at, signal) => {
      if (at.getTime() >= END.getTime()) controller.abort();
      return fake.sleepUntil(at, signal);
    },
  };
  const store = memoryRunStore();
  // A daemon that has been running: the run before START is on record, so none is caught up.
  const before = scheduledRunsBetween(schedule, new Date(START.getTime() - 3 * 86_400_000), START).at(-1);
  await store.write({
    schedule: 'daily',
    scheduledAt: before?.toISOString() ?? '',
    report: 'tiny',
    period: 'x',
    state: 'sent',
  });
  const ran: Date[] = [];
  const late: string[] = [];
  const unused = () => {
    throw new Error('not used by the calendar test');
  };
  const deps = {
    store,
    clock,
    log: memoryLog(),
    signal: controller.signal,
    loadReport: unused,
    delivery: {} as JobDeps['delivery'],
    execute: async (s, scheduledAt) => {
      ran.push(clock.now());
      // No expect() here: a throw would make the daemon retry; collected and checked after.
      if (clock.now().getTime() !== scheduledAt.getTime()) late.push(scheduledAt.toISOString());
      const record = {
        schedule: s.name,
        scheduledAt: scheduledAt.toISOString(),
        report: s.report,
        period: 'x',
        state: 'sent' as const,
      };
      await store.write(record);
      return record;
    },
  } satisfies Parameters<typeof runDaemon>[1];
  await runDaemon([schedule], deps);
  expect(late).toEqual([]);
  expect(deps.log.events.filter((e) => e.level === 'error')).toEqual([]);
  return ran;
}

describe('daily schedules over two years of DST changes (fake clock)', () => {
  for (const { zone, time, note } of CASES) {
    it(`${zone} at ${time}: once per civil day (${note})`, async () => {
      const ran = await runTwoYears(zone, time);
      // Exactly one run on every civil day, none skipped, none twice, for the whole two years.
      const days = ran.map((r) => localDate(r, zone));
      for (let i = 1; i < days.length; i++)
        expect(days[i], `after ${days[i - 1]}`).toBe(addDays(days[i - 1] ?? '', 1));
      // From the first day whose run time is after START to the last whose run is before END.
      const firstDay = localDate(START, zone);
      const lastDay = localDate(new Date(END.getTime() - 1), zone);
      expect([firstDay, addDays(firstDay, 1)]).toContain(days[0]);
      expect([lastDay, addDays(lastDay, -1)]).toContain(days.at(-1));
      expect(days.length).toBeGreaterThanOrEqual(730);
      const changes = transitions(zone, START, END);
      expect(changes).toHaveLength(4);
      // The wall-clock minutes a change skips (spring forward) or repeats (fall back), on its day.
      const minutes = (wall: string) => Number(wall.slice(0, 2)) * 60 + Number(wall.slice(3, 5));
      const t = minutes(time);
      const within = (from: number, to: number) => (from <= to ? from <= t && t < to : t >= from || t < to);
      const affected = changes.map((c) => {
        const after = minutes(wallTime(c.at, zone));
        const lastBefore = (minutes(wallTime(new Date(c.at.getTime() - 60_000), zone)) + 1) % 1440;
        return {
          ...c,
          day: localDate(c.at, zone),
          skipped: c.after > c.before && within(lastBefore, after),
          repeated: c.after < c.before && within(after, lastBefore),
        };
      });
      let gaps = 0;
      let repeats = 0;
      for (const run of ran) {
        const change = affected.find((c) => c.day === localDate(run, zone) && (c.skipped || c.repeated));
        if (change?.skipped) {
          gaps += 1;
          // The first valid instant after the gap is the transition itself.
          expect(run.toISOString()).toBe(change.at.toISOString());
        } else {
          expect(wallTime(run, zone)).toBe(time);
        }
        if (change?.repeated) {
          repeats += 1;
          // Once, at the first occurrence: still on the offset before the change.
          expect(offsetMinutes(run, zone)).toBe(change.before);
        }
      }
      expect(gaps + repeats).toBe(affected.filter((c) => c.skipped || c.repeated).length);
      if (time !== '07:00') expect(gaps + repeats).toBeGreaterThanOrEqual(2);
    });
  }
});
