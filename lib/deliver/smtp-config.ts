// Where mail goes, read once from the environment. The password is kept out of every string this
// module produces: `describeSmtp` and error messages name the server, never the secret.

import { readFile } from 'node:fs/promises';
import { PulseError } from '../errors.ts';
import { type MailAddress, parseAddressOutcome } from './address.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export interface SmtpSettings {
  readonly kind: 'smtp';
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  readonly secure: boolean;
  /** Never upgrade with STARTTLS: only for loopback test servers. */
  readonly ignoreTls: boolean;
  readonly user?: string;
  readonly password?: string;
  readonly from: MailAddress;
}

export interface OutboxSettings {
  readonly kind: 'outbox';
  readonly dir: string;
  readonly from: MailAddress;
}

export type MailSettings = SmtpSettings | OutboxSettings;

const DEFAULT_FROM: MailAddress = { name: 'CRM Pulse', address: 'pulse@crm-pulse.localhost' };

/** Reads PULSE_SMTP_* (and the password file, when named) once. */
export async function readMailSettings(env: Env, outboxDir: string): Promise<MailSettings> {
  const file = env.PULSE_SMTP_PASSWORD_FILE;
  let passwordFromFile: string | undefined;
  if (file) {
    try {
      passwordFromFile = (await readFile(file, 'utf8')).replace(/\r?\n$/, '');
    } catch (error) {
      throw new PulseError(
        'usage',
        `PULSE_SMTP_PASSWORD_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); point it at a readable file holding only the password`,
      );
    }
  }
  return parseMailSettings(env, outboxDir, passwordFromFile);
}

/**
 * PULSE_SMTP_URL (smtp://user:pass@host:587, smtps://... for TLS on connect), or PULSE_SMTP_HOST,
 * _PORT, _USER, _PASSWORD, _SECURE. No SMTP settings at all: the outbox folder.
 */
export function parseMailSettings(env: Env, outboxDir: string, passwordFromFile?: string): MailSettings {
  const from = env.PULSE_SMTP_FROM?.trim();
  const url = env.PULSE_SMTP_URL?.trim();
  const host = env.PULSE_SMTP_HOST?.trim();
  if (url && host) {
    throw new PulseError(
      'usage',
      'set either PULSE_SMTP_URL or PULSE_SMTP_HOST (with _PORT, _USER), not both',
    );
  }
  if (!url && !host) return { kind: 'outbox', dir: outboxDir, from: from ? parseFrom(from) : DEFAULT_FROM };
  const settings = url ? fromUrl(url) : fromParts(env, host ?? '');
  const password = passwordFromFile ?? settings.password ?? env.PULSE_SMTP_PASSWORD;
  if (password !== undefined && settings.user === undefined) {
    throw new PulseError('usage', 'an SMTP password is set but no user; set PULSE_SMTP_USER');
  }
  const sender = from || (settings.user?.includes('@') ? settings.user : undefined);
  if (!sender) {
    throw new PulseError(
      'usage',
      `PULSE_SMTP_FROM is not set; set the sender, e.g. PULSE_SMTP_FROM='CRM Pulse <pulse@example.com>'`,
    );
  }
  return {
    ...settings,
    ...(password !== undefined ? { password } : {}),
    secure: parseSecure(env.PULSE_SMTP_SECURE) ?? settings.secure,
    ignoreTls: env.PULSE_SMTP_IGNORE_TLS === 'true',
    from: parseFrom(sender),
  };
}

function parseFrom(text: string): MailAddress {
  const outcome = parseAddressOutcome(text);
  if ('problem' in outcome) {
    throw new PulseError(
      'usage',
      `PULSE_SMTP_FROM: ${outcome.problem}; e.g. 'CRM Pulse <pulse@example.com>'`,
    );
  }
  return outcome;
}

/** "smtp://mailer@mail.example.com:587 (STARTTLS)" or "outbox .pulse/outbox": never the password. */
export function describeMailSettings(settings: MailSettings): string {
  if (settings.kind === 'outbox') return `outbox ${settings.dir}`;
  const user = settings.user ? `${encodeURIComponent(settings.user)}@` : '';
  const tls = settings.secure ? 'TLS' : settings.ignoreTls ? 'no TLS' : 'STARTTLS';
  return `smtp${settings.secure ? 's' : ''}://${user}${settings.host}:${settings.port} (${tls})`;
}

/** Replaces the password of any URL in a text (an error from a library may quote one). */
export function redactSecrets(text: string, password?: string): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*:)[^@\s/]*@/gi, '$1***@');
  if (password && password.length >= 3) out = out.split(password).join('***');
  return out;
}

function fromUrl(url: string): Omit<SmtpSettings, 'from' | 'ignoreTls'> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PulseError(
      'usage',
      `PULSE_SMTP_URL is not a URL (${redactSecrets(url)}); expected smtp://user:password@host:587`,
    );
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new PulseError(
      'usage',
      `PULSE_SMTP_URL must start with smtp:// or smtps://, got ${parsed.protocol}//; e.g. smtp://user:password@host:587`,
    );
  }
  const secure = parsed.protocol === 'smtps:';
  const user = parsed.username ? decodeURIComponent(parsed.username) : undefined;
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  return {
    kind: 'smtp',
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : secure ? 465 : 587,
    secure,
    ...(user !== undefined ? { user } : {}),
    ...(password !== undefined ? { password } : {}),
  };
}

function fromParts(env: Env, host: string): Omit<SmtpSettings, 'from' | 'ignoreTls'> {
  const secure = parseSecure(env.PULSE_SMTP_SECURE) ?? env.PULSE_SMTP_PORT === '465';
  const portText = env.PULSE_SMTP_PORT ?? (secure ? '465' : '587');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65_535) {
    throw new PulseError('usage', `PULSE_SMTP_PORT "${portText}" is not a port number (1-65535), e.g. 587`);
  }
  const user = env.PULSE_SMTP_USER?.trim();
  return { kind: 'smtp', host, port, secure, ...(user ? { user } : {}) };
}

function parseSecure(text: string | undefined): boolean | undefined {
  if (text === undefined || text === '') return undefined;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new PulseError(
    'usage',
    `PULSE_SMTP_SECURE "${text}" should be true (TLS on connect, port 465) or false`,
  );
}
