// What to do now: the run that is due (on time, or missed within the catch-up window, once) and
// the runs to record as missed (older than the window, or superseded by a later due run). Pure.

import { type CronSchedule, scheduledRunsBetween } from './calendar.ts';
import type { PlanningRecords } from './run-records.ts';

export interface RunPlan {
  /** The one run to do now. */
  readonly due?: Date;
  /** Runs that will not be made up, oldest first. */
  readonly missed: readonly Date[];
}

/** A run counts as on time this long after its instant, whatever the catch-up window. */
export const ON_TIME_GRACE_MS = 15 * 60_000;
/** Missed runs further back than this are not listed one by one. */
const LOOKBACK_MS = 400 * 86_400_000;

export function planRuns(
  schedule: CronSchedule & { readonly catchUpMs: number },
  records: PlanningRecords,
  now: Date,
): RunPlan {
  const windowStart = now.getTime() - Math.max(schedule.catchUpMs, ON_TIME_GRACE_MS);
  // With no history, only runs inside the window count: a new schedule does not replay the past.
  const since = records.latest ? Date.parse(records.latest.scheduledAt) : windowStart - 1;
  const from = new Date(Math.max(since, now.getTime() - LOOKBACK_MS));
  const candidates = new Map<number, Date>();
  for (const run of records.unfinished)
    candidates.set(Date.parse(run.scheduledAt), new Date(run.scheduledAt));
  for (const run of scheduledRunsBetween(schedule, from, now)) candidates.set(run.getTime(), run);
  const sorted = [...candidates.values()].sort((a, b) => a.getTime() - b.getTime());
  const due = sorted.filter((run) => run.getTime() >= windowStart).at(-1);
  // Nor does it owe the runs before its first: they are not missed.
  const missed = records.latest ? sorted.filter((run) => run !== due) : [];
  return { ...(due ? { due } : {}), missed };
}
