// The send ledger: one row per (schedule, report, period, recipient). "pending" is written before
// the SMTP transaction, "unknown" just before the message's final "." is written (from then on the
// server may have it, even if we are killed: the kernel still flushes the socket), and "sent" on
// the server's 250. After a crash a pending recipient is resent (the server cannot have a complete
// message); an unknown one is not (it may have arrived): the owner is told, and --force resends.

import { isoFromMs, type LedgerDb, type LedgerRow } from './ledger-db.ts';
import type { SmtpFailure } from './smtp-failure.ts';

export type SendState = 'pending' | 'unknown' | 'sent' | 'failed' | 'skipped';

export interface SendKey {
  /** The schedule's name; `manual` for `pulse send` without a schedule. */
  readonly schedule: string;
  readonly report: string;
  /** The --period text: 2026-10, 2026-W42, 2026-Q3. */
  readonly period: string;
  /** The bare address. */
  readonly recipient: string;
}

export interface SendRecord extends SendKey {
  readonly state: SendState;
  readonly transport: string | null;
  readonly attempts: number;
  readonly messageId: string | null;
  readonly smtpResponse: string | null;
  readonly failureKind: string | null;
  readonly error: string | null;
  readonly params: Readonly<Record<string, string>>;
  readonly lastAttemptAt: string | null;
  readonly sentAt: string | null;
  readonly nextAttemptAt: string | null;
}

const SELECT = `SELECT schedule, report, period, recipient, state, transport, attempts, message_id,
  smtp_response, failure_kind, error, CAST(params AS VARCHAR) AS params,
  epoch_ms(last_attempt_at)::DOUBLE AS last_attempt_at, epoch_ms(sent_at)::DOUBLE AS sent_at,
  epoch_ms(next_attempt_at)::DOUBLE AS next_attempt_at FROM sends`;
const KEY_WHERE = 'schedule = $schedule AND report = $report AND period = $period AND recipient = $recipient';

export async function readSend(db: LedgerDb, key: SendKey): Promise<SendRecord | undefined> {
  const [row] = await db.rows(`${SELECT} WHERE ${KEY_WHERE}`, { ...key });
  return row ? toRecord(row) : undefined;
}

/** Sends of a run: every recipient of one schedule, report and period. */
export async function readSends(
  db: LedgerDb,
  where: { schedule?: string; report?: string; period?: string; states?: readonly SendState[] } = {},
): Promise<SendRecord[]> {
  const clauses: string[] = [];
  const params: Record<string, string> = {};
  for (const field of ['schedule', 'report', 'period'] as const) {
    const value = where[field];
    if (value !== undefined) {
      clauses.push(`${field} = $${field}`);
      params[field] = value;
    }
  }
  if (where.states)
    clauses.push(`state IN (${where.states.map((s) => `'${s.replace(/'/g, '')}'`).join(', ')})`);
  const sql = `${SELECT}${clauses.length ? ` WHERE ${clauses.join(' AND ')}` : ''} ORDER BY schedule, period, recipient`;
  return (await db.rows(sql, params)).map(toRecord);
}

/** Before the SMTP transaction: one more attempt, state pending. */
export async function writePending(
  db: LedgerDb,
  key: SendKey,
  fields: { transport: string; params: Readonly<Record<string, string>>; messageId: string; at: string },
): Promise<void> {
  await db.run(
    `INSERT INTO sends (schedule, report, period, recipient, state, transport, attempts, message_id, params,
       first_attempt_at, last_attempt_at, updated_at)
     VALUES ($schedule, $report, $period, $recipient, 'pending', $transport, 1, $message_id, $params, $at, $at, $at)
     ON CONFLICT (schedule, report, period, recipient) DO UPDATE SET
       state = 'pending', transport = excluded.transport, attempts = sends.attempts + 1,
       message_id = excluded.message_id, params = excluded.params, error = NULL, failure_kind = NULL,
       smtp_response = NULL, next_attempt_at = NULL, sent_at = NULL,
       first_attempt_at = coalesce(sends.first_attempt_at, excluded.first_attempt_at),
       last_attempt_at = excluded.last_attempt_at, updated_at = excluded.updated_at`,
    {
      ...key,
      transport: fields.transport,
      message_id: fields.messageId,
      params: JSON.stringify(fields.params),
      at: fields.at,
    },
  );
}

/** Just before the end of the message is written: from here a crash means "outcome unknown". */
export async function writeEndOfData(db: LedgerDb, key: SendKey, at: string): Promise<void> {
  await db.run(`UPDATE sends SET state = 'unknown', error = $error, updated_at = $at WHERE ${KEY_WHERE}`, {
    ...key,
    error: `the whole message was handed to the server at ${at}; no reply recorded, so it may or may not have arrived`,
    at,
  });
}

