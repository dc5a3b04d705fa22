// `pulse schedule`: one loop per schedule. Each turn plans from the runs table (what is due,
// what was missed), does the due run, then sleeps until the next scheduled instant. A loop
// awaits its run, so runs of one schedule never overlap; schedules run side by side.

import type { MailAddress } from '../deliver/address.ts';
import { sendAlert } from '../deliver/alert.ts';
import type { DeliveryEnv } from '../deliver/delivery-types.ts';
import type { EventLog } from '../deliver/event-log.ts';
import { formatLocal } from '../kpi/local-date.ts';
import { formatPeriod, periodArgument } from '../kpi/period.ts';
import { nextScheduledRun, periodForScheduledRun } from './calendar.ts';
import type { Clock } from './clock.ts';
import { planRuns, type RunPlan } from './plan-runs.ts';
import {
  definitionFor,
  type JobDeps,
  runScheduledJob,
  STALE_RETRY_MS,
  UNSENT_STALE,
  WAITING_FOR_DATA,
} from './run-job.ts';
import type { RunRecord, RunStore } from './run-records.ts';
import { ALERT_REPORT_PREFIX, type Schedule } from './schedule-config.ts';

export interface DaemonDeps extends JobDeps {
  readonly store: RunStore;
  readonly clock: Clock;
  readonly log: EventLog;
  /** The run itself; tests of the calendar pass a stub. */
  readonly execute?: (schedule: Schedule, scheduledAt: Date) => Promise<RunRecord>;
}

/** How a missed run's detail says a later run of its schedule takes its period over. */
const REPORTS_IT = ' reports the same period';

/** After an unexpected error (the ledger busy for long), the loop waits this long and goes on. */
const ERROR_PAUSE_MS = 60_000;

/** Runs until `deps.signal` aborts (SIGTERM): the send in progress finishes first. */
export async function runDaemon(schedules: readonly Schedule[], deps: DaemonDeps): Promise<void> {
  deps.log.write({
    event: 'daemon_started',
    pid: process.pid,
    schedules: schedules.map((s) => ({ name: s.name, next_run: nextRunText(s, deps.clock.now()) })),
  });
  await Promise.all(schedules.map((schedule) => scheduleLoop(schedule, deps)));
  deps.log.write({ event: 'daemon_stopped', pid: process.pid });
}

/** `pulse schedule --once`: what is due now (and catch-up), then return. */
export async function runDueNow(schedules: readonly Schedule[], deps: DaemonDeps): Promise<RunRecord[]> {
  const done: RunRecord[] = [];
  for (const schedule of schedules) {
    if (deps.signal?.aborted) break;
    done.push(...(await runDue(schedule, deps)));
  }
  return done;
}

async function scheduleLoop(schedule: Schedule, deps: DaemonDeps): Promise<void> {
  while (!deps.signal?.aborted) {
    let waiting = false;
    try {
      const done = await runDue(schedule, deps);
      waiting = done.some((r) => r.state === 'running' && r.detail?.startsWith(WAITING_FOR_DATA));
    } catch (error) {
      deps.log.write({
        event: 'schedule_error',
        level: 'error',
        schedule: schedule.name,
        error: (error as Error).message,
      });
      await deps.clock.sleepUntil(new Date(deps.clock.now().getTime() + ERROR_PAUSE_MS), deps.signal);
      continue;
    }
    if (deps.signal?.aborted) break;
    const next = nextScheduledRun(schedule, deps.clock.now());
    if (!next) {
      deps.log.write({
        event: 'schedule_ended',
        schedule: schedule.name,
        reason: 'the cron pattern has no future run',
      });
      return;
    }
    // A run waiting for the export to cover its period is tried again before the next one.
    const retry = new Date(deps.clock.now().getTime() + STALE_RETRY_MS);
    await deps.clock.sleepUntil(waiting && retry < next ? retry : next, deps.signal);
  }
}

