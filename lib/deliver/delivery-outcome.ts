// What a delivery amounted to, and what the owner is told. Pure.

import type { Alert } from './alert.ts';
import type { DeliveryRequest, DeliveryResult, GroupResult } from './delivery-types.ts';
import { buildResendCommand } from './resend-command.ts';
import { isAddressRefused } from './smtp-failure.ts';

export interface DeliveryCounts {
  readonly recipients: number;
  readonly sent: number;
  readonly alreadySent: number;
  readonly failed: number;
  /** Handed over whole, no reply recorded: may have arrived; not resent automatically. */
  readonly unknown: number;
  /** Not attempted: the report failed its checks, the run stopped or was interrupted. */
  readonly notSent: number;
}

export function countOutcomes(groups: readonly GroupResult[]): DeliveryCounts {
  const outcomes = groups.flatMap((g) => g.outcomes);
  const count = (state: string) => outcomes.filter((o) => o.state === state).length;
  return {
    recipients: outcomes.length,
    sent: count('sent'),
    alreadySent: count('already-sent'),
    failed: count('failed'),
    unknown: count('unknown'),
    notSent: count('not-attempted'),
  };
}

/** sent: everyone has theirs; partial: some (or may have); failed: nobody got this run's report. */
export function summariseDelivery(
  groups: readonly GroupResult[],
  options: { dryRun: boolean; interrupted: boolean },
): DeliveryResult['state'] {
  if (options.dryRun) return 'dry-run';
  const c = countOutcomes(groups);
  const problems = groups.some((g) => g.problems.length > 0);
  if (options.interrupted && c.notSent > 0 && !problems) return 'interrupted';
  if (c.failed === 0 && c.notSent === 0 && c.unknown === 0 && c.recipients > 0) return 'sent';
  return c.sent + c.alreadySent + c.unknown > 0 ? 'partial' : 'failed';
}

/** The owner's alert, or undefined when everything went (or the run was only interrupted). */
export function buildDeliveryAlert(request: DeliveryRequest, result: DeliveryResult): Alert | undefined {
  if (result.state === 'sent' || result.state === 'dry-run' || result.state === 'interrupted')
    return undefined;
  const c = countOutcomes(result.groups);
  // An alert's run is keyed by its episode in the ledger (`name#key#1`): the owner reads its name.
  const [verb, , alert] = request.definition.command ?? [];
  const isAlert = verb === 'alert' && alert !== undefined;
  const noun = isAlert ? 'alert' : 'report';
  const period = result.periodLabel ? `, ${result.periodLabel}` : '';
  const what = isAlert
    ? `${alert} (alert${period})`
    : `${request.schedule} (${request.definition.name}${period})`;
  const missing = c.failed + c.notSent;
  const parts = [
    ...(missing > 0 || c.unknown === 0
      ? [`${missing} of ${c.recipients} recipients did not get the ${noun}`]
      : []),
    ...(c.unknown > 0 ? [`${c.unknown} of ${c.recipients} may not have (outcome unknown)`] : []),
  ];
  const summary = c.recipients === 0 ? `${what}: no recipients` : `${what}: ${parts.join('; ')}`;
  const details: string[] = [];
  for (const group of result.groups) {
    const who = Object.keys(group.params).length ? ` for ${JSON.stringify(group.params)}` : '';
    for (const problem of group.problems) details.push(`${noun}${who} not sent: ${problem}`);
    for (const o of group.outcomes) {
      if (o.state === 'failed')
        details.push(
          `${o.key.recipient}: ${o.failure?.message ?? 'failed'} (after ${o.attempts} attempt${o.attempts === 1 ? '' : 's'})`,
        );
      if (o.state === 'unknown')
        details.push(
          `${o.key.recipient}: outcome unknown, not resent automatically (a second copy is worse than a late one): ${o.unknownSince ?? o.failure?.message ?? 'no reply recorded'}${o.messageId ? ` (Message-ID ${o.messageId})` : ''}`,
        );
    }
  }
  if (result.stopped) details.push(`sending stopped: ${result.stopped}`);
  const fix: string[] = [];
  const failures = result.groups.flatMap((g) => g.outcomes.flatMap((o) => (o.failure ? [o.failure] : [])));
  if (failures.some((f) => f.kind === 'auth')) {
    fix.push('check PULSE_SMTP_USER and the password (PULSE_SMTP_PASSWORD or PULSE_SMTP_PASSWORD_FILE)');
  }
  if (failures.some((f) => f.kind === 'permanent')) {
    fix.push('check the rejected addresses in schedules.json (or the data they come from)');
  }
  // A period the data starts in is no fault of the report or the data: only --partial sends it.
  const startsWithin = (p: string) => p.startsWith('the data starts within');
  const problems = result.groups.flatMap((g) => g.problems);
  if (problems.some((p) => !startsWithin(p))) {
    fix.push('fix the report or the data (`npx pulse check`), then resend');
  }
  // An alert's message is not sent by hand: its test shows what it said (`pulse send` refuses it).
  if (isAlert && result.period) {
    const outcomes = result.groups.flatMap((g) => g.outcomes);
    const refused = outcomes.filter((o) => o.state === 'failed' && isAddressRefused(o.failure));
    if (missing > refused.length)
      fix.push(
        "an alert is not sent by hand: the schedule's next run sends it again while the condition holds (recipients who got it are skipped)",
      );
    if (refused.length > 0)
      fix.push(
        `fix or remove ${refused.map((o) => o.key.recipient).join(', ')} in schedules.json: an address the server refused is not tried again for this alert once the others have it; it gets the alert the next time it fires`,
      );
    for (const o of result.groups.flatMap((g) => g.outcomes))
      if (o.state === 'unknown')
        fix.push(
          `ask ${o.key.recipient} whether the alert arrived: it is not sent again (a second copy is worse than a late one)`,
        );
    if (missing > 0 || c.unknown > 0)
      fix.push(`what it says: npx pulse alert test ${alert} --period ${result.period}`);
  } else {
    for (const o of result.groups.flatMap((g) => g.outcomes)) {
      if (o.state === 'unknown')
        fix.push(
          `ask ${o.key.recipient} whether the report arrived; if not, send it again on purpose: ${buildResendCommand(o.key, o.params)}`,
        );
    }
    if (result.period && problems.length > 0 && problems.every(startsWithin)) {
      fix.push(
        `the data starts within the period: send it on purpose, marked partial, with npx pulse send ${request.schedule} --period ${result.period} --partial, or leave it`,
      );
    } else if (result.period && (missing > 0 || problems.length > 0)) {
      fix.push(
        `resend what is missing: npx pulse send ${request.schedule} --period ${result.period} (recipients already sent, or of unknown outcome, are skipped)`,
      );
    }
  }
  if (c.recipients === 0) fix.push('add recipients to the schedule, or check its recipientsFrom query');
  return { summary, details, fix };
}
