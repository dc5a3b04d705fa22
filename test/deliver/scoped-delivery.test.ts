// Scheduled delivery of scoped reports and of restated numbers, end to end: the report runs on
// the scope fixture, goes through a real SMTP server, and the received messages are parsed.

import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { runScheduledJob } from '../../lib/schedule/run-job.ts';
import { FIXTURES } from '../helpers.ts';
import { createHarness, type Harness, OWNER, testSchedule } from './harness.ts';
import { startSmtp, type TestSmtp } from './smtp-test-server.ts';

const OCTOBER_RUN = new Date('2026-11-01T06:00:00Z'); // 07:00 in Berlin: reports October 2026
const SEPTEMBER_RUN = new Date('2026-10-01T05:00:00Z'); // 07:00 in Berlin (summer time): September

let h: Harness | undefined;
let smtp: TestSmtp | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await smtp?.close();
  await h?.remove();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  smtp = undefined;
  h = undefined;
  dataDir = undefined;
});

async function received(to: string): Promise<ParsedMail[]> {
  if (!smtp) throw new Error('test: no SMTP server');
  return Promise.all(smtp.to(to).map((d) => (smtp as TestSmtp).parse(d)));
}

function attachedReport(mail: ParsedMail | undefined): string {
  return mail?.attachments.find((a) => a.filename === 'report.html')?.content.toString('utf8') ?? '';
}

describe('scoped and restated reports through a real SMTP server', { timeout: 90_000 }, () => {
  it('two regional recipients get two different messages: their own subject and numbers', async () => {
    h = await createHarness(`${FIXTURES}/scope`);
    smtp = await startSmtp();
    const schedule = testSchedule({
      recipients: [
        { address: { address: 'emea@example.com' }, params: { region: 'EMEA' } },
        { address: { address: 'apac@example.com' }, params: { region: 'APAC' } },
      ],
    });
    const record = await runScheduledJob(schedule, OCTOBER_RUN, h.deps({ port: smtp.port }));
    expect(record).toMatchObject({ state: 'sent', recipients: 2, sent: 2 });
    const [emea] = await received('emea@example.com');
    const [apac] = await received('apac@example.com');
    expect(emea?.subject).toBe('CRM tiny report: October 2026 — region EMEA');
    expect(apac?.subject).toBe('CRM tiny report: October 2026 — region APAC');
    // Revenue and close rate of each region's customers only (test/report/scope.test.ts checks
    // these against SQL over the files): EMEA 1,000 + 250; APAC 400 + 600.
    expect(emea?.text).toContain('Revenue $1,250');
    expect(emea?.text).toContain('Close rate 66.7 %');
    expect(apac?.text).toContain('Revenue $1,000');
    expect(apac?.text).toContain('Close rate 50.0 %');
    expect(emea?.html).toContain('October 2026 — region EMEA</h1>');
    expect(emea?.html).toContain('<strong>Only region EMEA.</strong> Covers the 2 of 6 customers');
    expect(apac?.html).not.toContain('EMEA');
    expect(attachedReport(apac)).toContain('<span class="scope-label">— region APAC</span>');
    const csv = (mail: ParsedMail | undefined) =>
      mail?.attachments.find((a) => a.filename === 'kpis.csv')?.content.toString('utf8') ?? '';
    expect(csv(emea)).toContain('region EMEA');
    expect(csv(emea)).not.toContain('region APAC');
  });

  it('a scope that matches no customer sends nothing and tells the owner why', async () => {
    h = await createHarness(`${FIXTURES}/scope`);
    smtp = await startSmtp();
    const schedule = testSchedule({
      recipients: [{ address: { address: 'mars@example.com' }, params: { region: 'Mars' } }],
    });
    const record = await runScheduledJob(schedule, OCTOBER_RUN, h.deps({ port: smtp.port }));
    expect(record.state).toBe('failed');
    expect(smtp.to('mars@example.com')).toEqual([]);
    const [alert] = await received(OWNER.address);
    expect(alert?.text).toContain(
      `scope region=Mars matches no customer in ${FIXTURES}/scope: no customer has region "Mars"`,
    );
  });

  it('a later report says, in its HTML and text, which past number changed since it was sent', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pulse-restated-'));
    await cp(`${FIXTURES}/scope`, dataDir, { recursive: true });
    h = await createHarness(dataDir, '2026-10-01T05:00:00Z');
    smtp = await startSmtp();
    const schedule = testSchedule({
      recipients: [{ address: { address: 'emea@example.com' }, params: { region: 'EMEA' } }],
    });
    // 1. September goes out: EMEA revenue $900 (one order).
    expect((await runScheduledJob(schedule, SEPTEMBER_RUN, h.deps({ port: smtp.port }))).state).toBe('sent');
    const [september] = await received('emea@example.com');
    expect(september?.subject).toBe('CRM tiny report: September 2026 — region EMEA');
    expect(september?.text).toContain('Revenue $900');
    expect(september?.html).not.toContain('Restated since last sent');
    // 2. A late September order of an EMEA customer arrives, and one of an APAC customer (not
    // EMEA's: no restatement from it).
    await appendFile(
      join(dataDir, 'orders.csv'),
      'O10,C2,2026-09-20T10:00:00,Core,100.00,30.00\nO11,C3,2026-09-21T10:00:00,Core,500.00,30.00\n',
    );
    // 3. October goes out and says September's revenue moved.
    h.clock.set(OCTOBER_RUN);
    expect((await runScheduledJob(schedule, OCTOBER_RUN, h.deps({ port: smtp.port }))).state).toBe('sent');
    const [, october] = await received('emea@example.com');
    expect(october?.subject).toBe('CRM tiny report: October 2026 — region EMEA');
    const sentence = /September 2026 revenue was \$900(\.00)? when sent, now \$1,000(\.00)? after late data/;
    expect(october?.text).toMatch(/Restated since last sent:\n- September 2026 revenue was/);
    expect(october?.text).toMatch(sentence);
    expect(october?.html).toContain('Restated since last sent');
    expect(october?.html).toMatch(sentence);
    expect(attachedReport(october)).toMatch(sentence);
    // Said once near the top, before the summary.
    const html = october?.html || '';
    expect(html.indexOf('Restated since last sent')).toBeLessThan(html.indexOf('How October 2026 went'));
    // And still in the log, and in what the run recorded.
    expect(h.log.events.filter((e) => e.event === 'restated')).toHaveLength(1);
  });
});
