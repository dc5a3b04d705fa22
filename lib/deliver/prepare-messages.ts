// From a rendered report to checked messages, one per recipient. Pure apart from building the
// raw bytes in memory (to measure the size the server will see).

import { type MailAddress, recipientKey } from './address.ts';
import { buildReportMessage, type OutgoingMessage } from './compose.ts';
import type { SendKey } from './ledger.ts';
import { buildRawMessage, checkMessage } from './message-check.ts';
import type { RenderedReport } from './render-report.ts';
import type { SendItem } from './send-messages.ts';

export interface Recipient {
  readonly address: MailAddress;
  /** Report params for this recipient: {region: 'EMEA'}. */
  readonly params: Readonly<Record<string, string>>;
}

export interface PreparedMessages {
  readonly items: readonly SendItem[];
  /** Why none of them may go (the same for all: the report's body and attachments). */
  readonly problems: readonly string[];
  /** Size of the largest message, bytes. */
  readonly bytes: number;
}

/** Builds and checks every recipient's message; `resend` gives a fresh Message-ID (--force). */
export async function prepareMessages(
  rendered: RenderedReport,
  recipients: readonly Recipient[],
  options: { schedule: string; from: MailAddress; resend?: string },
): Promise<PreparedMessages> {
  const items: SendItem[] = [];
  const problems = new Set<string>(rendered.problems);
  let bytes = 0;
  for (const recipient of recipients) {
    const key: SendKey = {
      schedule: options.schedule,
      report: rendered.run.document.name,
      period: rendered.period,
      recipient: recipient.address.address,
    };
    const message: OutgoingMessage = buildReportMessage({
      outputs: rendered.outputs,
      subject: rendered.subject,
      from: options.from,
      to: recipient.address,
      sendKey: [key.schedule, key.report, key.period, key.recipient, options.resend ?? ''].join('\u0000'),
    });
    const raw = await buildRawMessage(message);
    bytes = Math.max(bytes, raw.length);
    for (const problem of checkMessage(message, raw.length)) problems.add(problem);
    items.push({ key, message, params: recipient.params });
  }
  return { items, problems: [...problems], bytes };
}

/** Recipients grouped by their params: one report run per group. */
export function groupByParams(recipients: readonly Recipient[]): Map<string, Recipient[]> {
  const groups = new Map<string, Recipient[]>();
  const seen = new Set<string>();
  for (const recipient of recipients) {
    // The same address twice (in any case) would get the message twice: the first spelling stays.
    const who = recipientKey(recipient.address.address);
    if (seen.has(who)) continue;
    seen.add(who);
    const key = JSON.stringify(Object.entries(recipient.params).sort(([a], [b]) => a.localeCompare(b)));
    groups.set(key, [...(groups.get(key) ?? []), recipient]);
  }
  return groups;
}
