// The one place that talks to a mail server (or, without one, writes .eml files to the outbox).

import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import nodemailer from 'nodemailer';
import { type OutgoingMessage, toNodemailerOptions } from './compose.ts';
import { describeMailSettings, type MailSettings } from './smtp-config.ts';

export interface SendReceipt {
  /** The Message-ID header sent. */
  readonly messageId: string;
  /** The server's reply ("250 2.0.0 Ok: queued as ABC") or "written to PATH". */
  readonly response: string;
  /** The .eml file, for the outbox. */
  readonly file?: string;
  /** Milliseconds from the end of the message to the server's reply (SMTP). */
  readonly replyMs?: number;
}

export interface SendHooks {
  /**
   * Runs when the whole message but its final "." has been handed over; the "." is written only
   * once it resolves. After that the server may have the message whatever happens to us.
   */
  readonly beforeEndOfData?: () => Promise<void>;
}

/** Marks a failure that came after the end of the message was written: the outcome is unknown. */
export const AFTER_END_OF_DATA = Symbol('afterEndOfData');

export interface MailTransport {
  readonly kind: 'smtp' | 'outbox';
  /** Where mail goes, without secrets. */
  readonly description: string;
  /** The SMTP password, known only so failures can be redacted. */
  readonly secret?: string;
  send(message: OutgoingMessage, hooks?: SendHooks): Promise<SendReceipt>;
  close(): void;
}

/** Opens the configured transport. Sockets are opened per message, not here. */
export function openMailTransport(settings: MailSettings): MailTransport {
  return settings.kind === 'smtp'
    ? openSmtp(settings)
    : openOutbox(settings.dir, describeMailSettings(settings));
}

function openSmtp(settings: Extract<MailSettings, { kind: 'smtp' }>): MailTransport {
  const options = {
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ignoreTLS: settings.ignoreTls,
    ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    // nodemailer's only timer while it waits for a reply is the socket's idle timeout, so this is
    // also the wait for the reply to the end of the message (RFC 5321: 10 minutes).
    socketTimeout: settings.replyTimeoutMs,
    // nodemailer's own logger would print the AUTH exchange; we log outcomes ourselves.
    logger: false,
    debug: false,
  };
  return {
    kind: 'smtp',
    description: describeMailSettings(settings),
    ...(settings.password ? { secret: settings.password } : {}),
    async send(message, hooks = {}) {
      // One transporter a message (each message has its own connection anyway), so the hook that
      // holds back the final "." belongs to this message only.
      const transporter = nodemailer.createTransport(options);
      let endOfData: number | undefined;
      transporter.use('stream', (mail, done) => {
        mail.message.transform(() => holdEnd(hooks, () => (endOfData = performance.now())));
        done();
      });
      try {
        const info = await transporter.sendMail(toNodemailerOptions(message));
        return {
          messageId: info.messageId ?? message.messageId,
          response: String(info.response ?? ''),
          ...(endOfData !== undefined ? { replyMs: performance.now() - endOfData } : {}),
        };
      } catch (error) {
        if (endOfData !== undefined && error instanceof Error)
          Object.assign(error, { [AFTER_END_OF_DATA]: true });
        throw error;
      } finally {
        transporter.close();
      }
    },
    close: () => {},
  };
}

/** Passes the message through; at its end, awaits the hook before letting the "." follow. */
function holdEnd(hooks: SendHooks, ended: () => void): Transform {
  return new Transform({
    transform(chunk, _encoding, callback) {
      callback(null, chunk);
    },
    flush(callback) {
      (hooks.beforeEndOfData?.() ?? Promise.resolve()).then(
        () => {
          ended();
          callback();
        },
        (error: unknown) => callback(error as Error),
      );
    },
  });
}

function openOutbox(dir: string, description: string): MailTransport {
  // nodemailer composes the message exactly as it would for SMTP, into a buffer.
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  let sequence = 0;
  return {
    kind: 'outbox',
    description,
    async send(message) {
      await mkdir(dir, { recursive: true });
      const info = await transporter.sendMail(toNodemailerOptions(message));
      const raw = info.message as Buffer;
      sequence += 1;
      const stamp = new Date()
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
      const name = `${stamp}-${process.pid}-${String(sequence).padStart(3, '0')}-${fileSafe(message.to.address)}`;
      const file = join(dir, `${name}.eml`);
      // Written whole, then renamed: a crash never leaves half a message in the outbox.
      await writeFile(`${file}.tmp`, raw);
      await rename(`${file}.tmp`, file);
      return { messageId: message.messageId, response: `written to ${file}`, file };
    },
    close: () => transporter.close(),
  };
}

function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9@._-]/g, '_').slice(0, 80);
}
