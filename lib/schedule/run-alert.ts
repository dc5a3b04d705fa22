// One run of an alert: evaluate its condition on the period, compare with the states last seen,
// keep the new states, then announce each change once, through the same delivery as reports
// (ledger, retries, owner alerts). The ledger key of a message is the alert, the key and the
// episode, so a clear-then-hold in the same period is a new message and a resumed run is not.

import { type AlertState, readAlertStates, writeAlertState } from '../deliver/alert-states.ts';
import { deliverReport } from '../deliver/deliver-report.ts';
import type { DeliveryEnv, DeliveryResult } from '../deliver/delivery-types.ts';
import { withLedgerDb } from '../deliver/ledger-db.ts';
import type { Recipient } from '../deliver/prepare-messages.ts';
import { isAddressRefused } from '../deliver/smtp-failure.ts';
import { PulseError } from '../errors.ts';
import type { AlertRule } from '../insights/alert-rule.ts';
import { addDays, type PeriodSpan, periodArgument } from '../kpi/period.ts';
import { type AlertFinding, alertReport } from '../report/alert-report.ts';
import { runReport } from '../report/run-report.ts';
import { alertTransitions } from './alert-transitions.ts';
import type { Schedule } from './schedule-config.ts';

/** Evaluates the alert on the period; throws no_data when the data does not cover it. */
export async function evaluateAlertRun(
  name: string,
  rule: AlertRule,
  period: PeriodSpan | undefined,
  env: Pick<DeliveryEnv, 'dataDir' | 'data' | 'timeZone' | 'now' | 'currency' | 'locale' | 'company'>,
): Promise<{ findings: readonly AlertFinding[]; period: string; periodLabel: string }> {
  let findings: readonly AlertFinding[] = [];
  const run = await runReport(alertReport(name, rule, { onEvaluated: (f) => (findings = f) }), {
    dataDir: env.dataDir,
    timeZone: env.timeZone,
    now: env.now(),
    ...(period ? { period } : {}),
    params: rule.params,
    format: { currency: env.currency, ...(env.locale ? { locale: env.locale } : {}) },
    ...(env.data?.mapping ? { mapping: env.data.mapping } : {}),
    ...(env.data?.allowRejects ? { allowRejects: true } : {}),
    ...(env.data?.maxRejectShare ? { maxRejectShare: env.data.maxRejectShare } : {}),
    ...(env.data?.engine ? { engine: env.data.engine } : {}),
    ...(env.data?.queryFolders ? { queryFolders: env.data.queryFolders } : {}),
    ...(env.company ? { company: env.company } : {}),
  });
  const { partial, dataAsOf, periodEnd, periodLabel } = run.document;
  if (partial) {
    // An export that ends inside the period is stale (the next one fills it); one that starts
    // inside it never will, and is no reason to "refresh the export".
    const stale = dataAsOf === null || addDays(dataAsOf, 1) < periodEnd;
    throw new PulseError(
      stale ? 'no_data' : 'before_data',
      stale
        ? `${periodLabel} is covered only in part (${partial})`
        : `the data starts within ${periodLabel} (${partial}): the alert is not evaluated for a period it covers in part`,
    );
  }
  return {
    findings,
    period: periodArgument({
      start: run.document.periodStart,
      end: run.document.periodEnd,
      grain: run.grain,
    }),
    periodLabel: run.document.periodLabel,
  };
}

