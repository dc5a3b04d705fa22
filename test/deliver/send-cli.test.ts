// `pulse send` end to end on the real monthly report (small dataset), with no SMTP server
// configured: the .eml files in the outbox are what a mail client would show.

import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../lib/cli/options.ts';
import { runCli } from '../../lib/cli/run-cli.ts';
import { keepCapturedOutput, removeScanned, SENTINEL_PASSWORD, SENTINEL_USER } from '../support/sentinel.ts';
import { decodePng } from './decode-png.ts';
import { createSmallData } from './small-data.ts';
import { startSmtp } from './smtp-test-server.ts';

let data: { dir: string; remove: () => Promise<void> };
let root: string;

beforeAll(async () => {
  data = await createSmallData();
  root = await mkdtemp(join(tmpdir(), 'crm-pulse-send-cli-'));
}, 120_000);
afterAll(async () => {
  await data.remove();
  await removeScanned(root);
});

async function pulse(env: Record<string, string>, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: {
      PULSE_NOW: '2026-11-05T09:00:00Z',
      PULSE_DATA: data.dir,
      PULSE_STATE_DIR: join(root, 'state'),
      PULSE_OUT: join(root, 'out'),
      ...env,
    },
    cwd: root,
  };
  const code = await runCli(argv, io);
  await keepCapturedOutput('pulse-send', `${stdout}\n${stderr}`);
  return { code, stdout, stderr };
}

