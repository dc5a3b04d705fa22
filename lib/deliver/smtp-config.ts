// Where mail goes, read once from the environment. The password is kept out of every string this
// module produces: `describeSmtp` and error messages name the server, never the secret.

import { readFile } from 'node:fs/promises';
import { PulseError } from '../errors.ts';
import { type MailAddress, parseAddressOutcome } from './address.ts';

export { redactSecrets } from './redact.ts';

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
  /**
   * How long a silent server is waited for, the reply to the end of the message included (RFC 5321
   * §4.5.3.2.6 asks 10 minutes for that one: a busy server may scan the message first).
   */
  readonly replyTimeoutMs: number;
}

export interface OutboxSettings {
  readonly kind: 'outbox';
  readonly dir: string;
  readonly from: MailAddress;
}

export type MailSettings = SmtpSettings | OutboxSettings;

/** RFC 5321 §4.5.3.2.6: wait 10 minutes for the reply to the end of DATA. */
export const DEFAULT_REPLY_TIMEOUT_MS = 10 * 60_000;

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
    replyTimeoutMs: parseReplyTimeout(env.PULSE_SMTP_REPLY_TIMEOUT_SECONDS),
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

function fromUrl(url: string): Omit<SmtpSettings, 'from' | 'ignoreTls' | 'replyTimeoutMs'> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PulseError(
      'usage',
      `PULSE_SMTP_URL is not a valid URL: ${maskUserinfo(url)}; ${urlAdvice(url)}`,
    );
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new PulseError(
      'usage',
      `PULSE_SMTP_URL must start with smtp:// or smtps://, got ${parsed.protocol}//; e.g. smtp://user:password@host:587`,
    );
  }
  const secure = parsed.protocol === 'smtps:';
  const user = decodeUserinfo(parsed.username, 'user name', url);
  const password = decodeUserinfo(parsed.password, 'password', url);
  return {
    kind: 'smtp',
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : secure ? 465 : 587,
    secure,
    ...(user !== undefined ? { user } : {}),
    ...(password !== undefined ? { password } : {}),
  };
}

/** A percent-decoded user name or password; a stray % is a usage error that names no secret. */
function decodeUserinfo(text: string, what: string, url: string): string | undefined {
  if (!text) return undefined;
  try {
    return decodeURIComponent(text);
  } catch {
    throw new PulseError(
      'usage',
      `PULSE_SMTP_URL (${maskUserinfo(url)}): the ${what} has a % that is not followed by two hex digits; expected it percent-encoded: write % as %25 (or set PULSE_SMTP_PASSWORD / PULSE_SMTP_PASSWORD_FILE and leave it out of the URL)`,
    );
  }
}

/** The URL with everything after the user name, up to the host, replaced: "smtp://user:***@host:587". */
function maskUserinfo(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? '';
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  // No @: no user part to find, so only what surely is not the password is shown.
  if (at < 0) return `${scheme}${rest.split(/[:/?#]/)[0] ?? ''}...`;
  const user = rest.slice(0, at).split(':')[0] ?? '';
  return `${scheme}${user}${rest.slice(0, at).includes(':') ? ':***' : ''}${rest.slice(at)}`;
}

/** Why a URL that did not parse might not, and how to write it. */
function urlAdvice(url: string): string {
  const expected = 'expected smtp://user:password@host:587 (smtps://... for TLS on port 465)';
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0];
  const userinfo = url.slice(scheme?.length ?? 0, Math.max(0, url.lastIndexOf('@')));
  const special = [
    ...new Set(
      userinfo
        .split(':')
        .slice(1)
        .join(':')
        .match(/[/?#@:]/g) ?? [],
    ),
  ];
  if (!scheme) return `${expected}; it does not start with smtp:// or smtps://`;
  if (special.length > 0) {
    const codes = special.map((c) => `${c} as %${c.charCodeAt(0).toString(16).toUpperCase()}`).join(', ');
    return `${expected}; the password holds ${special.join(' ')}, which ends that part of a URL: percent-encode it (${codes}), or set PULSE_SMTP_PASSWORD / PULSE_SMTP_PASSWORD_FILE and leave it out of the URL`;
  }
  return `${expected}; check the host and the port (a number)`;
}

function fromParts(env: Env, host: string): Omit<SmtpSettings, 'from' | 'ignoreTls' | 'replyTimeoutMs'> {
  const secure = parseSecure(env.PULSE_SMTP_SECURE) ?? env.PULSE_SMTP_PORT === '465';
  const portText = env.PULSE_SMTP_PORT ?? (secure ? '465' : '587');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65_535) {
    throw new PulseError('usage', `PULSE_SMTP_PORT "${portText}" is not a port number (1-65535), e.g. 587`);
  }
  const user = env.PULSE_SMTP_USER?.trim();
  return { kind: 'smtp', host, port, secure, ...(user ? { user } : {}) };
}

function parseReplyTimeout(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return DEFAULT_REPLY_TIMEOUT_MS;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(seconds > 0)) {
    throw new PulseError(
      'usage',
      `PULSE_SMTP_REPLY_TIMEOUT_SECONDS "${text}" is not a number of seconds above 0; the default is 600 (10 minutes, as RFC 5321 asks)`,
    );
  }
  return Math.round(seconds * 1000);
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
