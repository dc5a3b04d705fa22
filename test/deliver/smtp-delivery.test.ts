// Delivery against a real SMTP server on a loopback port, with faults injected by the server.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readScheduleStatuses } from '../../lib/cli/commands/schedule.ts';
import { parseAddress } from '../../lib/deliver/address.ts';
import { formatEvent } from '../../lib/deliver/delivery-setup.ts';
import { readSends } from '../../lib/deliver/ledger.ts';
import { withLedgerDb } from '../../lib/deliver/ledger-db.ts';
import { PulseError } from '../../lib/errors.ts';
import { defineReport } from '../../lib/report/define.ts';
import { runScheduledJob } from '../../lib/schedule/run-job.ts';
import { formatStatus } from '../../lib/schedule/status.ts';
import { FIXTURES } from '../helpers.ts';
import { SENTINEL_USER } from '../support/sentinel.ts';
import { decodePng } from './decode-png.ts';
import { createHarness, type Harness, OWNER, SECRET, testSchedule } from './harness.ts';
import { createSmallData } from './small-data.ts';
import { startSmtp, type TestSmtp } from './smtp-test-server.ts';

const SCHEDULED = new Date('2026-11-01T06:00:00Z'); // 07:00 in Berlin: reports October 2026
let data: { dir: string; remove: () => Promise<void> };
let h: Harness;
let smtp: TestSmtp | undefined;

beforeAll(async () => {
  data = await createSmallData();
}, 120_000);
afterAll(() => data.remove());
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
  await h?.remove();
});

const sends = () => withLedgerDb(h.ledgerPath, (db) => readSends(db));
const events = (name: string) => h.log.events.filter((e) => e.event === name);