/** Right after the server's 250. */
export async function writeSent(
  db: LedgerDb,
  key: SendKey,
  fields: { messageId: string; response: string; at: string },
): Promise<void> {
  await db.run(
    `UPDATE sends SET state = 'sent', message_id = $message_id, smtp_response = $response, sent_at = $at,
       updated_at = $at, error = NULL, failure_kind = NULL, next_attempt_at = NULL WHERE ${KEY_WHERE}`,
    { ...key, message_id: fields.messageId, response: fields.response, at: fields.at },
  );
}

/**
 * A failed attempt; `nextAttemptAt` set while a retry is planned (it stays pending). A failure of
 * kind "unknown" (no reply to the end of the message) keeps the state unknown.
 */
export async function writeFailure(
  db: LedgerDb,
  key: SendKey,
  fields: { failure: SmtpFailure; at: string; nextAttemptAt?: string },
): Promise<void> {
  await db.run(
    `UPDATE sends SET state = $state, failure_kind = $kind, error = $error, smtp_response = $response,
       next_attempt_at = $next, updated_at = $at WHERE ${KEY_WHERE}`,
    {
      ...key,
      state: fields.failure.kind === 'unknown' ? 'unknown' : fields.nextAttemptAt ? 'pending' : 'failed',
      kind: fields.failure.kind,
      error: fields.failure.message,
      response: fields.failure.responseCode === undefined ? null : String(fields.failure.responseCode),
      next: fields.nextAttemptAt ?? null,
      at: fields.at,
    },
  );
}

/** Not sent on purpose (the report failed its checks, the run stopped): the reason says why. */
export async function writeSkipped(
  db: LedgerDb,
  key: SendKey,
  fields: { reason: string; params: Readonly<Record<string, string>>; at: string },
): Promise<void> {
  await db.run(
    `INSERT INTO sends (schedule, report, period, recipient, state, attempts, params, error, updated_at)
     VALUES ($schedule, $report, $period, $recipient, 'skipped', 0, $params, $reason, $at)
     ON CONFLICT (schedule, report, period, recipient) DO UPDATE SET
       state = 'skipped', error = excluded.error, next_attempt_at = NULL, updated_at = excluded.updated_at
     WHERE sends.state NOT IN ('sent', 'unknown')`,
    { ...key, params: JSON.stringify(fields.params), reason: fields.reason, at: fields.at },
  );
}

/** Keeps the numbers a report showed when it went out (kpis.json), for restatement checks. */
export async function writeSentNumbers(
  db: LedgerDb,
  fields: { report: string; period: string; paramsKey: string; numbers: string; at: string },
): Promise<void> {
  await db.run(
    `INSERT OR REPLACE INTO sent_numbers (report, period, params_key, sent_at, numbers)
     VALUES ($report, $period, $params_key, $at, $numbers)`,
    {
      report: fields.report,
      period: fields.period,
      params_key: fields.paramsKey,
      at: fields.at,
      numbers: fields.numbers,
    },
  );
}

/** The numbers last sent for a report and period (and parameter set), with when. */
export async function readSentNumbers(
  db: LedgerDb,
  where: { report: string; period: string; paramsKey: string },
): Promise<{ sentAt: string; numbers: unknown } | undefined> {
  const [row] = await db.rows(
    `SELECT epoch_ms(sent_at)::DOUBLE AS sent_at, CAST(numbers AS VARCHAR) AS numbers FROM sent_numbers
     WHERE report = $report AND period = $period AND params_key = $params_key`,
    { report: where.report, period: where.period, params_key: where.paramsKey },
  );
  if (!row) return undefined;
  return { sentAt: isoFromMs(row.sent_at ?? null) ?? '', numbers: JSON.parse(String(row.numbers)) };
}

function toRecord(row: LedgerRow): SendRecord {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    schedule: String(row.schedule),
    report: String(row.report),
    period: String(row.period),
    recipient: String(row.recipient),
    state: String(row.state) as SendState,
    transport: text(row.transport),
    attempts: Number(row.attempts ?? 0),
    messageId: text(row.message_id),
    smtpResponse: text(row.smtp_response),
    failureKind: text(row.failure_kind),
    error: text(row.error),
    params: row.params ? (JSON.parse(String(row.params)) as Record<string, string>) : {},
    lastAttemptAt: isoFromMs(row.last_attempt_at ?? null),
    sentAt: isoFromMs(row.sent_at ?? null),
    nextAttemptAt: isoFromMs(row.next_attempt_at ?? null),
  };
}
