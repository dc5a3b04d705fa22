// What an SMTP failure means for the next step. One table, used by the retry loop, the ledger
// and the alerts, so every place agrees on "try again" versus "give up".

import { redactSecrets } from './redact.ts';
import { AFTER_END_OF_DATA } from './transport.ts';

export type FailureKind =
  /** 4xx, or the connection dropped: try the same recipient again later. */
  | 'transient'
  /** 5xx for this recipient (unknown user, policy): never retried; the others still go. */
  | 'permanent'
  /** The server refused our credentials: retrying would only lock the account; stop the run. */
  | 'auth'
  /** The server cannot be reached or spoken to at all: retried, then the run stops. */
  | 'connection'
  /**
   * No reply after the whole message was written (a timeout, the connection lost): the server
   * may have it. Never retried automatically: a retry could deliver it twice.
   */
  | 'unknown';

export interface SmtpFailure {
  readonly kind: FailureKind;
  /** 421, 550, 535, ... when the server answered. */
  readonly responseCode?: number;
  /** The SMTP command that failed: RCPT TO, DATA, AUTH PLAIN, CONN. */
  readonly command?: string;
  /** One line for the ledger, the log and the owner; no secrets. */
  readonly message: string;
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'ECONNREFUSED', 'ETLS']);
const AUTH_REPLY_CODES = new Set([530, 534, 535, 538]);

/**
 * The server refused this recipient's address for good (5xx to RCPT TO: no such user, mailbox
 * disabled): a fact about the address, unlike a 5xx to the message (DATA) or to the sender.
 */
export function isAddressRefused(failure: SmtpFailure | undefined): boolean {
  if (failure?.kind !== 'permanent' || failure.command !== 'RCPT TO') return false;
  // RFC 3463: 5.1.x is the address (no such user, bad domain); 5.7.x is policy (relaying denied),
  // which the next run may pass once the server is fixed. Without an enhanced code, 550/551/553.
  const enhanced = /\b5\.(\d{1,3})\.\d{1,3}\b/.exec(failure.message);
  if (enhanced) return enhanced[1] === '1';
  return [550, 551, 553].includes(failure.responseCode ?? 0);
}

/** Classifies a nodemailer error (code, responseCode, command, response). */
export function classifySmtpFailure(error: unknown, password?: string): SmtpFailure {
  const e = (error ?? {}) as {
    code?: unknown;
    responseCode?: unknown;
    command?: unknown;
    response?: unknown;
    message?: unknown;
  };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const command = typeof e.command === 'string' ? e.command : undefined;
  const text = typeof e.response === 'string' ? e.response : typeof e.message === 'string' ? e.message : '';
  const message = redactSecrets(
    [command, responseCode === undefined ? code : undefined, oneLine(text)].filter(Boolean).join(': '),
    password,
  );
  const base = {
    ...(responseCode !== undefined ? { responseCode } : {}),
    ...(command ? { command } : {}),
    message,
  };
  if (responseCode === undefined && (e as { [AFTER_END_OF_DATA]?: boolean })[AFTER_END_OF_DATA]) {
    return { kind: 'unknown', ...base, message: `no reply to the end of the message: ${message}` };
  }
  if (code === 'EAUTH' || (responseCode !== undefined && AUTH_REPLY_CODES.has(responseCode))) {
    return { kind: 'auth', ...base };
  }
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 500)
    return { kind: 'transient', ...base };
  if (responseCode !== undefined && responseCode >= 500) return { kind: 'permanent', ...base };
  if (code && CONNECTION_CODES.has(code)) return { kind: 'connection', ...base };
  // An error with no SMTP reply and no known network code: a bug or a local problem; once.
  return { kind: 'permanent', ...base };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}