/** Records missed runs (and tells the owner), then does the due run, until nothing is due. */
async function runDue(schedule: Schedule, deps: DaemonDeps): Promise<RunRecord[]> {
  const done: RunRecord[] = [];
  const execute = deps.execute ?? ((s: Schedule, at: Date) => runScheduledJob(s, at, deps));
  while (!deps.signal?.aborted) {
    const records = await deps.store.readForPlanning(schedule.name);
    const plan = planRuns(schedule, records, deps.clock.now());
    if (plan.missed.length > 0) await recordMissed(schedule, plan, records.unfinished, deps);
    if (!plan.due) break;
    const record = await execute(schedule, plan.due);
    done.push(record);
    if (record.state === 'running') break; // interrupted: resumed on the next start
  }
  return done;
}

/**
 * Records the runs that will not be made up, and tells the owner: why each went unsent and the
 * command for it. A run whose period a later run reports (a daily alert on a monthly KPI waiting
 * for the export) is taken over by that run: recorded, and no mail, as nothing of it is lost (the
 * owner heard about the stale export when it began).
 */
async function recordMissed(
  schedule: Schedule,
  plan: RunPlan,
  unfinished: readonly RunRecord[],
  deps: DaemonDeps,
): Promise<void> {
  const definition = await definitionFor(schedule, deps);
  const periodOf = (at: Date) => {
    const span = periodForScheduledRun(at, schedule.timezone, definition.grain);
    return { span, period: periodArgument({ ...span, grain: definition.grain }) };
  };
  const later = [...plan.missed, ...(plan.due ? [plan.due] : [])];
  const down: string[] = [];
  const stale: string[] = [];
  for (const at of plan.missed) {
    const { span, period } = periodOf(at);
    const waited = unfinished
      .find((r) => r.scheduledAt === at.toISOString())
      ?.detail?.startsWith(WAITING_FOR_DATA);
    // A run that waited for the export hands its period on to the schedule's next run, due now or
    // still to come (the owner was told the export is stale). One missed while the scheduler was
    // down is taken over only by a run due or missed already: one still to come may never happen
    // (schedules.json edited, the scheduler stopped), and the owner would never hear.
    const next = nextScheduledRun(schedule, at);
    const samePeriod = next && periodOf(next).period === period ? next : undefined;
    const takenOverBy =
      samePeriod && (waited || later.some((run) => run.getTime() === samePeriod.getTime()))
        ? samePeriod
        : undefined;
    const reportsIt = takenOverBy
      ? `the run of ${formatLocal(takenOverBy, schedule.timezone)}${REPORTS_IT}`
      : '';
    await deps.store.write({
      schedule: schedule.name,
      scheduledAt: at.toISOString(),
      report: schedule.report,
      period,
      state: 'missed',
      finishedAt: deps.clock.now().toISOString(),
      detail: takenOverBy
        ? waited
          ? `${UNSENT_STALE}${formatPeriod(span)} yet; ${reportsIt}`
          : `not run at its time; ${reportsIt}`
        : waited
          ? `${UNSENT_STALE}the period within the catch-up window`
          : 'not run: pulse schedule was down (or the run was cut off) for longer than the catch-up window',
    });
    deps.log.write({
      event: 'run_missed',
      level: takenOverBy ? 'warn' : 'error',
      schedule: schedule.name,
      scheduled_at: at.toISOString(),
      period,
      ...(takenOverBy ? { taken_over_by: takenOverBy.toISOString() } : {}),
    });
    if (takenOverBy) continue;
    const when = `${formatLocal(at, schedule.timezone)} (${formatPeriod(span)})`;
    // An alert is not sent by hand; what it would have said is its test.
    const command = schedule.alert
      ? `npx pulse alert test ${schedule.name} --period ${period}`
      : `npx pulse send ${schedule.name} --period ${period}`;
    (waited ? stale : down).push(`${when}: ${command}`);
  }
  const env: DeliveryEnv = {
    ...deps.delivery,
    timeZone: schedule.timezone,
    now: () => deps.clock.now().toISOString(),
    sleep: (ms, signal) => deps.clock.sleepUntil(new Date(deps.clock.now().getTime() + ms), signal),
    log: deps.log,
  };
  const runs = (n: number) => (n === 1 ? '1 scheduled run' : `${n} scheduled runs`);
  if (stale.length > 0)
    await sendAlert(
      schedule.owner,
      {
        summary: `${schedule.name}: ${runs(stale.length)} went unsent, the export did not cover ${stale.length === 1 ? 'its period' : 'their periods'}`,
        details: stale.slice(-20),
        fix: [
          `refresh the export in ${deps.delivery.dataDir}`,
          schedule.alert
            ? 'an alert is not sent by hand: the command on its line shows what it would have said'
            : 'once the export covers the period, send it with the command on its line (add --partial to send it now with the data there is)',
        ],
      },
      env,
    );
  if (down.length > 0)
    await sendAlert(
      schedule.owner,
      {
        summary: `${schedule.name}: ${runs(down.length)} ${down.length === 1 ? 'was' : 'were'} missed`,
        details: down.slice(-20),
        fix: [
          `the catch-up window is ${schedule.catchUpMs / 3_600_000} h (catchUpHours in schedules.json); keep pulse schedule running (systemd, a container restart policy)`,
          schedule.alert
            ? 'an alert is not sent by hand: the command on its line shows what it would have said'
            : 'send a missed report by hand with the command on its line',
        ],
      },
      env,
    );
}

