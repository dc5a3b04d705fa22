import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  findSentinelIn,
  findSentinelInBytes,
  OUTPUT_ROOT_ENV,
  recordedHits,
  removeScanned,
  SENTINEL_PASSWORD,
  SENTINEL_USER,
  scanForSentinel,
  sentinelForms,
} from '../support/sentinel.ts';

// The check that fails the run when the sentinel SMTP password shows up in what the tests leave
// behind (test/support/global-setup.ts): it must be active, and it must see the password in the
// forms a leak would take.
afterEach(() => vi.unstubAllEnvs());

describe('the sentinel check', () => {
  it('is active for this run: every temporary folder lands under the scanned root', () => {
    const root = process.env[OUTPUT_ROOT_ENV];
    expect(root, 'vitest.config.ts must name test/support/global-setup.ts').toBeTruthy();
    expect(tmpdir().startsWith(`${root}/`)).toBe(true);
  });

  it('finds the password raw, URL-encoded, in JSON and in base64 at any offset, even wrapped', () => {
    expect(findSentinelIn(`{"url":"smtp://u:${encodeURIComponent(SENTINEL_PASSWORD)}@h"}`)).toEqual([
      'url-encoded',
    ]);
    expect(findSentinelIn(`{"error":${JSON.stringify(`login failed for ${SENTINEL_PASSWORD}`)}}`)).toContain(
      'raw',
    );
    for (const prefix of ['', '\0reports\0', 'ab', 'a']) {
      const base64 = Buffer.from(`${prefix}${SENTINEL_PASSWORD}`).toString('base64');
      expect(findSentinelIn(`AUTH PLAIN ${base64}`), prefix).not.toEqual([]);
      expect(findSentinelIn(base64.replace(/(.{5})/g, '$1\r\n')), `${prefix} wrapped`).not.toEqual([]);
    }
    expect(findSentinelIn('S3ntinel+smtp, a prefix only, and ***')).toEqual([]);
  });

  it('searches for the login as it goes over the wire: AUTH PLAIN of the test user, AUTH LOGIN, the URL spelling', () => {
    const plain = Buffer.from(`\0${SENTINEL_USER}\0${SENTINEL_PASSWORD}`).toString('base64');
    const forms = sentinelForms();
    expect(forms).toContainEqual({ form: 'AUTH PLAIN argument', text: plain });
    expect(forms).toContainEqual({
      form: 'AUTH LOGIN password',
      text: Buffer.from(SENTINEL_PASSWORD).toString('base64'),
    });
    expect(findSentinelIn(`535 5.7.8 bad AUTH PLAIN ${plain}`)).toContain('AUTH PLAIN argument');
    expect(findSentinelIn('smtp://reports:S3ntinel+smtp%3Dp4ss$w0rd@h')).toEqual([
      'in a URL (as URL.password spells it)',
    ]);
  });

  it('finds it in a mail as nodemailer writes it: a header, a quoted-printable body, an attachment', async () => {
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    const mail = async (options: Parameters<typeof transport.sendMail>[0]) =>
      (await transport.sendMail({ from: 'a@example.com', to: 'b@example.com', ...options }))
        .message as Buffer;
    const long = `${'x'.repeat(70)} ${SENTINEL_PASSWORD} ü ${'y'.repeat(80)}`;
    // An encoded-word subject: =?UTF-8?Q?password_S3ntinel+smtp=3Dp4ss=24w0rd_?=
    expect(await findSentinelInBytes(await mail({ subject: `password ${SENTINEL_PASSWORD} é` }))).toEqual([
      'raw, decoded mail',
    ]);
    expect(await findSentinelInBytes(await mail({ text: long }))).toContain('quoted-printable');
    for (const content of [long, Buffer.from(long)]) {
      const attached = await mail({
        attachments: [{ filename: 'a.bin', content, contentType: 'application/octet-stream' }],
      });
      expect(await findSentinelInBytes(attached)).toContain('raw, decoded mail');
    }
    expect(await findSentinelInBytes(await mail({ text: 'nothing to see' }))).toEqual([]);
  });

  it('finds it in files under a folder, and a folder removed mid-run is scanned first', async () => {
    const root = await mkdtemp(join(tmpdir(), 'crm-pulse-sentinel-'));
    try {
      const state = join(root, 'work', 'state');
      await mkdir(join(state, 'outbox'), { recursive: true });
      await writeFile(join(state, 'pulse.jsonl'), '{"event":"sent"}\n');
      await writeFile(
        join(state, 'outbox', 'a.eml'),
        Buffer.from(`\0\x01${SENTINEL_PASSWORD}\xff`, 'latin1'),
      );
      expect(await scanForSentinel(join(root, 'work'))).toEqual([
        { file: join(state, 'outbox', 'a.eml'), form: 'raw' },
      ]);
      vi.stubEnv(OUTPUT_ROOT_ENV, root);
      await removeScanned(join(root, 'work'));
      expect(await recordedHits(root)).toEqual([{ file: join(state, 'outbox', 'a.eml'), form: 'raw' }]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
