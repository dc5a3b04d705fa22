// `pulse schedule --status`: for each schedule, the next run, the last outcome, what is waiting
// for a retry and what went out with no reply (outcome unknown). Built from the runs table and
// the send ledger; formatted here.

import type { AlertState } from '../deliver/alert-states.ts';
import type { SendRecord } from '../deliver/ledger.ts';
import { buildResendCommand } from '../deliver/resend-command.ts';
import { formatLocal } from '../kpi/local-date.ts';
import { nextScheduledRun } from './calendar.ts';
import { describeState, type RunRecord } from './run-records.ts';
import type { Schedule } from './schedule-config.ts';

export interface ScheduleStatus {
  readonly name: string;
  readonly report: string;
  readonly cron: string;
  readonly timezone: string;
  readonly nextRun: string | null;
  readonly nextRunLocal: string | null;
  readonly lastRun: RunRecord | null;
  /** Runs that need attention: failed, partial or missed among the recent ones. */
  readonly recentProblems: readonly RunRecord[];
  /** Recipients still pending: a retry is planned, or the run was interrupted. */
  readonly pendingRetries: readonly SendRecord[];
  /** Handed over whole with no reply recorded: not resent automatically; the command resends. */
  readonly unknownOutcomes: readonly SendRecord[];
  /** An alert's state per key: holding or clear, since when, the value it last saw. */
  readonly alertStates?: readonly AlertState[];
}

export function buildScheduleStatus(
  schedule: Schedule,
  recent: readonly RunRecord[],
  /** Ledger rows in state pending or unknown. */
  pending: readonly SendRecord[],
  now: Date,
  alertStates?: readonly AlertState[],
): ScheduleStatus {
  const next = nextScheduledRun(schedule, now);
  // An alert's messages are in the ledger as NAME#key#episode.
  const mine = (p: SendRecord) => p.schedule === schedule.name || p.schedule.startsWith(`${schedule.name}#`);
  return {
    name: schedule.name,
    report: schedule.report,
    cron: schedule.cron,
    timezone: schedule.timezone,
    nextRun: next ? next.toISOString() : null,
    nextRunLocal: next ? formatLocal(next, schedule.timezone) : null,
    lastRun: recent[0] ?? null,
    recentProblems: recent.slice(1).filter((r) => r.state !== 'sent'),
    pendingRetries: pending.filter((p) => mine(p) && p.state === 'pending'),
    unknownOutcomes: pending.filter((p) => mine(p) && p.state === 'unknown'),
    ...(schedule.alert ? { alertStates: alertStates ?? [] } : {}),
  };
}

export function formatStatus(statuses: readonly ScheduleStatus[]): string {
  const lines: string[] = [];
  for (const s of statuses) {
    lines.push(`${s.name}  (report ${s.report}, "${s.cron}" ${s.timezone})`);
    lines.push(`  next run:  ${s.nextRunLocal ?? 'none (the pattern has no future run)'}`);
    lines.push(`  last run:  ${s.lastRun ? describeRun(s.lastRun) : 'never'}`);
    if (s.alertStates?.length === 0) lines.push('  alert:     never evaluated');
    for (const a of s.alertStates ?? []) {
      const key = a.key === '' ? '' : ` ${a.key}:`;
      lines.push(
        `  alert:    ${key} ${a.state === 'holding' ? 'HOLDS' : 'clear'} since ${a.since.slice(0, 16).replace('T', ' ')} UTC, last value ${a.value ?? 'unknown'} (${a.period})${a.announced ? '' : ', not yet announced'}`,
      );
    }
    for (const run of s.recentProblems.slice(0, 5)) lines.push(`  earlier:   ${describeRun(run)}`);
    if (s.pendingRetries.length === 0) lines.push('  pending:   none');
    for (const p of s.pendingRetries) {
      const when = p.nextAttemptAt ? `next attempt ${p.nextAttemptAt}` : 'resumed on the next start';
      lines.push(
        `  pending:   ${p.recipient} (${p.period}), ${p.attempts} attempt${p.attempts === 1 ? '' : 's'}, ${when}${p.error ? `: ${p.error}` : ''}`,
      );
    }
    for (const u of s.unknownOutcomes) {
      lines.push(
        `  unknown:   ${u.recipient} (${u.period}), may or may not have arrived, not resent automatically${u.error ? `: ${u.error}` : ''}`,
        `             to send it again on purpose: ${buildResendCommand(u, u.params)}`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

function describeRun(run: RunRecord): string {
  const counts =
    run.recipients === null || run.recipients === undefined
      ? ''
      : `, ${run.sent ?? 0}/${run.recipients} sent${run.failed ? `, ${run.failed} failed` : ''}${run.skipped ? `, ${run.skipped} not sent` : ''}`;
  return `${describeState(run)} ${run.period} (scheduled ${run.scheduledAt}${run.finishedAt ? `, finished ${run.finishedAt}` : ''}${counts})${run.detail ? `: ${run.detail}` : ''}`;
}
