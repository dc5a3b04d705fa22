// Who may use the dev server. On this machine's loopback address only this machine's names may
// address it (no DNS rebinding). Bound to any other address, every request must carry the access
// token: once as `?token=` in the URL, which trades it for an HttpOnly SameSite=Strict cookie, or
// as `Authorization: Bearer TOKEN`. The server runs SQL and writes KPI files: never open to a LAN.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { PulseError } from '../errors.ts';
import { HttpError } from './http.ts';

export interface DevAccess {
  /** The address the server listens on. */
  readonly host: string;
  /** Asked of every request when set. */
  readonly token?: string;
}

export const DEFAULT_DEV_HOST = '127.0.0.1';
const TOKEN_FORMAT = /^[A-Za-z0-9._~-]{16,256}$/;

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^(?:::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** `--host`: an IP address of this machine (0.0.0.0 or :: for all) or localhost. */
export function parseDevHost(text: string): string {
  if (text === 'localhost' || isIP(text) !== 0) return text;
  throw new PulseError(
    'usage',
    `--host "${text}" should be an IP address of this machine (0.0.0.0 for every address) or localhost, e.g. --host 192.168.1.20`,
  );
}

/**
 * The token the server asks for: PULSE_DEV_TOKEN when set, a random one when the server listens
 * beyond loopback, none otherwise (loopback without a token behaves as it always did).
 */
export function devToken(host: string, envToken: string | undefined): string | undefined {
  if (envToken !== undefined && envToken !== '') {
    if (!TOKEN_FORMAT.test(envToken))
      throw new PulseError(
        'usage',
        'PULSE_DEV_TOKEN should be 16 to 256 characters of A-Z, a-z, 0-9, ".", "_", "~" or "-" (it goes in a URL), e.g. the output of `openssl rand -hex 24`',
      );
    return envToken;
  }
  return isLoopback(host) ? undefined : randomBytes(24).toString('base64url');
}

/** `host:port` as written in a URL (IPv6 in brackets). */
export function urlHost(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Throws an HttpError (401 or 403) for a request that may not be served. Returns true when the
 * request was answered here: a `?token=` URL redirected to itself without the token.
 */
export function checkAccess(
  request: IncomingMessage,
  response: ServerResponse,
  access: DevAccess,
  port: number,
): boolean {
  const host = request.headers.host ?? '';
  const origin = request.headers.origin;
  if (access.token === undefined) {
    const allowed = [...new Set([urlHost(access.host, port), `127.0.0.1:${port}`, `localhost:${port}`])];
    if (!allowed.includes(host)) throw new HttpError(403, `unexpected Host header "${host}"`);
    if (origin !== undefined && !allowed.some((a) => origin === `http://${a}`))
      throw new HttpError(403, `requests from ${origin} are not allowed`);
    return false;
  }
  // With a token any name may address the server: another site's page never holds the token,
  // and the cookie is never sent along with a request another site makes.
  if (origin !== undefined && origin !== `http://${host}`)
    throw new HttpError(403, `requests from ${origin} are not allowed`);
  const url = new URL(request.url ?? '/', 'http://pulse.invalid');
  const given = url.searchParams.get('token');
  const cookie = cookieName(port);
  if (given !== null) {
    if (!sameToken(given, access.token)) throw unauthorized(response);
    response.setHeader('set-cookie', `${cookie}=${access.token}; HttpOnly; SameSite=Strict; Path=/`);
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    url.searchParams.delete('token');
    response.writeHead(303, { location: `${url.pathname}${url.search}`, 'cache-control': 'no-store' }).end();
    return true;
  }
  const bearer = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  const presented = bearer ?? readCookie(request.headers.cookie, cookie);
  if (presented === undefined || !sameToken(presented, access.token)) throw unauthorized(response);
  return false;
}

/** One cookie per port: two dev servers on one machine keep their own tokens. */
function cookieName(port: number): string {
  return `pulse_dev_${port}`;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** Compares in constant time: the digests have one length whatever was sent. */
function sameToken(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function unauthorized(response: ServerResponse): HttpError {
  response.setHeader('www-authenticate', 'Bearer realm="pulse dev"');
  return new HttpError(
    401,
    'this pulse dev server asks for its access token: open the URL it printed at start (with ?token=...), or send Authorization: Bearer TOKEN',
  );
}
