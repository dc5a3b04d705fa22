// Sends one message per recipient, each recorded in the ledger around its SMTP transaction.
// 4xx: retried with backoff. 5xx: that recipient fails, the others still go. Authentication
// refused, or the server unreachable after every retry: the run stops (the rest would fail alike).
// No reply once the whole message was written: "unknown", never retried automatically (the
// server may have it), and the others still go, each on its own connection.

import type { OutgoingMessage } from './compose.ts';
import type { EventLog } from './event-log.ts';
import {
  readSend,
  type SendKey,
  writeEndOfData,
  writeFailure,
  writePending,
  writeSent,
  writeSkipped,
} from './ledger.ts';
import { LedgerDb } from './ledger-db.ts';
import { buildBackoffDelay, type RetryPolicy } from './retry.ts';
import { classifySmtpFailure, type SmtpFailure } from './smtp-failure.ts';
import type { MailTransport } from './transport.ts';

export interface SendItem {
  readonly key: SendKey;
  readonly message: OutgoingMessage;
  readonly params: Readonly<Record<string, string>>;
}

export type RecipientState = 'sent' | 'already-sent' | 'unknown' | 'failed' | 'not-attempted';

export interface RecipientOutcome {
  readonly key: SendKey;
  readonly state: RecipientState;
  readonly attempts: number;
  readonly messageId?: string;
  readonly response?: string;
  readonly failure?: SmtpFailure;
  /** Milliseconds from the server's 250 to the ledger's commit. */
  readonly commitMs?: number;
  /** Why the outcome is unknown (state unknown): the ledger's error text. */
  readonly unknownSince?: string;
  /** The recipient's report params (for the command that resends it). */
  readonly params?: Readonly<Record<string, string>>;
}

export interface SendDeps {
  readonly ledgerPath: string;
  readonly transport: MailTransport;
  readonly retry: RetryPolicy;
  /** ISO instant: the clock. */
  readonly now: () => string;
  /** Waits between retries; resolves early when `signal` aborts. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
  readonly log: EventLog;
  /** Aborted (SIGTERM): finish the transaction in progress, start no other. */
  readonly signal?: AbortSignal;
}

export interface SendSummary {
  readonly outcomes: readonly RecipientOutcome[];
  /** Why the run stopped early: auth refused, server unreachable or interrupted. */
  readonly stopped?: { readonly reason: string; readonly failure?: SmtpFailure };
}

/** Sends each item once (ledger permitting); `force` resends what was already sent. */
export async function sendMessages(
  items: readonly SendItem[],
  deps: SendDeps,
  options: { force?: boolean } = {},
): Promise<SendSummary> {
  const outcomes: RecipientOutcome[] = [];
  let stopped: SendSummary['stopped'];
  for (const item of items) {
    if (stopped || deps.signal?.aborted) {
      stopped ??= { reason: 'interrupted (SIGTERM) before this recipient; resumed on the next start' };
      if (stopped.failure) await recordNotAttempted(item, stopped.reason, deps);
      outcomes.push({ key: item.key, state: 'not-attempted', attempts: 0 });
      continue;
    }
    const outcome = await sendOne(item, deps, options.force ?? false);
    outcomes.push(outcome);
    if (outcome.failure?.kind === 'auth') {
      stopped = {
        reason: `not attempted: the server refused the login (${outcome.failure.message})`,
        failure: outcome.failure,
      };
    } else if (outcome.state === 'failed' && outcome.failure?.kind === 'connection') {
      stopped = {
        reason: `not attempted: the server could not be reached (${outcome.failure.message})`,
        failure: outcome.failure,
      };
    }
  }
  return { outcomes, ...(stopped ? { stopped } : {}) };
}

