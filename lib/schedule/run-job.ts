// One scheduled run: its period from its scheduled time, its recipients (listed and derived),
// then the delivery, recorded in the runs table from "running" to its outcome.

import { recipientKey } from '../deliver/address.ts';
import { sendAlert } from '../deliver/alert.ts';
import { deliverReport } from '../deliver/deliver-report.ts';
import { countOutcomes } from '../deliver/delivery-outcome.ts';
import type { DeliveryEnv } from '../deliver/delivery-types.ts';
import type { EventLog } from '../deliver/event-log.ts';
import type { Recipient } from '../deliver/prepare-messages.ts';
import { formatLocal } from '../kpi/local-date.ts';
import { formatPeriod, type Grain, periodArgument } from '../kpi/period.ts';
import { alertReport } from '../report/alert-report.ts';
import type { ReportDefinition } from '../report/define.ts';
import { nextScheduledRun, periodForScheduledRun } from './calendar.ts';
import type { Clock } from './clock.ts';
import { readDerivedRecipients } from './recipients-from.ts';
import { deliverAlert } from './run-alert.ts';
import type { RunRecord, RunStore } from './run-records.ts';
import type { Schedule } from './schedule-config.ts';

export interface JobDeps {
  readonly store: RunStore;
  readonly clock: Clock;
  readonly log: EventLog;
  readonly loadReport: (name: string) => Promise<ReportDefinition>;
  /** Everything delivery needs except the clock, which comes from `clock`. */
  readonly delivery: Omit<DeliveryEnv, 'now' | 'sleep' | 'signal' | 'log' | 'timeZone'>;
  readonly signal?: AbortSignal;
}

/** A run left "running" with this detail waits for the export to cover its period. */
export const WAITING_FOR_DATA = 'waiting for data: ';
/** A missed run's detail when the export did not cover its period (it had been waiting for data). */
export const UNSENT_STALE = 'not sent: the export did not cover ';
/** How often a run waiting for data tries again, within its catch-up window. */
export const STALE_RETRY_MS = 30 * 60_000;

/** The report a schedule runs: its report script, or for an alert the alert's own report. */
export function definitionFor(
  schedule: Schedule,
  deps: Pick<JobDeps, 'loadReport'>,
): Promise<ReportDefinition> {
  return schedule.alert
    ? Promise.resolve(alertReport(schedule.name, schedule.alert))
    : deps.loadReport(schedule.report);
}

