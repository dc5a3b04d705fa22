import { describe, expect, it } from 'vitest';
import { addressProblem, parseAddress, parseAddressOutcome } from '../../lib/deliver/address.ts';
import { describeMailSettings, parseMailSettings, redactSecrets } from '../../lib/deliver/smtp-config.ts';
import { pulse } from '../support/cli.ts';
import { SENTINEL_PASSWORD as SECRET } from '../support/sentinel.ts';

describe('addresses', () => {
  it('accepts plain and named addresses, lower-casing the domain', () => {
    expect(parseAddress('ana@Example.COM', 'test')).toEqual({ address: 'ana@example.com' });
    expect(parseAddress('"Ruiz, Ana" <ana.ruiz+crm@mail.example.co.uk>', 'test')).toEqual({
      name: 'Ruiz, Ana',
      address: 'ana.ruiz+crm@mail.example.co.uk',
    });
  });

  it.each([
    ['ana', /no user@domain form/],
    ['ana@localhost', /invalid domain/],
    ['ana@@example.com', /invalid part before the @/],
    ['ana..b@example.com', /invalid part before the @/],
    ['ana@exa mple.com', /invalid domain/],
    ['ana@example.com\r\nBcc: x@example.com', /line break/],
    ['ana@example.com\0', /line break or NUL/],
    [`${'a'.repeat(250)}@example.com`, /longer than 254/],
  ])('rejects %j', (text, expected) => {
    expect(addressProblem(text)).toMatch(expected);
  });

  it('rejects a display name with a line break', () => {
    expect(parseAddressOutcome('Ana\nBcc: x@example.com <ana@example.com>')).toEqual({
      problem: expect.stringMatching(/display name .* line break/),
    });
    expect(() => parseAddress('nope', '--to "nope"')).toThrow(
      '--to "nope": address "nope" has no user@domain form',
    );
  });
});

