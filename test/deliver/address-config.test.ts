import { describe, expect, it } from 'vitest';
import { addressProblem, parseAddress, parseAddressOutcome } from '../../lib/deliver/address.ts';
import { describeMailSettings, parseMailSettings, redactSecrets } from '../../lib/deliver/smtp-config.ts';
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
    expect(redactSecrets(`AUTH PLAIN failed for ${SECRET}`, SECRET)).toBe('AUTH PLAIN failed for ***');
  });
});