export async function runScheduledJob(
  schedule: Schedule,
  scheduledAt: Date,
  deps: JobDeps,
): Promise<RunRecord> {
  const now = () => deps.clock.now().toISOString();
  const env: DeliveryEnv = {
    ...deps.delivery,
    timeZone: schedule.timezone,
    now,
    sleep: (ms, signal) => deps.clock.sleepUntil(new Date(deps.clock.now().getTime() + ms), signal),
    log: deps.log,
    ...(deps.signal ? { signal: deps.signal } : {}),
  };
  let definition: ReportDefinition;
  try {
    definition = await definitionFor(schedule, deps);
  } catch (error) {
    const record: RunRecord = {
      schedule: schedule.name,
      scheduledAt: scheduledAt.toISOString(),
      report: schedule.report,
      period: 'unknown',
      state: 'failed',
      startedAt: now(),
      finishedAt: now(),
      detail: (error as Error).message,
    };
    await deps.store.write(record);
    deps.log.write({ event: 'run_failed', level: 'error', schedule: schedule.name, error: record.detail });
    await sendAlert(
      schedule.owner,
      {
        summary: `${schedule.name}: report ${schedule.report} cannot be loaded`,
        details: [String(record.detail)],
        fix: [`check reports/${schedule.report}.ts`],
      },
      env,
    );
    return record;
  }
  const span = periodForScheduledRun(scheduledAt, schedule.timezone, definition.grain);
  const period = periodArgument({ ...span, grain: definition.grain });
  // The log's own spelling of the run (snake_case, like every other event field).
  const logged = {
    schedule: schedule.name,
    scheduled_at: scheduledAt.toISOString(),
    report: schedule.report,
    period,
  };
  const base = {
    schedule: schedule.name,
    scheduledAt: scheduledAt.toISOString(),
    report: schedule.report,
    period,
  };
  const startedAt = now();
  // The owner hears about a stale export once per period: from this run's first try, or from
  // an earlier run of the same period (a daily alert on a monthly KPI) that waited for it too.
  const ownerTold = (await deps.store.readRecent(schedule.name, 64)).some(
    (r) =>
      r.period === period &&
      r.scheduledAt <= base.scheduledAt &&
      (r.detail?.startsWith(WAITING_FOR_DATA) || r.detail?.startsWith(UNSENT_STALE)),
  );
  await deps.store.write({ ...base, state: 'running', startedAt });
  deps.log.write({
    event: 'run_started',
    ...logged,
    scheduled_local: formatLocal(scheduledAt, schedule.timezone),
    late_ms: deps.clock.now().getTime() - scheduledAt.getTime(),
  });
  try {
    const recipients = await collectRecipients(schedule, span, env);
    const alert = schedule.alert;
    const result = alert
      ? await deliverAlert({ ...schedule, alert }, { ...span, grain: definition.grain }, recipients, env)
      : await deliverReport(
          {
            schedule: schedule.name,
            definition,
            period: { ...span, grain: definition.grain },
            recipients,
            owner: schedule.owner,
            force: false,
            dryRun: false,
            pdf: schedule.pdf,
            retry: schedule.retry,
            ...(schedule.onlyIfChanged ? { onlyIfChanged: true } : {}),
            // The owner hears about stale data once, from here, not at every retry.
            quietWhenStale: true,
          },
          env,
        );
    if (result.stale)
      return await waitForData(
        schedule,
        scheduledAt,
        base,
        startedAt,
        { ...result, stale: result.stale },
        ownerTold,
        env,
        deps,
        definition.grain,
      );
    const counts = countOutcomes(result.groups);
    const unknown = result.groups.flatMap((g) => g.outcomes.filter((o) => o.state === 'unknown'));
    const detail = [
      ...(unknown.length > 0
        ? [`outcome unknown, not resent: ${unknown.map((o) => o.key.recipient).join(', ')}`]
        : []),
      ...result.groups.flatMap((g) => g.problems),
      ...(result.stopped ? [result.stopped] : []),
      ...result.restatements.map((r) => `restated: ${r}`),
      ...(result.notes ?? []),
      ...(schedule.onlyIfChanged && counts.sent === 0 && counts.alreadySent > 0
        ? ['the numbers are the ones already sent for this period: skipped (onlyIfChanged)']
        : []),
    ].join('; ');
    if (result.state === 'interrupted') {
      // Left "running": the next start resumes it (recipients already sent are skipped).
      deps.log.write({ event: 'run_interrupted', level: 'warn', ...logged, sent: counts.sent });
      return { ...base, state: 'running', startedAt };
    }
    const record: RunRecord = {
      ...base,
      state: result.state === 'dry-run' ? 'sent' : result.state,
      startedAt,
      finishedAt: now(),
      recipients: counts.recipients,
      sent: counts.sent + counts.alreadySent,
      failed: counts.failed,
      skipped: counts.notSent,
      detail: detail || null,
    };
    await deps.store.write(record);
    deps.log.write({
      event: 'run_finished',
      level: record.state === 'sent' ? 'info' : 'error',
      ...logged,
      state: record.state,
      recipients: counts.recipients,
      sent: counts.sent,
      already_sent: counts.alreadySent,
      failed: counts.failed,
      unknown: counts.unknown,
      not_sent: counts.notSent,
      detail: record.detail,
    });
    return record;
  } catch (error) {
    // Anything unexpected still ends the run with a record and an alert: never silent.
    const message = (error as Error).message;
    const record: RunRecord = { ...base, state: 'failed', startedAt, finishedAt: now(), detail: message };
    await deps.store.write(record);
    deps.log.write({ event: 'run_failed', level: 'error', ...logged, error: message });
    await sendAlert(
      schedule.owner,
      {
        summary: `${schedule.name} (${schedule.report}, ${formatPeriod(span)}): the run failed`,
        details: [message],
        fix: [
          schedule.alert
            ? `after fixing it: npx pulse alert test ${schedule.name} --period ${period}`
            : `after fixing it: npx pulse send ${schedule.name} --period ${period}`,
        ],
      },
      env,
    );
    return record;
  }
}