describe('pulse send', { timeout: 90_000 }, () => {
  it('without SMTP settings writes .eml files to the outbox and says so; a second send skips', async () => {
    const first = await pulse(
      {},
      'send',
      'monthly',
      '--period',
      '2026-10',
      '--to',
      'a@example.com',
      '--to',
      'Ana Ruiz <ana@example.com>',
    );
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^"CRM monthly report: October 2026": .*\/out\/monthly\/2026-10\/email\.html \(\d+ KB message\)$/m,
    );
    expect(first.stdout).toContain(
      'sent: 2 sent, 0 already sent, 0 failed, 0 not sent; no SMTP server configured (PULSE_SMTP_URL or PULSE_SMTP_HOST), so messages are written as .eml files to',
    );
    const outbox = join(root, 'state', 'outbox');
    const files = (await readdir(outbox)).sort();
    expect(files).toHaveLength(2);
    const parsed = await simpleParser(
      await readFile(join(outbox, files.find((f) => f.includes('ana@')) ?? '')),
      { keepCidLinks: true },
    );
    expect(parsed.subject).toBe('CRM monthly report: October 2026');
    expect(parsed.to).toMatchObject({ value: [{ name: 'Ana Ruiz', address: 'ana@example.com' }] });
    expect(parsed.text).toContain('CRM monthly report: October 2026');
    const cids = [...(parsed.html || '').matchAll(/<img [^>]*src="cid:([^"]+)"[^>]*alt="([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(cids.length).toBeGreaterThan(0);
    for (const cid of cids) {
      const image = parsed.attachments.find((a) => a.cid === cid);
      expect(image?.contentType).toBe('image/png');
      expect(decodePng(image?.content ?? Buffer.alloc(0)).width).toBeGreaterThan(0);
    }
    expect(parsed.attachments.filter((a) => !a.cid).map((a) => a.filename)).toEqual([
      'report.html',
      'kpis.csv',
    ]);

    const again = await pulse({}, 'send', 'monthly', '--period', '2026-10', '--to', 'a@example.com');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('a@example.com: already sent for this period; --force sends it again');
    expect(await readdir(outbox)).toHaveLength(2);
    const log = (await readFile(join(root, 'state', 'pulse.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { event: string; phase?: string });
    // The report run's phases come first (the second send runs no report: all were sent).
    expect(log.filter((e) => e.event === 'report_phase').map((e) => e.phase)).toEqual([
      'reading the data',
      'checking the data',
      'computing KPIs',
      'rendering',
    ]);
    expect(log.filter((e) => e.event !== 'report_phase').map((e) => e.event)).toEqual([
      'sent',
      'sent',
      'send_skipped_already_sent',
    ]);
  });

  it('A@EXAMPLE.TEST and a@example.test in one --to list: one message, to the first spelling', async () => {
    const state = join(root, 'state-case');
    const run = await pulse(
      { PULSE_STATE_DIR: state },
      'send',
      'monthly',
      '--period',
      '2026-10',
      '--to',
      'B@EXAMPLE.TEST',
      '--to',
      'b@example.test',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}B@example\.test: sent \(written to .*\)$/m);
    expect(run.stdout).not.toContain('  b@example.test:');
    expect(run.stdout).toContain('sent: 1 sent, 0 already sent, 0 failed, 0 not sent;');
    expect(await readdir(join(state, 'outbox'))).toHaveLength(1);
  });

  it('no reply to the end of the message: OUTCOME UNKNOWN with the resend command; not resent without --force', async () => {
    let aAccepted = () => {};
    const accepted = new Promise<void>((resolve) => {
      aAccepted = resolve;
    });
    let slow = true; // only the first message to a is answered late
    const smtp = await startSmtp({
      data: async (recipients, _n, clientGone) => {
        if (slow && recipients.includes('a@example.com')) {
          slow = false;
          await clientGone;
        }
        return undefined;
      },
      accepted: (recipients) => (recipients.includes('a@example.com') ? aAccepted() : undefined),
    });
    try {
      const env = {
        PULSE_STATE_DIR: join(root, 'state-slow'),
        PULSE_SMTP_HOST: '127.0.0.1',
        PULSE_SMTP_PORT: String(smtp.port),
        PULSE_SMTP_IGNORE_TLS: 'true',
        PULSE_SMTP_USER: SENTINEL_USER,
        PULSE_SMTP_PASSWORD: SENTINEL_PASSWORD,
        PULSE_SMTP_FROM: 'CRM Pulse <pulse@example.com>',
        PULSE_SMTP_REPLY_TIMEOUT_SECONDS: '1',
      };
      const args = [
        'send',
        'monthly',
        '--period',
        '2026-10',
        '--to',
        'a@example.com',
        '--to',
        'b@example.com',
      ];
      const first = await pulse(env, ...args);
      await accepted;
      expect(first.code).toBe(1);
      const resend = 'npx pulse send monthly --period 2026-10 --to a@example.com --force';
      expect(first.stdout).toMatch(
        new RegExp(
          `^ {2}a@example\\.com: OUTCOME UNKNOWN \\(it may have arrived; not resent automatically\\): no reply to the end of the message: CONN: ETIMEDOUT.*; to send it again on purpose: ${resend}$`,
          'm',
        ),
      );
      expect(first.stdout).toMatch(/^ {2}b@example\.com: sent \(250 /m);
      expect(first.stdout).toContain(
        'partial: 1 sent, 0 already sent, 0 failed, 1 outcome unknown, 0 not sent;',
      );
      expect(first.stderr).toMatch(
        /^pulse: send unknown a@example\.com: no reply to the end of the message/m,
      );
      const again = await pulse(env, ...args);
      expect(again.code).toBe(1);
      expect(again.stdout).toContain('  a@example.com: OUTCOME UNKNOWN');
      expect(again.stdout).toContain('  b@example.com: already sent for this period');
      expect(smtp.to('a@example.com')).toHaveLength(1);
      // The command given resends it, on purpose.
      const forced = await pulse(env, ...resend.split(' ').slice(2));
      expect(forced.code).toBe(0);
      expect(smtp.to('a@example.com')).toHaveLength(2);
      expect(smtp.to('b@example.com')).toHaveLength(1);
    } finally {
      await smtp.close();
    }
  });

  it('--dry-run composes and checks a schedule’s messages, sends nothing', async () => {
    const run = await pulse({}, 'send', 'monthly-exec', '--dry-run');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"CRM monthly report: October 2026"');
    expect(run.stdout).toContain('ceo@example.com: would be sent (dry run)');
    // The EMEA lead's report is its own run, scoped: its own subject and folder.
    expect(run.stdout).toContain('"CRM monthly report: October 2026 — region EMEA" {"region":"EMEA"}');
    expect(run.stdout).toContain('/out/region=EMEA/monthly/2026-10/email.html');
    expect(run.stdout).toContain('emea-lead@example.com: would be sent (dry run)');
    expect(run.stdout).toContain('dry run: 4 messages composed and checked, nothing sent');
  });

  it('--dry-run fails as the real send would when a report cannot be made, and says who would get nothing', async () => {
    const args = [
      'send',
      'monthly',
      '--period',
      '2026-10',
      '--to',
      'mars@example.com',
      '--param',
      'region=Mars',
    ];
    const dry = await pulse({}, ...args, '--dry-run');
    expect(dry.stdout).toContain('not sent: the report failed: scope region=Mars matches no customer');
    expect(dry.stdout).toContain('  mars@example.com: would not be sent (see above)');
    expect(dry.stdout).not.toContain('would be sent (dry run)');
    expect(dry.stdout).toContain(
      'dry run: 0 messages composed and checked, 1 would not be sent, nothing sent; a real send: no SMTP server configured',
    );
    expect(dry.code).toBe(1);
    expect((await pulse({}, ...args)).code).toBe(1);
  });

  it('refuses bad usage with the fix', async () => {
    expect(await pulse({}, 'send', 'monthly')).toMatchObject({
      code: 2,
      stderr:
        'pulse: "monthly" is a report, not a schedule: name the recipients with --to ADDR (repeatable), or send a schedule from schedules.json\n',
    });
    expect(await pulse({}, 'send', 'monthly', '--to', 'a@example.com\r\nBcc: b@example.com')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /^pulse: --to "a@example\.com\\r\\nBcc: b@example\.com": address "a@example\.com\\r\\nBcc: b@example\.com" contains a line break or NUL character\n$/,
      ),
    });
    expect(
      await pulse(
        { PULSE_SMTP_URL: `smtp://u:${SENTINEL_PASSWORD}@mail.example.com` },
        'send',
        'monthly',
        '--to',
        'a@example.com',
      ),
    ).toMatchObject({
      code: 2,
      stderr: expect.not.stringContaining(SENTINEL_PASSWORD),
    });
    expect(await pulse({}, 'send', 'nope', '--to', 'a@example.com')).toMatchObject({
      code: 2,
      stderr: 'pulse: no report "nope" (looked for reports/nope.ts); reports: monthly, quarterly, weekly\n',
    });
  });

  it('says on stderr which period a report without --period takes, and when the clock is past it', async () => {
    const level = await pulse({}, 'send', 'monthly', '--to', 'a@example.com', '--dry-run');
    expect(level.code, level.stderr).toBe(0);
    expect(level.stderr).toBe(
      'period: October 2026, the last complete month in the data (--period chooses another)\n',
    );
    // A month later the export has not moved: the send still takes October, and says why.
    const behind = await pulse(
      { PULSE_NOW: '2026-12-02T09:00:00Z' },
      'send',
      'monthly',
      '--to',
      'a@example.com',
      '--dry-run',
    );
    expect(behind.stderr).toContain(
      'the last complete month by the clock is November 2026, which the export does not cover in full (a schedule would wait for it)',
    );
  });
});

describe('pulse schedule --status and validation', () => {
  it('shows each schedule’s next run, last outcome and pending retries', async () => {
    const status = await pulse({ PULSE_STATE_DIR: join(root, 'empty-state') }, 'schedule', '--status');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(
      'monthly-exec  (report monthly, "0 7 1 * *" Europe/Berlin)\n  next run:  2026-12-01 07:00 Europe/Berlin\n  last run:  never\n  pending:   none\n',
    );
    expect(status.stdout).toContain(
      'weekly-ops  (report weekly, "0 7 * * 1" Europe/Berlin)\n  next run:  2026-11-09 07:00 Europe/Berlin',
    );
    const json = await pulse(
      { PULSE_STATE_DIR: join(root, 'empty-state') },
      'schedule',
      '--status',
      '--format',
      'json',
    );
    expect(JSON.parse(json.stdout)[0]).toMatchObject({
      name: 'monthly-exec',
      nextRun: '2026-12-01T06:00:00.000Z',
      lastRun: null,
      pendingRetries: [],
    });
  });

  it('refuses to start with every problem of the schedules listed', async () => {
    const path = join(root, 'bad-schedules.json');
    await writeFile(
      path,
      JSON.stringify({
        schedules: [
          {
            name: 'x',
            report: 'monthly',
            cron: '0 7 * *',
            timezone: 'Mars/Base',
            owner: 'ops@example.com',
            recipients: ['nobody'],
          },
        ],
      }),
    );
    const run = await pulse({ PULSE_SCHEDULES: path }, 'schedule', '--once');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      [
        'pulse: 2 problems in the schedules; nothing was scheduled:',
        `  ${path}: schedules[0] (x).timezone "Mars/Base": not an IANA time zone; use e.g. Europe/Berlin, America/New_York or UTC`,
        `  ${path}: schedules[0] (x).recipients[0].address: address "nobody" has no user@domain form`,
        '',
      ].join('\n'),
    );
  });
});
