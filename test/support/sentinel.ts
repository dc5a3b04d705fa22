// The sentinel SMTP password: every test that configures an SMTP password uses this one, and the
// test run fails if it shows up in anything the tests leave behind (test/support/global-setup.ts):
// files written (out folders, state folders with pulse.jsonl and the ledger, outboxes), mails the
// test SMTP server received, the CLI's captured output and console output. A test folder removed
// mid-run is scanned first (removeScanned), so cleaning up cannot hide a leak.

import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';

/** `+`, `=` and `$` change when URL-encoded or quoted-printable, yet are valid as is in a URL. */
export const SENTINEL_PASSWORD = 'S3ntinel+smtp=p4ss$w0rd';

/** The user name the tests log in with: AUTH PLAIN sends base64("\0reports\0" + password). */
export const SENTINEL_USER = 'reports';

/** Set by the global setup: everything the tests write is under it (it is also TMPDIR). */
export const OUTPUT_ROOT_ENV = 'PULSE_TEST_OUTPUT_ROOT';
const HITS_FILE = 'sentinel-hits.jsonl';

export interface SentinelHit {
  readonly file: string;
  /** How the password appeared: raw, base64, url-encoded... */
  readonly form: string;
}

/**
 * The password as it could appear in a log, a URL, a mail header or a base64 mail part, and as
 * the login sends it: AUTH PLAIN's base64("\0user\0password"), AUTH LOGIN's base64(password).
 */
export function sentinelForms(
  secret = SENTINEL_PASSWORD,
  user = SENTINEL_USER,
): { form: string; text: string }[] {
  const inUrl = new URL('smtp://u@h');
  inUrl.password = secret;
  const forms = [
    { form: 'raw', text: secret },
    { form: 'url-encoded', text: encodeURIComponent(secret) },
    {
      form: 'url-encoded (lower case)',
      text: encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    },
    { form: 'in a URL (as URL.password spells it)', text: inUrl.password },
    { form: 'json', text: JSON.stringify(secret).slice(1, -1) },
    { form: 'quoted-printable', text: secret.replace(/=/g, '=3D') },
    { form: 'AUTH PLAIN argument', text: Buffer.from(`\0${user}\0${secret}`).toString('base64') },
    { form: 'AUTH LOGIN password', text: Buffer.from(secret).toString('base64') },
  ];
  // In base64 the text depends on where the password starts within a 3-byte group (AUTH PLAIN
  // puts it after "\0user\0"): the characters that only it determines, for each of the three.
  for (const encoding of ['base64', 'base64url'] as const) {
    for (let pad = 0; pad < 3; pad++) {
      const bytes = Buffer.concat([Buffer.alloc(pad), Buffer.from(secret)]);
      const encoded = bytes.toString(encoding);
      const stable = encoded.slice(pad === 0 ? 0 : 4, Math.floor(bytes.length / 3) * 4);
      forms.push({ form: `${encoding} (offset ${pad})`, text: stable });
    }
  }
  return forms.filter((f, i) => f.text.length >= 12 && forms.findIndex((g) => g.text === f.text) === i);
}

/** The forms of the password found in a text, also across mail line wraps and soft breaks. */
export function findSentinelIn(text: string, secret = SENTINEL_PASSWORD): string[] {
  const unwrapped = text.replace(/=\r?\n/g, '').replace(/\r?\n[ \t]*/g, '');
  return sentinelForms(secret)
    .filter(({ text: t }) => text.includes(t) || unwrapped.includes(t))
    .map((f) => f.form);
}

/**
 * The forms found in a file's bytes; a mail (an .eml, a message the test SMTP server received) is
 * decoded too, since encoded-word headers and split base64 parts hide the password from a byte scan.
 */
export async function findSentinelInBytes(content: Buffer, secret = SENTINEL_PASSWORD): Promise<string[]> {
  // latin1 keeps every byte, so a password inside a binary file (the DuckDB ledger) shows too.
  const forms = new Set(findSentinelIn(content.toString('latin1'), secret));
  if (looksLikeMail(content)) {
    const mail = await simpleParser(content, { skipImageLinks: true, skipTextToHtml: true });
    const decoded = [
      JSON.stringify([...mail.headers]),
      mail.text ?? '',
      typeof mail.html === 'string' ? mail.html : '',
      ...mail.attachments.map((a) => a.content.toString('latin1')),
    ].join('\n');
    for (const form of findSentinelIn(decoded, secret)) forms.add(`${form}, decoded mail`);
  }
  return [...forms];
}

function looksLikeMail(content: Buffer): boolean {
  const head = content.subarray(0, 4096).toString('latin1');
  return (
    /^(?:[A-Za-z][A-Za-z0-9-]*:[^\n]*\r?\n(?:[ \t][^\n]*\r?\n)*)+\r?\n/.test(head) &&
    /^(?:From|Subject|MIME-Version):/im.test(head)
  );
}

/** Every file under `dir` holding the password in some form. */
export async function scanForSentinel(dir: string, secret = SENTINEL_PASSWORD): Promise<SentinelHit[]> {
  if (!existsSync(dir)) return [];
  const hits: SentinelHit[] = [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    if (entry.name === HITS_FILE) continue;
    const content = await readFile(file).catch(() => undefined);
    if (!content) continue;
    for (const form of await findSentinelInBytes(content, secret)) hits.push({ file, form });
  }
  return hits;
}

/** The root the global setup made, or undefined when a test file runs without it. */
export function outputRoot(): string | undefined {
  return process.env[OUTPUT_ROOT_ENV] || undefined;
}

/** Removes a test folder after scanning it; what it found fails the run at the end. */
export async function removeScanned(dir: string): Promise<void> {
  const root = outputRoot();
  if (root) {
    const hits = await scanForSentinel(dir);
    if (hits.length > 0)
      await appendFile(join(root, HITS_FILE), hits.map((h) => `${JSON.stringify(h)}\n`).join(''));
  }
  await rm(dir, { recursive: true, force: true });
}

/** Keeps output a test captured in memory (a CLI run's stdout and stderr, a mail) for the check. */
export async function keepCapturedOutput(label: string, text: string | Buffer): Promise<void> {
  const root = outputRoot();
  if (!root) return;
  const dir = join(root, 'captured');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${label.replace(/[^A-Za-z0-9_-]+/g, '-')}-${randomUUID()}.txt`), text);
}

/** What removeScanned found in folders that no longer exist. */
export async function recordedHits(root: string): Promise<SentinelHit[]> {
  const text = await readFile(join(root, HITS_FILE), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as SentinelHit);
}