async function sendOne(item: SendItem, deps: SendDeps, force: boolean): Promise<RecipientOutcome> {
  const { key } = item;
  for (let attempt = 1; ; attempt++) {
    const db = await LedgerDb.open(deps.ledgerPath);
    let released = false;
    const release = () => {
      if (!released) db.close();
      released = true;
    };
    try {
      const existing = await readSend(db, key);
      const sameTransport = existing?.transport === deps.transport.kind;
      if (!force && existing?.state === 'sent' && sameTransport) {
        deps.log.write({ event: 'send_skipped_already_sent', ...key, message_id: existing.messageId });
        return {
          key,
          state: 'already-sent',
          attempts: 0,
          ...(existing.messageId ? { messageId: existing.messageId } : {}),
        };
      }
      if (!force && existing?.state === 'unknown' && sameTransport) {
        // It may have arrived: sending it again is the owner's decision (--force), not ours.
        deps.log.write({ event: 'send_skipped_unknown', level: 'warn', ...key, error: existing.error });
        return {
          key,
          state: 'unknown',
          attempts: existing.attempts,
          params: item.params,
          ...(existing.messageId ? { messageId: existing.messageId } : {}),
          ...(existing.error ? { unknownSince: existing.error } : {}),
        };
      }
      await writePending(db, key, {
        transport: deps.transport.kind,
        params: item.params,
        messageId: item.message.messageId,
        at: deps.now(),
      });
      let endOfData: number | undefined;
      try {
        const receipt = await deps.transport.send(item.message, {
          beforeEndOfData: async () => {
            endOfData = performance.now();
            await writeEndOfData(db, key, deps.now());
          },
        });
        const accepted = performance.now();
        await writeSent(db, key, { ...receipt, at: deps.now() });
        const commitMs = performance.now() - accepted;
        deps.log.write({
          event: 'sent',
          ...key,
          attempt,
          message_id: receipt.messageId,
          response: receipt.response,
          commit_ms: round(commitMs),
          // A kill -9 in this span leaves the recipient "unknown" (not resent, the owner told).
          ...(endOfData !== undefined ? { unknown_window_ms: round(performance.now() - endOfData) } : {}),
          ...(receipt.replyMs !== undefined ? { reply_ms: round(receipt.replyMs) } : {}),
        });
        const { messageId, response } = receipt;
        return { key, state: 'sent', attempts: attempt, messageId, response, commitMs };
      } catch (error) {
        const failure = classifySmtpFailure(error, deps.transport.secret);
        if (failure.kind === 'unknown') {
          await writeFailure(db, key, { failure, at: deps.now() });
          deps.log.write({
            event: 'send_unknown',
            level: 'error',
            ...key,
            attempt,
            message_id: item.message.messageId,
            error: failure.message,
          });
          return {
            key,
            state: 'unknown',
            attempts: attempt,
            failure,
            params: item.params,
            messageId: item.message.messageId,
            unknownSince: failure.message,
          };
        }
        const retryable = failure.kind === 'transient' || failure.kind === 'connection';
        if (!retryable || attempt >= deps.retry.attempts) {
          await writeFailure(db, key, { failure, at: deps.now() });
          deps.log.write({
            event: 'send_failed',
            level: 'error',
            ...key,
            attempt,
            kind: failure.kind,
            error: failure.message,
          });
          return { key, state: 'failed', attempts: attempt, failure };
        }
        const delay = buildBackoffDelay(deps.retry, attempt, deps.random());
        const next = new Date(Date.parse(deps.now()) + delay).toISOString();
        await writeFailure(db, key, { failure, at: deps.now(), nextAttemptAt: next });
        deps.log.write({
          event: 'send_retry',
          level: 'warn',
          ...key,
          attempt,
          kind: failure.kind,
          error: failure.message,
          delay_ms: delay,
          next_attempt_at: next,
        });
        // The ledger is released while waiting, so --status can show the pending retry.
        release();
        await deps.sleep(delay, deps.signal);
        if (deps.signal?.aborted) {
          return { key, state: 'not-attempted', attempts: attempt, failure };
        }
      }
    } finally {
      release();
    }
  }
}

async function recordNotAttempted(item: SendItem, reason: string, deps: SendDeps): Promise<void> {
  const db = await LedgerDb.open(deps.ledgerPath);
  try {
    await writeSkipped(db, item.key, { reason, params: item.params, at: deps.now() });
  } finally {
    db.close();
  }
  deps.log.write({ event: 'send_not_attempted', level: 'warn', ...item.key, reason });
}

const round = (ms: number) => Math.round(ms * 100) / 100;