/**
 * The export does not cover the period yet: nothing went out. Within the catch-up window the run
 * stays open ("running", waiting for data) and is tried again every STALE_RETRY_MS; the owner is
 * told once. After the window the planner records it as missed, with the command to send it.
 */
async function waitForData(
  schedule: Schedule,
  scheduledAt: Date,
  base: Pick<RunRecord, 'schedule' | 'scheduledAt' | 'report' | 'period'>,
  startedAt: string,
  { stale, staleUncovered }: { stale: string; staleUncovered?: boolean },
  ownerTold: boolean,
  env: DeliveryEnv,
  deps: JobDeps,
  grain: Grain,
): Promise<RunRecord> {
  const deadline = new Date(scheduledAt.getTime() + schedule.catchUpMs);
  const next = nextScheduledRun(schedule, scheduledAt);
  const span = periodForScheduledRun(scheduledAt, schedule.timezone, grain);
  const nextReportsIt =
    next !== null && periodForScheduledRun(next, schedule.timezone, grain).start === span.start;
  const record: RunRecord = { ...base, state: 'running', startedAt, detail: `${WAITING_FOR_DATA}${stale}` };
  await deps.store.write(record);
  deps.log.write({
    event: 'run_waiting_for_data',
    level: 'warn',
    schedule: schedule.name,
    scheduled_at: base.scheduledAt,
    period: base.period,
    detail: stale,
    retry_until: deadline.toISOString(),
  });
  if (!ownerTold)
    await sendAlert(
      schedule.owner,
      {
        summary: `${schedule.name} (${schedule.report}, ${base.period}): not sent, the export is stale`,
        details: [stale],
        fix: [
          `pulse schedule tries again every ${STALE_RETRY_MS / 60_000} min until ${formatLocal(deadline, schedule.timezone)} (catchUpHours)${
            nextReportsIt && next
              ? `, and again at each later run that reports ${formatPeriod(span)} (the next: ${formatLocal(next, schedule.timezone)})`
              : ''
          }; refresh the export in ${env.dataDir}`,
          // An alert is not sent by hand: what it says on the latest data the export holds is its
          // test. A report is sent now only marked partial, and only if the export reaches into it.
          schedule.alert
            ? `to see what it says on the latest data the export holds: npx pulse alert test ${schedule.name}`
            : staleUncovered
              ? `nothing of ${formatPeriod(span)} is in the export yet: it cannot be sent, even in part, before the export reaches it`
              : `to send it now, marked partial: npx pulse send ${schedule.name} --period ${base.period} --partial`,
        ],
      },
      env,
    );
  return record;
}

async function collectRecipients(
  schedule: Schedule,
  span: { start: string; end: string; grain: string },
  env: DeliveryEnv,
): Promise<Recipient[]> {
  if (!schedule.recipientsFrom) return [...schedule.recipients];
  const derived = await readDerivedRecipients(schedule.recipientsFrom, {
    dataDir: env.dataDir,
    ...(env.data ? { data: env.data } : {}),
    timeZone: env.timeZone,
    now: env.now(),
    period: { start: span.start, end: span.end, grain: 'range' },
  });
  for (const problem of derived.problems) {
    env.log.write({ event: 'recipient_skipped', level: 'warn', schedule: schedule.name, problem });
  }
  if (derived.problems.length > 0) {
    await sendAlert(
      schedule.owner,
      {
        summary: `${schedule.name}: ${derived.problems.length === 1 ? '1 recipient' : `${derived.problems.length} recipients`} from the data skipped`,
        details: derived.problems.slice(0, 50),
        fix: ['fix the addresses in the data, or the recipientsFrom query in schedules.json'],
      },
      env,
    );
  }
  const listed = new Set(schedule.recipients.map((r) => recipientKey(r.address.address)));
  return [
    ...schedule.recipients,
    ...derived.recipients.filter((r) => !listed.has(recipientKey(r.address.address))),
  ];
}
