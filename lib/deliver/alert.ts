// Telling the owner. An alert goes through the same transport as the reports; when that fails
// (the very failure being reported may be the server), it is written to the outbox instead and
// logged as an error, so it is never silently lost.

import { showBidiOverrides } from '../format/control-characters.ts';
import { formatAddress, type MailAddress } from './address.ts';
import { buildPlainMessage } from './compose.ts';
import type { EventLog } from './event-log.ts';
import { classifySmtpFailure } from './smtp-failure.ts';
import type { MailTransport } from './transport.ts';

export interface Alert {
  /** "monthly-board, October 2026: 1 of 5 recipients not delivered". */
  readonly summary: string;
  /** What happened, one line each. */
  readonly details: readonly string[];
  /** What the owner can do about it. */
  readonly fix: readonly string[];
}

/**
 * The alert e-mail's subject and text. Pure. What failed quotes the data (a skipped address, a
 * value in an error): the marks that reverse a run of text are shown escaped, as in the reports.
 */
export function buildAlertText(alert: Alert): { subject: string; text: string } {
  return {
    subject: showBidiOverrides(`[crm-pulse] ${alert.summary}`.replace(/[\r\n\0]+/g, ' ')).slice(0, 200),
    text: showBidiOverrides(
      [
        alert.summary,
        '',
        ...alert.details.map((d) => `- ${d}`),
        ...(alert.fix.length > 0 ? ['', 'What to do:', ...alert.fix.map((f) => `- ${f}`)] : []),
        '',
        'Sent by crm-pulse; the JSON-lines log in the state folder has every event.',
        '',
      ].join('\n'),
    ),
  };
}

export interface AlertDeps {
  readonly transport: MailTransport;
  /** Used when the transport fails. */
  readonly fallback: MailTransport;
  readonly from: MailAddress;
  readonly log: EventLog;
  readonly now: () => string;
}

/**
 * Sends the alert to the owner; falls back to the outbox. Never throws. Every log line says where
 * the alert went (`where`): "sent to ..." only when a server accepted it. `outboxReason` says why
 * the transport is the outbox, when the caller chose it (the server refused our login).
 */
export async function sendAlert(
  owner: MailAddress,
  alert: Alert,
  deps: AlertDeps,
  options: { outboxReason?: string } = {},
): Promise<void> {
  const { subject, text } = buildAlertText(alert);
  const message = buildPlainMessage({
    from: deps.from,
    to: owner,
    subject,
    text,
    sendKey: `alert\u0000${owner.address}\u0000${deps.now()}\u0000${subject}`,
  });
  const to = formatAddress(owner);
  try {
    const receipt = await deps.transport.send(message);
    if (deps.transport.kind === 'outbox') {
      const because = options.outboxReason ?? 'no SMTP server is configured';
      deps.log.write({
        event: 'alert_saved',
        level: options.outboxReason ? 'error' : 'warn',
        owner: owner.address,
        summary: alert.summary,
        where: `alert for ${to} saved to the outbox at ${receipt.file ?? receipt.response} because ${because}; not e-mailed`,
        file: receipt.file ?? receipt.response,
      });
      return;
    }
    deps.log.write({
      event: 'alert_sent',
      level: 'warn',
      owner: owner.address,
      summary: alert.summary,
      where: `alert sent to ${to} via ${deps.transport.description}`,
      response: receipt.response,
    });
  } catch (error) {
    const failure = classifySmtpFailure(error, deps.transport.secret);
    try {
      const receipt = await deps.fallback.send(message);
      deps.log.write({
        event: 'alert_to_outbox',
        level: 'error',
        owner: to,
        summary: alert.summary,
        where: `alert for ${to} saved to the outbox at ${receipt.file ?? receipt.response} because sending it failed (${failure.message}); not e-mailed`,
        error: failure.message,
        file: receipt.file ?? receipt.response,
      });
    } catch (fallbackError) {
      deps.log.write({
        event: 'alert_lost',
        level: 'error',
        owner: to,
        summary: alert.summary,
        where: `alert for ${to} LOST: sending failed (${failure.message}) and the outbox could not be written (${(fallbackError as Error).message}); it is only in this log`,
        details: alert.details,
        error: failure.message,
        outbox_error: (fallbackError as Error).message,
      });
    }
  }
}
