// The one place that talks to a mail server (or, without one, writes .eml files to the outbox).

import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { type OutgoingMessage, toNodemailerOptions } from './compose.ts';
import { describeMailSettings, type MailSettings } from './smtp-config.ts';

export interface SendReceipt {
  /** The Message-ID header sent. */
  readonly messageId: string;
  /** The server's reply ("250 2.0.0 Ok: queued as ABC") or the .eml path. */
  readonly response: string;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'outbox';
  /** Where mail goes, without secrets. */
  readonly description: string;
  /** The SMTP password, known only so failures can be redacted. */
  readonly secret?: string;
  send(message: OutgoingMessage): Promise<SendReceipt>;
  close(): void;
}

/** Opens the configured transport. Sockets are opened per message, not here. */
export function openMailTransport(settings: MailSettings): MailTransport {
  return settings.kind === 'smtp'
    ? openSmtp(settings)
    : openOutbox(settings.dir, describeMailSettings(settings));
}

function openSmtp(settings: Extract<MailSettings, { kind: 'smtp' }>): MailTransport {
  const transporter = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ignoreTLS: settings.ignoreTls,
    ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
    // nodemailer's own logger would print the AUTH exchange; we log outcomes ourselves.
    logger: false,
    debug: false,
  });
  return {
    kind: 'smtp',
    description: describeMailSettings(settings),
    ...(settings.password ? { secret: settings.password } : {}),
    async send(message) {
      const info = await transporter.sendMail(toNodemailerOptions(message));
      return { messageId: info.messageId ?? message.messageId, response: String(info.response ?? '') };
    },
    close: () => transporter.close(),
  };
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
      return { messageId: message.messageId, response: `written to ${file}` };
    },
    close: () => transporter.close(),
  };
}

function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9@._-]/g, '_').slice(0, 80);
}
