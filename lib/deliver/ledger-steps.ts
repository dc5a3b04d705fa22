// Ledger steps around a delivery: who already has this period's report, and recording those
// who get nothing this time (with the reason).

import type { DeliveryEnv, DeliveryRequest } from './delivery-types.ts';
import { readSend, writeSkipped } from './ledger.ts';
import { LedgerDb, withLedgerDb } from './ledger-db.ts';
import type { Recipient } from './prepare-messages.ts';
import type { RecipientOutcome } from './send-messages.ts';

/**
 * Splits recipients into those still to send and those done for now (same transport): already
 * sent, or of unknown outcome (they may have it; only --force sends again).
 */
export async function withoutAlreadySent(
  recipients: readonly Recipient[],
  key: { schedule: string; report: string; period: string },
  env: DeliveryEnv,
): Promise<{ todo: Recipient[]; done: RecipientOutcome[] }> {
  return withLedgerDb(env.ledgerPath, async (db) => {
    const todo: Recipient[] = [];
    const done: RecipientOutcome[] = [];
    for (const recipient of recipients) {
      const sendKey = { ...key, recipient: recipient.address.address };
      const record = await readSend(db, sendKey);
      if (record?.state === 'sent' && record.transport === env.transport.kind) {
        env.log.write({ event: 'send_skipped_already_sent', ...sendKey, message_id: record.messageId });
        done.push({
          key: sendKey,
          state: 'already-sent',
          attempts: 0,
          ...(record.messageId ? { messageId: record.messageId } : {}),
        });
      } else if (record?.state === 'unknown' && record.transport === env.transport.kind) {
        env.log.write({ event: 'send_skipped_unknown', level: 'warn', ...sendKey, error: record.error });
        done.push({
          key: sendKey,
          state: 'unknown',
          attempts: record.attempts,
          params: recipient.params,
          ...(record.messageId ? { messageId: record.messageId } : {}),
          ...(record.error ? { unknownSince: record.error } : {}),
        });
      } else todo.push(recipient);
    }
    return { todo, done };
  });
}

/** Records recipients that get nothing this time, with the reason (when the period is known). */
export async function skipAll(
  recipients: readonly Recipient[],
  request: DeliveryRequest,
  period: string | undefined,
  reason: string,
  env: DeliveryEnv,
): Promise<RecipientOutcome[]> {
  const report = request.definition.name;
  const outcomes = recipients.map((r) => ({
    key: { schedule: request.schedule, report, period: period ?? 'unknown', recipient: r.address.address },
    state: 'not-attempted' as const,
    attempts: 0,
  }));
  if (period && !request.dryRun && recipients.length > 0) {
    const db = await LedgerDb.open(env.ledgerPath);
    try {
      for (const [i, outcome] of outcomes.entries()) {
        await writeSkipped(db, outcome.key, { reason, params: recipients[i]?.params ?? {}, at: env.now() });
      }
    } finally {
      db.close();
    }
  }
  return outcomes;
}
