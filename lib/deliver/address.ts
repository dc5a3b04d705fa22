// E-mail addresses and header values, checked where they enter (config, flags, data), so no
// later step has to wonder whether a CR/LF could smuggle in a header.

import { PulseError } from '../errors.ts';

export interface MailAddress {
  /** The bare address, lower-cased domain: ana@example.com. */
  readonly address: string;
  /** Display name, when given: "Ana Ruiz". */
  readonly name?: string;
}

const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const CONTROL = /[\r\n\0]/;

/** Why a header value is unsafe (CR, LF or NUL could start a new header), or undefined. */
export function headerValueProblem(value: string): string | undefined {
  return CONTROL.test(value) ? 'contains a line break or NUL character' : undefined;
}

/** Why `text` is not one plain address (user@domain.tld), or undefined when it is. */
export function addressProblem(text: string): string | undefined {
  if (headerValueProblem(text)) return 'contains a line break or NUL character';
  if (text.length > 254) return 'is longer than 254 characters';
  const at = text.lastIndexOf('@');
  if (at <= 0) return 'has no user@domain form';
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (local.length > 64 || !LOCAL.test(local)) return `has an invalid part before the @ ("${local}")`;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels.at(-1) ?? '')) {
    return `has an invalid domain ("${domain}"); expected e.g. example.com`;
  }
  return undefined;
}

/** `ana@example.com` or `Ana Ruiz <ana@example.com>`; `where` names the source in errors. */
export function parseAddress(text: string, where: string): MailAddress {
  const outcome = parseAddressOutcome(text);
  if ('problem' in outcome) throw new PulseError('usage', `${where}: ${outcome.problem}`);
  return outcome;
}

/** Like parseAddress, but returns the problem instead of throwing (config checks list them all). */
export function parseAddressOutcome(text: string): MailAddress | { readonly problem: string } {
  const trimmed = text.trim();
  const named = /^(.*?)\s*<([^<>]*)>$/s.exec(trimmed);
  const address = (named ? named[2] : trimmed)?.trim() ?? '';
  const name = named?.[1]?.trim().replace(/^"(.*)"$/s, '$1');
  const problem = addressProblem(address);
  if (problem) return { problem: `address "${printable(address)}" ${problem}` };
  if (name !== undefined && headerValueProblem(name)) {
    return { problem: `display name "${printable(name)}" contains a line break or NUL character` };
  }
  const at = address.lastIndexOf('@');
  const normalised = `${address.slice(0, at)}@${address.slice(at + 1).toLowerCase()}`;
  return { address: normalised, ...(name ? { name } : {}) };
}

/** Refuses a subject or other header value with CR, LF or NUL. */
export function assertHeaderSafe(value: string, what: string): void {
  const problem = headerValueProblem(value);
  if (problem) throw new PulseError('usage', `${what} "${printable(value)}" ${problem}; remove it`);
}

/**
 * What makes two addresses one recipient: the whole address, case ignored. The local part is
 * case-sensitive in theory (RFC 5321) but no real mailbox tells A@ from a@, so both spellings in
 * one run would deliver the same message twice.
 */
export function recipientKey(address: string): string {
  return address.toLowerCase();
}

/** "Ana Ruiz <ana@example.com>" for messages and logs. */
export function formatAddress(address: MailAddress): string {
  return address.name ? `${address.name} <${address.address}>` : address.address;
}

/** Shows control characters as \r, \n, \0 in messages instead of breaking the line. */
function printable(text: string): string {
  return text.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\0/g, '\\0').slice(0, 120);
}