/**
 * A run that waited for the export hands its period on to its schedule's next run; a schedule
 * removed from schedules.json before that run never sends it, and nothing else would say so.
 * At start-up, each such period is recorded as not sent, logged as an error and told to the
 * config's owner (PULSE_OWNER), with the command that sends it; returned for the terminal too.
 */
export async function reportAbandonedRuns(
  current: readonly Schedule[],
  owner: MailAddress | undefined,
  deps: DaemonDeps,
): Promise<string[]> {
  const known = new Set(current.map((s) => s.name));
  const lines: string[] = [];
  for (const name of await deps.store.scheduleNames()) {
    if (known.has(name)) continue;
    const { latest } = await deps.store.readForPlanning(name);
    const waiting = latest?.state === 'running' && latest.detail?.startsWith(WAITING_FOR_DATA);
    const handedOn =
      latest?.state === 'missed' &&
      latest.detail?.startsWith(UNSENT_STALE) &&
      latest.detail.includes(REPORTS_IT);
    if (!latest || !(waiting || handedOn)) continue;
    await deps.store.write({
      ...latest,
      state: 'missed',
      finishedAt: deps.clock.now().toISOString(),
      detail: `not sent: waiting for the export when schedule "${name}" was removed from schedules.json`,
    });
    deps.log.write({ event: 'run_abandoned', level: 'error', schedule: name, period: latest.period });
    const alert = latest.report.startsWith(ALERT_REPORT_PREFIX);
    lines.push(
      alert
        ? `${name} (${latest.report}), ${latest.period}: the alert was not checked`
        : `${name} (${latest.report}), ${latest.period}: npx pulse send ${latest.report} --period ${latest.period} --to ADDRESS`,
    );
  }
  if (lines.length > 0 && owner) {
    await sendAlert(
      owner,
      {
        summary: `${lines.length === 1 ? '1 period' : `${lines.length} periods`} of removed schedules will not be sent`,
        details: lines,
        fix: [
          'each waited for the export to cover its period, and its schedule was removed from schedules.json before a later run could send it',
          'send a report by hand with the command on its line, for its recipients',
        ],
      },
      { ...deps.delivery, now: () => deps.clock.now().toISOString(), log: deps.log },
    );
  }
  return lines;
}

function nextRunText(schedule: Schedule, now: Date): string | null {
  const next = nextScheduledRun(schedule, now);
  return next ? formatLocal(next, schedule.timezone) : null;
}