describe('SMTP settings from the environment', () => {
  it('without any SMTP setting: the outbox', () => {
    expect(parseMailSettings({}, '/state/outbox')).toEqual({
      kind: 'outbox',
      dir: '/state/outbox',
      from: { name: 'CRM Pulse', address: 'pulse@crm-pulse.localhost' },
    });
  });

  it('from PULSE_SMTP_URL, the password decoded and never described', () => {
    const settings = parseMailSettings(
      { PULSE_SMTP_URL: `smtp://mailer%40example.com:${encodeURIComponent(SECRET)}@mail.example.com:2525` },
      '/o',
    );
    expect(settings).toMatchObject({
      kind: 'smtp',
      host: 'mail.example.com',
      port: 2525,
      secure: false,
      user: 'mailer@example.com',
      password: SECRET,
    });
    expect(settings.from).toEqual({ address: 'mailer@example.com' });
    expect(describeMailSettings(settings)).toBe(
      'smtp://mailer%40example.com@mail.example.com:2525 (STARTTLS)',
    );
    expect(describeMailSettings(settings)).not.toContain(SECRET);
  });

  it('from host, port, user, password file; smtps means TLS on connect', () => {
    const settings = parseMailSettings(
      {
        PULSE_SMTP_HOST: 'mail.example.com',
        PULSE_SMTP_PORT: '465',
        PULSE_SMTP_USER: 'u',
        PULSE_SMTP_FROM: 'Reports <r@example.com>',
      },
      '/o',
      SECRET,
    );
    expect(settings).toMatchObject({
      kind: 'smtp',
      port: 465,
      secure: true,
      password: SECRET,
      from: { name: 'Reports', address: 'r@example.com' },
    });
    expect(
      parseMailSettings(
        { PULSE_SMTP_URL: 'smtps://u:p@h.example.com', PULSE_SMTP_FROM: 'r@example.com' },
        '/o',
      ),
    ).toMatchObject({ port: 465, secure: true });
  });

  it('says what is wrong and how to fix it, without the password', () => {
    const fails = (env: Record<string, string>) => {
      try {
        parseMailSettings(env, '/o');
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(
      fails({ PULSE_SMTP_URL: `http://u:${SECRET}@h.example.com`, PULSE_SMTP_FROM: 'a@example.com' }),
    ).toMatch(/must start with smtp:\/\/ or smtps:\/\//);
    expect(fails({ PULSE_SMTP_URL: `smtp://u:${SECRET}@h.example.com` })).toBe(
      "PULSE_SMTP_FROM is not set; set the sender, e.g. PULSE_SMTP_FROM='CRM Pulse <pulse@example.com>'",
    );
    expect(
      fails({ PULSE_SMTP_HOST: 'h', PULSE_SMTP_PORT: 'smtp', PULSE_SMTP_FROM: 'a@example.com' }),
    ).toMatch(/PULSE_SMTP_PORT "smtp" is not a port number/);
    expect(
      fails({ PULSE_SMTP_HOST: 'h', PULSE_SMTP_PASSWORD: SECRET, PULSE_SMTP_FROM: 'a@example.com' }),
    ).toMatch(/no user; set PULSE_SMTP_USER/);
    expect(fails({ PULSE_SMTP_URL: `smtp://u:${SECRET}@h`, PULSE_SMTP_FROM: 'x' })).toMatch(
      /PULSE_SMTP_FROM: address "x"/,
    );
    for (const env of [
      { PULSE_SMTP_URL: `smtp://u:${SECRET}@h[` },
      { PULSE_SMTP_URL: `ftp://u:${SECRET}@h` },
    ]) {
      expect(fails(env)).not.toContain(SECRET);
    }
  });

  it('redacts passwords in URLs and the password itself from any text', () => {
    expect(redactSecrets(`connect smtp://u:${SECRET}@h failed`)).toBe('connect smtp://u:***@h failed');
    expect(redactSecrets(`connect smtp://u:a/${SECRET}@h failed`)).toBe('connect smtp://u:***@h failed');
    expect(redactSecrets(`AUTH PLAIN failed for ${SECRET}`, SECRET)).toBe('AUTH PLAIN failed for ***');
  });

  it('redacts every spelling of the password: percent-encoded, JSON, quoted-printable, AUTH PLAIN and AUTH LOGIN base64', () => {
    const plain = Buffer.from(`\0reports\0${SECRET}`).toString('base64');
    const login = Buffer.from(SECRET).toString('base64');
    for (const leak of [
      encodeURIComponent(SECRET),
      encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
      JSON.stringify(SECRET).slice(1, -1),
      SECRET.replace(/=/g, '=3D'),
      plain,
      login,
      Buffer.from(SECRET).toString('base64url'),
    ]) {
      const text = redactSecrets(`535 5.7.8 rejected ${leak} (try again)`, SECRET);
      expect(text, leak).toBe('535 5.7.8 rejected *** (try again)');
    }
    expect(redactSecrets('AUTH PLAIN AHJlcG9ydHMAb3RoZXI= is fine', SECRET)).toBe(
      'AUTH PLAIN AHJlcG9ydHMAb3RoZXI= is fine',
    );
  });

  it('a malformed PULSE_SMTP_URL: what, where, expected, how to fix; no password, no stack trace', async () => {
    const send = (url: string) =>
      pulse(['send', 'monthly', '--to', 'a@example.com'], {
        PULSE_SMTP_URL: url,
        PULSE_SMTP_FROM: 'pulse@example.com',
      });
    const slash = await send(`smtp://reports:s3cr3t/${SECRET}@127.0.0.1:2999`);
    expect(slash).toMatchObject({ code: 2, stdout: '' });
    expect(slash.stderr).toBe(
      'pulse: PULSE_SMTP_URL is not a valid URL: smtp://reports:***@127.0.0.1:2999; expected smtp://user:password@host:587 (smtps://... for TLS on port 465); the password holds /, which ends that part of a URL: percent-encode it (/ as %2F), or set PULSE_SMTP_PASSWORD / PULSE_SMTP_PASSWORD_FILE and leave it out of the URL\n',
    );
    const percent = await send(`smtp://reports:${SECRET}%zz@127.0.0.1:2999`);
    expect(percent).toMatchObject({ code: 2, stdout: '' });
    expect(percent.stderr).toBe(
      'pulse: PULSE_SMTP_URL (smtp://reports:***@127.0.0.1:2999): the password has a % that is not followed by two hex digits; expected it percent-encoded: write % as %25 (or set PULSE_SMTP_PASSWORD / PULSE_SMTP_PASSWORD_FILE and leave it out of the URL)\n',
    );
    // Written as advised, the same password is read back exactly.
    const fixed = parseMailSettings(
      {
        PULSE_SMTP_URL: `smtp://reports:${encodeURIComponent(`s3cr3t/${SECRET}%`)}@h`,
        PULSE_SMTP_FROM: 'a@example.com',
      },
      '/o',
    );
    expect(fixed).toMatchObject({ host: 'h', user: 'reports', password: `s3cr3t/${SECRET}%` });
  });
});