export async function deliverAlert(
  schedule: Schedule & { alert: AlertRule },
  period: PeriodSpan,
  recipients: readonly Recipient[],
  env: DeliveryEnv,
): Promise<DeliveryResult> {
  const rule = schedule.alert;
  let evaluated: Awaited<ReturnType<typeof evaluateAlertRun>>;
  try {
    evaluated = await evaluateAlertRun(schedule.name, rule, period, env);
  } catch (error) {
    // Stale data never fires (nor clears) an alert: the owner hears about the export instead.
    if (error instanceof PulseError && error.code === 'no_data')
      return empty(undefined, {
        stale: `the export is stale: ${error.message}; the alert was not evaluated`,
      });
    // A period the data starts in: no later export fills it, so nothing to wait for or to fix;
    // recorded as done with why, like an alert unknown for every key (no mail at every run).
    if (error instanceof PulseError && error.code === 'before_data')
      return empty(undefined, { notes: [error.message] });
    throw error;
  }
  const now = env.now();
  const next = await withLedgerDb(env.ledgerPath, async (db) => {
    const transitions = alertTransitions(
      evaluated.findings.map((f) => ({ key: f.key, holds: f.verdict.holds, value: f.value })),
      await readAlertStates(db, schedule.name),
      { period: evaluated.period, now, notifyWhenCleared: rule.notifyWhenCleared },
    );
    for (const state of transitions.writes) await writeAlertState(db, schedule.name, state, now);
    return transitions;
  });
  const groups: DeliveryResult['groups'][number][] = [];
  let state: DeliveryResult['state'] = 'sent';
  const announce = async (states: readonly AlertState[], cleared: boolean) => {
    for (const key of states) {
      const result = await deliverReport(
        {
          schedule: `${schedule.name}#${key.key}#${key.episode}${cleared ? '#cleared' : ''}`,
          definition: alertReport(schedule.name, rule, { announce: new Set([key.key]), cleared }),
          period,
          recipients,
          owner: schedule.owner,
          force: false,
          dryRun: false,
          pdf: false,
          retry: schedule.retry,
          quietWhenStale: true,
        },
        env,
      );
      groups.push(...result.groups);
      if (result.state !== 'sent') state = result.state;
      // Announced once everyone has it, or the only ones left refused the address for good (5xx):
      // retrying them at every run while it holds would only mail the owner the same refusal.
      if (result.state === 'sent' || onlyRefusedLeft(result))
        await withLedgerDb(env.ledgerPath, (db) =>
          writeAlertState(db, schedule.name, { ...key, announced: true }, env.now()),
        );
    }
  };
  await announce(next.announce, false);
  await announce(next.cleared, true);
  const held = evaluated.findings.filter((f) => f.verdict.holds === true);
  const unknown = evaluated.findings.filter((f) => f.verdict.holds === null);
  const notes = [
    ...next.stillHolding.map(
      (s) => `${labelOf(s.key)} still holds since ${s.since.slice(0, 10)} (value ${s.value}); not sent again`,
    ),
    ...unknown.map((f) => `${labelOf(f.key)}: ${f.verdict.reason}`),
    ...(held.length === 0 && next.cleared.length === 0
      ? [
          unknown.length === evaluated.findings.length
            ? 'unknown for every key; nothing sent'
            : 'the condition does not hold; nothing sent',
        ]
      : []),
  ];
  return { ...empty(evaluated), state, groups, notes };
}

/**
 * Every recipient who does not have it had their address refused for good (5xx to RCPT TO), and
 * nothing else went wrong: a 5xx to the message itself, or no reply at all, is retried.
 */
function onlyRefusedLeft(result: DeliveryResult): boolean {
  const outcomes = result.groups.flatMap((g) => g.outcomes);
  const missing = outcomes.filter((o) => o.state !== 'sent' && o.state !== 'already-sent');
  return (
    result.groups.every((g) => g.problems.length === 0) &&
    missing.length > 0 &&
    missing.every((o) => o.state === 'failed' && isAddressRefused(o.failure))
  );
}

function labelOf(key: string): string {
  return key === '' ? 'the KPI' : key;
}

function empty(
  evaluated: { period: string; periodLabel: string } | undefined,
  extra: Partial<DeliveryResult> = {},
): DeliveryResult {
  return {
    state: 'sent',
    period: evaluated?.period,
    periodLabel: evaluated?.periodLabel,
    groups: [],
    restatements: [],
    ...extra,
  };
}