describe('delivery through a real SMTP server', { timeout: 90_000 }, () => {
  it('421 three times, then accepted: exactly one message, four attempts, backoff with jitter', async () => {
    h = await createHarness(data.dir);
    smtp = await startSmtp({
      rcpt: (to, n) =>
        to === 'a@example.com' && n <= 3 ? { code: 421, message: '4.7.0 Try again later' } : undefined,
    });
    const schedule = testSchedule({ recipients: [{ address: { address: 'a@example.com' }, params: {} }] });
    const record = await runScheduledJob(schedule, SCHEDULED, h.deps({ port: smtp.port }));
    expect(record).toMatchObject({ state: 'sent', period: '2026-10', recipients: 1, sent: 1, failed: 0 });
    expect(smtp.to('a@example.com')).toHaveLength(1);
    expect(smtp.delivered).toHaveLength(1); // and no alert
    const [row] = await sends();
    expect(row).toMatchObject({
      state: 'sent',
      attempts: 4,
      smtpResponse: expect.stringMatching(/^250 2\.0\.0 Ok: queued/),
    });
    // 30 s, 60 s, 120 s doubled, each scaled into [half, full] by the jitter (0.5 here).
    expect(events('send_retry').map((e) => e.delay_ms)).toEqual([22_500, 45_000, 90_000]);
    expect(events('send_retry')[0]?.error).toBe('CONN: 421 4.7.0 Try again later');
  });

  it('a 4xx that never clears: given up after the configured attempts, owner alerted', async () => {
    h = await createHarness(data.dir);
    smtp = await startSmtp({
      rcpt: (to) => (to === 'a@example.com' ? { code: 450, message: '4.2.1 Mailbox busy' } : undefined),
    });
    const schedule = testSchedule({
      recipients: [{ address: { address: 'a@example.com' }, params: {} }],
      retry: { attempts: 3, initialDelayMs: 1000, maxDelayMs: 10_000 },
    });
    const record = await runScheduledJob(schedule, SCHEDULED, h.deps({ port: smtp.port }));
    expect(record.state).toBe('failed');
    expect(smtp.counts.rcpt - smtp.to(OWNER.address).length).toBe(3);
    expect(smtp.to(OWNER.address)).toHaveLength(1);
  });

  it('550 for one of five: four delivered, one failed (not retried), the run partial, the owner alerted', async () => {
    h = await createHarness(data.dir);
    smtp = await startSmtp({
      rcpt: (to) => (to === 'c@example.com' ? { code: 550, message: '5.1.1 No such user' } : undefined),
    });
    const record = await runScheduledJob(testSchedule(), SCHEDULED, h.deps({ port: smtp.port }));
    expect(record).toMatchObject({ state: 'partial', recipients: 5, sent: 4, failed: 1 });
    for (const n of ['a', 'b', 'd', 'e']) expect(smtp.to(`${n}@example.com`)).toHaveLength(1);
    expect(smtp.to('c@example.com')).toHaveLength(0);
    const c = (await sends()).find((s) => s.recipient === 'c@example.com');
    expect(c).toMatchObject({ state: 'failed', attempts: 1, failureKind: 'permanent', smtpResponse: '550' });
    const [alert] = smtp.to(OWNER.address);
    expect(alert).toBeDefined();
    const parsed = await simpleParser(alert?.raw ?? '');
    expect(parsed.subject).toBe(
      '[crm-pulse] tiny-monthly (tiny, October 2026): 1 of 5 recipients did not get the report',
    );
    expect(parsed.text).toContain('c@example.com: RCPT TO: 550 5.1.1 No such user (after 1 attempt)');
    expect(parsed.text).toContain(
      'npx pulse send tiny-monthly --period 2026-10 (recipients already sent, or of unknown outcome, are skipped)',
    );
    const [sent] = events('alert_sent');
    expect(sent?.where).toBe(
      `alert sent to CRM Ops <owner@example.com> via smtp://reports@127.0.0.1:${smtp.port} (no TLS)`,
    );
    expect(formatEvent(sent ?? { event: '' })).toBe(
      `pulse: ${sent?.where}: tiny-monthly (tiny, October 2026): 1 of 5 recipients did not get the report`,
    );
  });

  it('535: one login attempt, no loop; nobody is sent to, the alert goes to the outbox; no password anywhere', async () => {
    h = await createHarness(data.dir);
    smtp = await startSmtp({ auth: () => false });
    const record = await runScheduledJob(testSchedule(), SCHEDULED, h.deps({ port: smtp.port, login: true }));
    expect(record.state).toBe('failed');
    expect(smtp.counts.auth).toBe(1);
    expect(smtp.delivered).toHaveLength(0);
    const rows = await sends();
    expect(rows.map((r) => r.state)).toEqual(['failed', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(rows[0]).toMatchObject({ failureKind: 'auth', attempts: 1 });
    expect(rows[1]?.error).toMatch(/not attempted: the server refused the login/);
    const outbox = await readdir(h.outbox);
    expect(outbox).toHaveLength(1);
    const alert = await readFile(join(h.outbox, outbox[0] ?? ''), 'utf8');
    expect(alert).toContain('PULSE_SMTP_USER');
    // Said as it is: saved to the outbox (where, and why), not "sent".
    expect(events('alert_sent')).toEqual([]);
    const [saved] = events('alert_saved');
    expect(saved).toMatchObject({ owner: OWNER.address, file: join(h.outbox, outbox[0] ?? '') });
    expect(formatEvent(saved ?? { event: '' })).toBe(
      `pulse: alert for CRM Ops <owner@example.com> saved to the outbox at ${join(h.outbox, outbox[0] ?? '')} because the server refused the login, so it would refuse the alert too; not e-mailed: ${saved?.summary}`,
    );
    for (const text of [alert, JSON.stringify(h.log.events), JSON.stringify(rows)])
      expect(text).not.toContain(SECRET);
  });

  it('a 535 reply that echoes the AUTH PLAIN argument: the base64 of the password is in no ledger row, log line or alert', async () => {
    h = await createHarness(data.dir);
    const argument = Buffer.from(`\0${SENTINEL_USER}\0${SECRET}`).toString('base64');
    smtp = await startSmtp({
      auth: (user, password) => ({
        code: 535,
        message: `5.7.8 Authentication failed for AUTH PLAIN ${Buffer.from(`\0${user}\0${password}`).toString('base64')}`,
      }),
    });
    const record = await runScheduledJob(testSchedule(), SCHEDULED, h.deps({ port: smtp.port }));
    expect(record.state).toBe('failed');
    const rows = await sends();
    expect(rows[0]).toMatchObject({ failureKind: 'auth', error: expect.stringContaining('AUTH PLAIN ***') });
    const outbox = await readdir(h.outbox);
    const alert = await readFile(join(h.outbox, outbox[0] ?? ''), 'utf8');
    expect((await simpleParser(alert)).text).toContain('AUTH PLAIN ***');
    for (const text of [alert, JSON.stringify(h.log.events), JSON.stringify(rows), record.detail ?? ''])
      expect(text).not.toContain(argument);
    // The ledger file itself (and everything else) is searched by the sentinel check after the run.
  });

  it('no reply to the end of the message within the wait: outcome unknown, one copy, no retry, the others still sent, the owner told, --status shows it', async () => {
    h = await createHarness(data.dir);
    let cAccepted = () => {};
    const accepted = new Promise<void>((resolve) => {
      cAccepted = resolve;
    });
    smtp = await startSmtp({
      // The server takes c's message, then says 250 only once the client has stopped waiting.
      data: async (recipients, _n, clientGone) => {
        if (recipients.includes('c@example.com')) await clientGone;
        return undefined;
      },
      accepted: (recipients) => (recipients.includes('c@example.com') ? cAccepted() : undefined),
    });
    const schedule = testSchedule();
    const deps = h.deps({ port: smtp.port, replyTimeoutSeconds: 1 });
    const record = await runScheduledJob(schedule, SCHEDULED, deps);
    await accepted;
    expect(record).toMatchObject({ state: 'partial', recipients: 5, sent: 4, failed: 0, skipped: 0 });
    expect(record.detail).toContain('outcome unknown, not resent: c@example.com');
    for (const n of ['a', 'b', 'c', 'd', 'e']) expect(smtp.to(`${n}@example.com`), n).toHaveLength(1);
    expect(events('send_retry')).toEqual([]);
    expect(events('send_unknown')).toMatchObject([
      {
        recipient: 'c@example.com',
        error: expect.stringMatching(/^no reply to the end of the message: CONN: ETIMEDOUT/),
      },
    ]);
    const c = (await sends()).find((row) => row.recipient === 'c@example.com');
    expect(c).toMatchObject({ state: 'unknown', attempts: 1, failureKind: 'unknown' });
    const resend = 'npx pulse send tiny-monthly --period 2026-10 --to c@example.com --force';
    const alert = await smtp.parse(smtp.to(OWNER.address)[0] ?? { recipients: [], raw: Buffer.alloc(0) });
    expect(alert.subject).toBe(
      '[crm-pulse] tiny-monthly (tiny, October 2026): 1 of 5 may not have (outcome unknown)',
    );
    expect(alert.text).toMatch(
      /- c@example\.com: outcome unknown, not resent automatically .*: no reply to the end/,
    );
    expect(alert.text).toContain(`send it again on purpose: ${resend}`);
    const [status] = await readScheduleStatuses(h.ledgerPath, [schedule], h.clock.now());
    expect(formatStatus(status ? [status] : [])).toMatch(
      new RegExp(
        `  unknown: {3}c@example\\.com \\(2026-10\\), may or may not have arrived, not resent automatically: no reply .*\n {13}to send it again on purpose: ${resend}\n`,
      ),
    );
    // The scheduler coming back to the run (a restart, a catch-up) does not resend it either.
    const again = await runScheduledJob(schedule, SCHEDULED, deps);
    expect(again).toMatchObject({ state: 'partial', sent: 4 });
    expect(smtp.to('c@example.com')).toHaveLength(1);
    expect(smtp.counts.data).toBe(5 + 2); // five reports, two alerts
  });

  it('A@EXAMPLE.TEST and a@example.test are one recipient: one message, to the first spelling', async () => {
    h = await createHarness(data.dir);
    smtp = await startSmtp();
    const schedule = testSchedule({
      recipients: [
        { address: parseAddress('A@EXAMPLE.TEST', 'test'), params: {} },
        { address: parseAddress('a@example.test', 'test'), params: {} },
      ],
    });
    const record = await runScheduledJob(schedule, SCHEDULED, h.deps({ port: smtp.port }));
    expect(record).toMatchObject({ state: 'sent', recipients: 1, sent: 1 });
    expect(smtp.delivered.map((d) => d.recipients)).toEqual([['A@example.test']]);
  });

  it('the message has the subject, the text part, CID images that decode as PNG, and the attachments', async () => {
    h = await createHarness(data.dir);
    smtp = await startSmtp();
    const schedule = testSchedule({
      recipients: [{ address: { address: 'a@example.com', name: 'Ana Ruiz' }, params: {} }],
    });
    await runScheduledJob(schedule, SCHEDULED, h.deps({ port: smtp.port }));
    const [message] = smtp.delivered;
    const parsed = await smtp.parse(message ?? { recipients: [], raw: Buffer.alloc(0) });
    expect(parsed.subject).toBe('CRM tiny report: October 2026');
    expect(parsed.to).toMatchObject({ value: [{ name: 'Ana Ruiz', address: 'a@example.com' }] });
    expect(parsed.text).toMatch(
      /^CRM tiny report: October 2026\n\nHow October 2026 went for all regions\.\n\n- Revenue/,
    );
    const cids = [...(parsed.html || '').matchAll(/src="cid:([^"]+)"/g)].map((m) => m[1]);
    expect(cids).toEqual(['change-revenue.png@crm-pulse']);
    const images = parsed.attachments.filter((a) => a.cid);
    expect(images.map((a) => a.cid)).toEqual(cids);
    expect(decodePng(images[0]?.content ?? Buffer.alloc(0)).width).toBeGreaterThan(500);
    expect(parsed.html).toMatch(
      /<img src="cid:change-revenue\.png@crm-pulse" width="\d+" height="\d+" alt="[^"]{10,}"/,
    );
    const attached = parsed.attachments.filter((a) => a.contentDisposition === 'attachment');
    expect(attached.map((a) => [a.filename, a.contentType])).toEqual([
      ['report.html', 'text/html'],
      ['kpis.csv', 'text/csv'],
    ]);
    expect(attached[0]?.content.toString()).toMatch(/^<!doctype html>/i);
    expect(attached[1]?.content.toString()).toMatch(/^id,period_start,period_end,value/);
  });

  it('a second run sends nothing again; --force resends with a new Message-ID', async () => {
    h = await createHarness(data.dir);
    smtp = await startSmtp();
    const schedule = testSchedule({ recipients: [{ address: { address: 'a@example.com' }, params: {} }] });
    const deps = h.deps({ port: smtp.port });
    await runScheduledJob(schedule, SCHEDULED, deps);
    const again = await runScheduledJob(schedule, SCHEDULED, deps);
    expect(again).toMatchObject({ state: 'sent', sent: 1 });
    expect(smtp.delivered).toHaveLength(1);
    expect(events('report_failed')).toHaveLength(0);
    const { deliverReport } = await import('../../lib/deliver/deliver-report.ts');
    const { tinyReport } = await import('./tiny-report.ts');
    const result = await deliverReport(
      {
        schedule: schedule.name,
        definition: tinyReport,
        period: { start: '2026-10-01', end: '2026-11-01', grain: 'month' },
        recipients: schedule.recipients,
        force: true,
        dryRun: false,
        pdf: false,
        retry: schedule.retry,
      },
      {
        ...deps.delivery,
        timeZone: 'Europe/Berlin',
        now: () => h.clock.now().toISOString(),
        sleep: async () => {},
        log: h.log,
      },
    );
    expect(result.state).toBe('sent');
    expect(smtp.delivered).toHaveLength(2);
    const [first, second] = await Promise.all(smtp.delivered.map((d) => smtp?.parse(d)));
    expect(second?.messageId).not.toBe(first?.messageId);
    expect((await sends())[0]?.attempts).toBe(2);
  });

  it('each recipient gets the numbers of their own params (one report run per parameter set)', async () => {
    h = await createHarness(data.dir);
    smtp = await startSmtp();
    const schedule = testSchedule({
      recipients: [
        { address: { address: 'emea@example.com' }, params: { region: 'EMEA' } },
        { address: { address: 'apac@example.com' }, params: { region: 'APAC' } },
        { address: { address: 'ceo@example.com' }, params: {} },
      ],
    });
    const record = await runScheduledJob(schedule, SCHEDULED, h.deps({ port: smtp.port }));
    expect(record.state).toBe('sent');
    const text = async (to: string) =>
      (await smtp?.parse(smtp.to(to)[0] ?? { recipients: [], raw: Buffer.alloc(0) }))?.text;
    expect(await text('emea@example.com')).toContain('went for EMEA');
    expect(await text('apac@example.com')).toContain('went for APAC');
    expect(await text('ceo@example.com')).toContain('went for all regions');
    expect((await sends()).map((s) => s.params)).toEqual([{ region: 'APAC' }, {}, { region: 'EMEA' }]);
  });

  it('recipients derived from the data, each with their own params; bad rows skipped, the owner told', async () => {
    h = await createHarness(data.dir);
    smtp = await startSmtp();
    const schedule = testSchedule({
      recipients: [],
      recipientsFrom: {
        sql: `SELECT 'lead-' || lower(region) || '@example.com' AS address, region FROM customers
              WHERE region IN ($a, $b) AND acquired_at < $period_end GROUP BY region
              UNION ALL SELECT 'not an address', 'X' ORDER BY region`,
        params: { a: 'EMEA', b: 'APAC' },
      },
    });
    const record = await runScheduledJob(schedule, SCHEDULED, h.deps({ port: smtp.port }));
    expect(record).toMatchObject({ state: 'sent', recipients: 2, sent: 2 });
    const text = async (to: string) =>
      (await smtp?.parse(smtp.to(to)[0] ?? { recipients: [], raw: Buffer.alloc(0) }))?.text;
    expect(await text('lead-emea@example.com')).toContain('went for EMEA');
    expect(await text('lead-apac@example.com')).toContain('went for APAC');
    const alert = await smtp.parse(smtp.to(OWNER.address)[0] ?? { recipients: [], raw: Buffer.alloc(0) });
    expect(alert.subject).toBe('[crm-pulse] tiny-monthly: 1 recipient from the data skipped');
    expect(alert.text).toContain(
      'recipientsFrom row 3: address "not an address" has no user@domain form; skipped',
    );
  });

  it('a data-check failure: nothing to stakeholders, the owner alerted, the run failed', async () => {
    h = await createHarness(data.dir);
    smtp = await startSmtp();
    const record = await runScheduledJob(
      testSchedule(),
      SCHEDULED,
      h.deps({ port: smtp.port, dataDir: `${FIXTURES}/contract-errors` }),
    );
    expect(record.state).toBe('failed');
    expect(smtp.delivered.map((d) => d.recipients)).toEqual([[OWNER.address]]);
    const alert = await smtp.parse(smtp.delivered[0] ?? { recipients: [], raw: Buffer.alloc(0) });
    expect(alert.text).toMatch(/report not sent: the report failed: .*contract errors/);
    expect((await sends()).every((s) => s.state === 'skipped')).toBe(true);
  });

  it('a KPI query failure: nothing to stakeholders, the owner alerted', async () => {
    h = await createHarness(data.dir);
    smtp = await startSmtp();
    const broken = defineReport({
      name: 'tiny',
      title: 'Broken',
      grain: 'month',
      async build() {
        throw new PulseError('query', 'Binder Error: column "amount_usd" not found');
      },
    });
    const record = await runScheduledJob(
      testSchedule(),
      SCHEDULED,
      h.deps({ port: smtp.port, loadReport: async () => broken }),
    );
    expect(record.state).toBe('failed');
    expect(smtp.delivered.map((d) => d.recipients)).toEqual([[OWNER.address]]);
    expect(record.detail).toMatch(/amount_usd/);
  });
});
