// KPI alerts against a real SMTP server, the sample data and a pinned clock: a message when the
// condition turns to holding, none while it keeps holding, none when it never holds, again after
// it cleared, per breakdown value with `by`, and never on stale data (the owner hears instead).

import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertRule } from '../../lib/insights/alert-rule.ts';
import { parsePeriod } from '../../lib/kpi/period.ts';
import { SAMPLE_DATA_DIR } from '../../lib/paths.ts';
import { defineReport } from '../../lib/report/define.ts';
import { reportAbandonedRuns, runDueNow } from '../../lib/schedule/daemon.ts';
import { evaluateAlertRun } from '../../lib/schedule/run-alert.ts';
import { runScheduledJob } from '../../lib/schedule/run-job.ts';
import { describeState } from '../../lib/schedule/run-records.ts';
import type { Schedule } from '../../lib/schedule/schedule-config.ts';
import { createHarness, type Harness, OWNER, testSchedule } from '../deliver/harness.ts';
import { startSmtp, type TestSmtp } from '../deliver/smtp-test-server.ts';

let h: Harness | undefined;
let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
  await h?.remove();
  h = undefined;
});

const DAY = 86_400_000;
const FIRST = new Date('2026-11-02T08:00:00Z'); // reports October 2026, which the sample covers

function alertSchedule(alert: Partial<AlertRule>, name = 'churn-high'): Schedule {
  return testSchedule({
    name,
    report: `alert:${name}`,
    cron: '0 8 * * *',
    timezone: 'UTC',
    recipients: [{ address: { address: 'cs-lead@example.com' }, params: {} }],
    alert: {
      kpi: 'churn_rate',
      when: 'above',
      value: 0.01,
      grain: 'month',
      params: {},
      notifyWhenCleared: false,
      ...alert,
    },
  });
}

const subjects = (t: TestSmtp, to: string) =>
  Promise.all(t.to(to).map(async (m) => (await simpleParser(m.raw)).subject ?? ''));

/** The sample with every other October 2026 churn undone: churn falls below 1 %. */
async function withFewerOctoberChurns(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'crm-pulse-fewer-churns-'));
  await cp(SAMPLE_DATA_DIR, dir, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const file = join(dir, 'customers.parquet');
    await connection.run(
      `CREATE TABLE c AS SELECT * REPLACE (CASE WHEN churned_at >= DATE '2026-10-01' AND churned_at < DATE '2026-11-01'
         AND hash(customer_id) % 2 = 0 THEN NULL ELSE churned_at END AS churned_at) FROM read_parquet('${file}')`,
    );
    await connection.run(`COPY c TO '${file}' (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return dir;
}

async function setUp(start = FIRST) {
  h = await createHarness(SAMPLE_DATA_DIR, start.toISOString());
  smtp = await startSmtp();
  return { h, smtp, deps: h.deps({ port: smtp.port }) };
}

describe('KPI alerts', { timeout: 180_000 }, () => {
  it('a condition that holds is mailed once, with what crossed which line, and not again while it holds', async () => {
    const { h, smtp, deps } = await setUp();
    const schedule = alertSchedule({});
    const first = await runScheduledJob(schedule, FIRST, deps);
    expect(first).toMatchObject({ state: 'sent', period: '2026-10', sent: 1 });
    const [subject] = await subjects(smtp, 'cs-lead@example.com');
    expect(subject).toBe('Churn rate 1.4 % is above 1.0 % (October 2026)');
    const mail = await simpleParser(smtp.to('cs-lead@example.com')[0]?.raw ?? '');
    expect(mail.text).toContain('Churn rate 1.4 % is above 1.0 % (October 2026)');
    expect(mail.text).toMatch(/npx pulse alert test churn-high --period 2026-10/);
    expect(mail.attachments.some((a) => a.contentType === 'image/png' && a.cid)).toBe(true);
    // The message's own trend, inline under the value, as the README promises.
    const trend = mail.attachments.find((a) => a.filename === 'churn_rate-trend.png');
    expect(trend?.cid).toBeTruthy();
    // One chart: the trend; what changed says how it moved in words, not with a second line chart.
    expect([...(mail.html || '').matchAll(/<img [^>]*alt="([^"]{0,30})/g)].map((m) => m[1])).toEqual([
      'Churn rate rose to 1.4 % in Oc',
    ]);
    for (const day of [1, 2, 3]) {
      h.clock.set(new Date(FIRST.getTime() + day * DAY));
      const again = await runScheduledJob(schedule, new Date(FIRST.getTime() + day * DAY), deps);
      expect(again.state).toBe('sent');
      expect(again.detail).toMatch(/still holds since 2026-11-02.*not sent again/);
    }
    expect(smtp.to('cs-lead@example.com')).toHaveLength(1);
  });

  it('one that never holds sends nothing', async () => {
    const { smtp, deps } = await setUp();
    const record = await runScheduledJob(alertSchedule({ value: 0.5 }), FIRST, deps);
    expect(record).toMatchObject({ state: 'sent', detail: 'the condition does not hold; nothing sent' });
    // Done for the planner; said as what it is in the logs and the status.
    expect(describeState(record)).toBe('done, nothing to send');
    expect(describeState({ state: 'sent', recipients: 2 })).toBe('sent');
    expect(smtp.delivered).toHaveLength(0);
  });

  it('clear, then holding again (the export changed between runs), is a new change and is mailed again', async () => {
    const { h, smtp } = await setUp();
    const fewer = await withFewerOctoberChurns();
    try {
      const schedule = alertSchedule({ value: 0.01 });
      const on = (day: number, dataDir: string) => {
        const at = new Date(FIRST.getTime() + day * DAY);
        h.clock.set(at);
        return runScheduledJob(schedule, at, h.deps({ port: smtp.port, dataDir }));
      };
      await on(0, SAMPLE_DATA_DIR);
      // A corrected export: half of October's churns were data-entry mistakes. Below the line.
      const clear = await on(1, fewer);
      expect(clear.detail).toBe('the condition does not hold; nothing sent');
      // Corrected back: the churns were real after all. Holding again: a new message.
      await on(2, SAMPLE_DATA_DIR);
      expect(await subjects(smtp, 'cs-lead@example.com')).toEqual([
        'Churn rate 1.4 % is above 1.0 % (October 2026)',
        'Churn rate 1.4 % is above 1.0 % (October 2026)',
      ]);
    } finally {
      await rm(fewer, { recursive: true, force: true });
    }
  });

  it('with notifyWhenCleared, the clearing is mailed too, once', async () => {
    const { h, smtp } = await setUp();
    const fewer = await withFewerOctoberChurns();
    try {
      const schedule = alertSchedule({ value: 0.01, notifyWhenCleared: true });
      const on = (day: number, dataDir: string) => {
        const at = new Date(FIRST.getTime() + day * DAY);
        h.clock.set(at);
        return runScheduledJob(schedule, at, h.deps({ port: smtp.port, dataDir }));
      };
      await on(0, SAMPLE_DATA_DIR);
      await on(1, fewer);
      await on(2, fewer);
      const got = await subjects(smtp, 'cs-lead@example.com');
      expect(got).toHaveLength(2);
      expect(got[0]).toBe('Churn rate 1.4 % is above 1.0 % (October 2026)');
      expect(got[1]).toMatch(/^Cleared: Churn rate 0\.\d % is not above 1\.0 % \(October 2026\)$/);
    } finally {
      await rm(fewer, { recursive: true, force: true });
    }
  });

  it('with by: segment, fires for the segments that cross only, one message each', async () => {
    const { smtp, deps } = await setUp();
    const schedule = alertSchedule({ by: 'segment', value: 0.014 }, 'churn-by-segment');
    const { findings } = await evaluateAlertRun('churn-by-segment', schedule.alert as AlertRule, undefined, {
      dataDir: SAMPLE_DATA_DIR,
      timeZone: 'UTC',
      now: () => FIRST.toISOString(),
      currency: 'USD',
    });
    const crossing = findings.filter((f) => f.verdict.holds === true).map((f) => f.key);
    expect(crossing.length).toBeGreaterThan(0);
    expect(crossing.length).toBeLessThan(findings.length);
    await runScheduledJob(schedule, FIRST, deps);
    const got = await subjects(smtp, 'cs-lead@example.com');
    expect(got).toHaveLength(crossing.length);
    for (const key of crossing) expect(got.some((s) => s.includes(`(segment ${key})`))).toBe(true);
    // The message's tile is the segment's own number, not the whole KPI's beside its subject.
    for (const message of smtp.to('cs-lead@example.com')) {
      const mail = await simpleParser(message.raw);
      const key = crossing.find((k) => mail.subject?.includes(`(segment ${k})`));
      const text = mail.text ?? '';
      expect(key).toBeDefined();
      expect(text).toMatch(new RegExp(`^- Churn rate \\(segment ${key}\\) \\d`, 'm'));
      // What changed is about the whole KPI, and says so.
      expect(text).not.toMatch(/^- Churn rate \d/m);
      expect(text).not.toMatch(/^- Churn rate (rose|fell|was)/m);
    }
  });

  it('with by, a tile does not compare with a month of too few: Daniel Varga’s September of 9 deals', async () => {
    const { smtp, deps } = await setUp();
    const schedule = alertSchedule({ kpi: 'close_rate', when: 'below', value: 0.05, by: 'rep' }, 'reps-low');
    await runScheduledJob(schedule, FIRST, deps);
    const mails = await Promise.all(smtp.to('cs-lead@example.com').map((m) => simpleParser(m.raw)));
    const varga = mails.find((m) => m.subject?.includes('(rep Daniel Varga)'));
    // The tile says why it has no "vs Sep"; without that it compared with September's 9 deals.
    expect(varga?.text).toMatch(/^- Close rate \(rep Daniel Varga\) 0\.0 %, [^\n]*vs last year$/m);
    expect(varga?.text).not.toMatch(/vs Sep/);
    expect(varga?.html).toContain('n/a (it rested on 9 deals)');
    // Umar Abbott's 10 deals against last October's 9: no "vs last year" either.
    const abbott = mails.find((m) => m.subject?.includes('(rep Umar Abbott)'));
    expect(abbott?.text).toMatch(/^- Close rate \(rep Umar Abbott\) 0\.0 %, [^\n]*vs Sep$/m);
    expect(abbott?.text).not.toMatch(/vs last year/);
    expect(abbott?.html).toContain('n/a (it rested on 9 deals)');
  });

  it('with by, a sum with no row this month is 0: Umar Abbott won 6 deals in September and none in October', async () => {
    const { smtp, deps } = await setUp();
    const rule = { kpi: 'won_revenue', when: 'below' as const, value: 100_000, by: 'rep' };
    const schedule = alertSchedule(rule, 'reps-revenue-low');
    const { findings } = await evaluateAlertRun('reps-revenue-low', schedule.alert as AlertRule, undefined, {
      dataDir: SAMPLE_DATA_DIR,
      timeZone: 'UTC',
      now: () => FIRST.toISOString(),
      currency: 'USD',
    });
    const abbott = findings.find((f) => f.key === 'Umar Abbott');
    expect(abbott).toMatchObject({ value: 0, verdict: { holds: true } });
    // A rep with no won deal in September or October is not invented.
    expect(findings.map((f) => f.key)).not.toContain('Pablo Petrov');
    await runScheduledJob(schedule, FIRST, deps);
    const mails = await Promise.all(smtp.to('cs-lead@example.com').map((m) => simpleParser(m.raw)));
    const mail = mails.find((m) => m.subject?.includes('(rep Umar Abbott)'));
    expect(mail?.subject).toContain('Won revenue (rep Umar Abbott) $0 is below $100,000 (October 2026)');
    expect(mail?.text).toMatch(/^- Won revenue \(rep Umar Abbott\) \$0, −100\.0 % vs Sep/m);
    expect(mail?.text).toMatch(/from Umar Abbott/);
  });

  it('with by, a month without any won deal is no "(none)" group to carry over as $0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crm-pulse-no-won-'));
    try {
      // February: only lost deals (the KPI's one row that month has no owner); March: two reps
      // win; April: only rep A.
      const deal = (id: number, owner: string, day: string, status: string, amount: number) =>
        `D${id},${owner},2017-01-05,${day},${status},${amount}`;
      const rows = [
        deal(1, 'A', '2017-01-10', 'won', 9000),
        deal(2, 'B', '2017-02-10', 'lost', 0),
        deal(3, 'A', '2017-03-10', 'won', 9000),
        deal(4, 'B', '2017-03-12', 'won', 8000),
        deal(5, 'A', '2017-04-10', 'won', 9000),
        deal(6, 'B', '2017-04-11', 'lost', 0),
        deal(7, 'A', '2017-04-30', 'lost', 0),
        // May: the export lost the owner of the one deal won.
        deal(8, '', '2017-05-10', 'won', 6000),
        deal(9, 'A', '2017-05-31', 'lost', 0),
      ];
      await writeFile(
        join(dir, 'opportunities.csv'),
        `opportunity_id,owner_id,created_at,closed_at,status,amount\n${rows.join('\n')}\n`,
      );
      const rule: AlertRule = {
        kpi: 'won_revenue',
        when: 'below',
        value: 5000,
        by: 'owner',
        grain: 'month',
        params: {},
        notifyWhenCleared: false,
      };
      const evaluate = async (month: string) =>
        (
          await evaluateAlertRun('reps-low', rule, parsePeriod(month), {
            dataDir: dir,
            timeZone: 'UTC',
            now: () => '2017-06-02T08:00:00Z',
            currency: 'USD',
          })
        ).findings.map((f) => [f.key, f.value, f.verdict.holds]);
      expect(await evaluate('2017-03')).toEqual([
        ['A', 9000, false],
        ['B', 8000, false],
      ]);
      expect(await evaluate('2017-04')).toEqual([
        ['A', 9000, false],
        ['B', 0, true],
      ]);
      // A month whose won deal has no owner: nobody is said to have won $0, it may be theirs.
      expect(await evaluate('2017-05')).toEqual([['(none)', 6000, false]]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('with by, a carried 0 follows its value only from its first row, with its target, "(none)" too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crm-pulse-carry-'));
    try {
      await writeFile(
        join(dir, 'customers.csv'),
        'customer_id,segment,acquired_at\nC1,SMB,2015-01-01\nC2,Enterprise,2015-01-01\nC3,,2015-01-01\n',
      );
      // Rep A wins every month of 2016 and 2017 (SMB); rep B first wins in April 2017
      // (Enterprise, March only; C3 has no segment, March only).
      const deals = Array.from({ length: 16 }, (_, i) => {
        const month = new Date(Date.UTC(2016, i, 10)).toISOString().slice(0, 10);
        return `D${i},A,C1,2015-12-01,${month},won,${9000 + (i % 3) * 1500}`;
      });
      deals.push('E1,B,C2,2016-01-01,2017-03-11,won,9000', 'E2,B,C3,2016-01-01,2017-03-12,won,9000');
      deals.push('E3,B,C1,2016-01-01,2017-04-12,won,7000', 'E4,A,C1,2016-01-01,2017-04-30,lost,0');
      await writeFile(
        join(dir, 'opportunities.csv'),
        `opportunity_id,owner_id,customer_id,created_at,closed_at,status,amount\n${deals.join('\n')}\n`,
      );
      await writeFile(
        join(dir, 'targets.csv'),
        'kpi,period_start,grain,target,segment\nwon_revenue,2017-04-01,month,5000,SMB\nwon_revenue,2017-04-01,month,5000,Enterprise\n',
      );
      const evaluate = async (rule: Partial<AlertRule>) =>
        (
          await evaluateAlertRun(
            'x',
            {
              kpi: 'won_revenue',
              when: 'below',
              grain: 'month',
              params: {},
              notifyWhenCleared: false,
              ...rule,
            },
            parsePeriod('2017-04'),
            { dataDir: dir, timeZone: 'UTC', now: () => '2017-05-02T08:00:00Z', currency: 'USD' },
          )
        ).findings;
      // B's first month is no move after a year of zeros: it has no earlier periods to swing from.
      const unusual = await evaluate({ when: 'unusual', by: 'owner' });
      expect(unusual.find((f) => f.key === 'B')?.verdict.holds).toBeNull();
      // Enterprise won nothing in April against its $5,000 target: off target.
      const target = await evaluate({ when: 'off_target', by: 'segment' });
      expect(target.find((f) => f.key === 'Enterprise')).toMatchObject({
        value: 0,
        verdict: { holds: true },
      });
      // Deals without a segment are a group of their own: followed, so an alert on it can clear.
      const below = await evaluate({ value: 5000, by: 'segment' });
      expect(below.map((f) => [f.key, f.value])).toEqual([
        ['SMB', 16000],
        ['Enterprise', 0],
        ['(none)', 0],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('with by, an average with no row this month stays unknown: no deal won is no average deal size', async () => {
    const rule = { kpi: 'avg_deal_size', when: 'below' as const, value: 1_000_000, by: 'owner' };
    const { findings } = await evaluateAlertRun(
      'reps-small-deals',
      { ...rule, grain: 'month', params: {}, notifyWhenCleared: false },
      undefined,
      { dataDir: SAMPLE_DATA_DIR, timeZone: 'UTC', now: () => FIRST.toISOString(), currency: 'USD' },
    );
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.map((f) => f.key)).not.toContain('U036'); // Umar Abbott
    expect(findings.some((f) => f.value === 0)).toBe(false);
  });

  it('a recipient refused for a while: the owner is told the next run tries again, and the test, never a pulse send', async () => {
    h = await createHarness(SAMPLE_DATA_DIR, FIRST.toISOString());
    smtp = await startSmtp({
      rcpt: (address) =>
        address === 'cs-lead@example.com' ? { code: 451, message: '4.3.0 try again later' } : undefined,
    });
    const record = await runScheduledJob(alertSchedule({}), FIRST, h.deps({ port: smtp.port }));
    expect(record.state).toBe('failed');
    const mail = await simpleParser(smtp.to(OWNER.address)[0]?.raw ?? '');
    // Named as the owner named it, not by its ledger key (churn-high#…#1).
    expect(mail.subject).toBe(
      '[crm-pulse] churn-high (alert, October 2026): 1 of 1 recipients did not get the alert',
    );
    expect(mail.text).toContain("the schedule's next run sends it again while the condition holds");
    expect(mail.text).toContain('npx pulse alert test churn-high --period 2026-10');
    expect(mail.text).not.toContain('pulse send');
  });

  it('a recipient refused for good (550): the owner is told once to fix the address, not at every run', async () => {
    h = await createHarness(SAMPLE_DATA_DIR, FIRST.toISOString());
    smtp = await startSmtp({
      rcpt: (address) =>
        address === 'cs-lead@example.com' ? { code: 550, message: '5.1.1 no such user' } : undefined,
    });
    const schedule = alertSchedule({});
    const deps = h.deps({ port: smtp.port });
    expect((await runScheduledJob(schedule, FIRST, deps)).state).toBe('failed');
    const mail = await simpleParser(smtp.to(OWNER.address)[0]?.raw ?? '');
    expect(mail.text).toContain('fix or remove cs-lead@example.com in schedules.json');
    expect(mail.text).not.toContain("the schedule's next run sends it again");
    expect(mail.text).toContain('npx pulse alert test churn-high --period 2026-10');
    for (const day of [1, 2, 3]) {
      h.clock.set(new Date(FIRST.getTime() + day * DAY));
      const again = await runScheduledJob(schedule, new Date(FIRST.getTime() + day * DAY), deps);
      expect(again.detail).toMatch(/still holds since 2026-11-02.*not sent again/);
    }
    // One refusal, one owner mail: not one a day while the churn stays high.
    expect(smtp.to(OWNER.address)).toHaveLength(1);
  });

  it('a message refused for good once (554 at DATA) is no fault of the address: the next run sends it', async () => {
    h = await createHarness(SAMPLE_DATA_DIR, FIRST.toISOString());
    let refuse = true;
    smtp = await startSmtp({
      data: (recipients) =>
        refuse && recipients.includes('cs-lead@example.com')
          ? { code: 554, message: '5.6.0 message content rejected' }
          : undefined,
    });
    const schedule = alertSchedule({});
    const deps = h.deps({ port: smtp.port });
    expect((await runScheduledJob(schedule, FIRST, deps)).state).toBe('failed');
    const mail = await simpleParser(smtp.to(OWNER.address)[0]?.raw ?? '');
    expect(mail.text).not.toContain('fix or remove cs-lead@example.com');
    expect(mail.text).toContain("the schedule's next run sends it again while the condition holds");
    refuse = false;
    h.clock.set(new Date(FIRST.getTime() + DAY));
    expect((await runScheduledJob(schedule, new Date(FIRST.getTime() + DAY), deps)).state).toBe('sent');
    expect(smtp.to('cs-lead@example.com')).toHaveLength(1);
  });

  it('a recipient whose outcome is unknown: the owner is asked to check, not promised a resend', async () => {
    h = await createHarness(SAMPLE_DATA_DIR, FIRST.toISOString());
    smtp = await startSmtp({
      data: async (recipients, _n, clientGone) => {
        if (recipients.includes('cs-lead@example.com')) await clientGone;
        return undefined;
      },
    });
    const record = await runScheduledJob(
      alertSchedule({}),
      FIRST,
      h.deps({ port: smtp.port, replyTimeoutSeconds: 1 }),
    );
    expect(record.state).toBe('partial');
    const mail = await simpleParser(smtp.to(OWNER.address)[0]?.raw ?? '');
    expect(mail.text).toContain('ask cs-lead@example.com whether the alert arrived: it is not sent again');
    expect(mail.text).not.toContain("the schedule's next run sends it again");
    expect(mail.text).toContain('npx pulse alert test churn-high --period 2026-10');
  });

  it('a period the data starts in is neither evaluated nor called a stale export', async () => {
    // Orders every day from 15 July 2026: the run of 1 August reports July, which the data starts in.
    const at = new Date('2026-08-01T08:00:00Z');
    const dir = await mkdtemp(join(tmpdir(), 'crm-pulse-starts-'));
    const orders = Array.from({ length: 17 }, (_, i) => `O${i},C${i % 3},2026-07-${15 + i}T10:00:00,100`);
    await writeFile(
      join(dir, 'orders.csv'),
      `order_id,customer_id,ordered_at,amount\n${orders.join('\n')}\n`,
    );
    h = await createHarness(dir, at.toISOString());
    smtp = await startSmtp();
    const deps = h.deps({ port: smtp.port });
    const alert = alertSchedule({ kpi: 'revenue', when: 'below', value: 1_000_000 }, 'revenue-low');
    const record = await runScheduledJob(alert, at, deps);
    expect(record.state).toBe('sent');
    expect(record.detail).toContain('the data starts within July 2026');
    expect(record.detail).not.toMatch(/stale/);
    // The next day's run says the same, and nobody is mailed for it: there is nothing to fix.
    h.clock.set(new Date(at.getTime() + DAY));
    expect((await runScheduledJob(alert, new Date(at.getTime() + DAY), deps)).detail).toContain(
      'the data starts within July 2026',
    );
    expect(smtp.to('cs-lead@example.com')).toHaveLength(0);
    expect(smtp.to(OWNER.address)).toHaveLength(0);
    // A report schedule on the same period: refused as what it is, and the fix is --partial.
    const report = await runScheduledJob(
      testSchedule({ name: 'tiny-utc', cron: '0 8 1 * *', timezone: 'UTC' }),
      at,
      deps,
    );
    expect(report.detail).toContain('the data starts within July 2026');
    const owner = await Promise.all(
      smtp.to(OWNER.address).map(async (m) => (await simpleParser(m.raw)).text ?? ''),
    );
    const mail = owner.find((text) => text.includes('tiny-utc')) ?? '';
    expect(mail).toContain('npx pulse send tiny-utc --period 2026-07 --partial');
    expect(mail).not.toContain('fix the report or the data');
    expect(owner.join('\n')).not.toMatch(/stale|refresh the export/);
    await rm(dir, { recursive: true, force: true });
  });

  it('stale data sends nothing to recipients; the owner hears about the export', async () => {
    const scheduled = new Date('2026-12-02T08:00:00Z'); // November 2026: the sample ends in October
    const { smtp, deps } = await setUp(scheduled);
    const record = await runScheduledJob(alertSchedule({}), scheduled, deps);
    expect(record.state).toBe('running');
    expect(record.detail).toMatch(/waiting for data: the export is stale/);
    expect(smtp.to('cs-lead@example.com')).toHaveLength(0);
    const [owner] = await subjects(smtp, OWNER.address);
    expect(owner).toMatch(/the export is stale/);
    // The command it offers is one an alert has: its test, not a send that refuses alerts; on
    // the latest data there is, as a test of November, which the export holds nothing of, fails.
    const mail = await simpleParser(smtp.to(OWNER.address)[0]?.raw ?? '');
    expect(mail.text).toContain(
      'to see what it says on the latest data the export holds: npx pulse alert test churn-high\n',
    );
    expect(mail.text).not.toContain('--period 2026-11');
    expect(mail.text).not.toContain('pulse send');
  });
});

describe('daily alerts on an export that stays stale', { timeout: 180_000 }, () => {
  it('the owner hears once per alert and period, not twice a day; a run superseded by the next is no "missed" mail', async () => {
    const first = new Date('2026-12-02T08:00:00Z'); // November 2026: the sample ends in October
    const { smtp, deps } = await setUp(first);
    const alerts = [alertSchedule({}, 'churn-high'), alertSchedule({ value: 0.02 }, 'churn-higher')].map(
      (s) => ({ ...s, catchUpMs: 24 * 3_600_000 }),
    );
    for (let day = 0; day < 3; day += 1) {
      h?.clock.set(new Date(first.getTime() + day * DAY));
      const runs = await runDueNow(alerts, deps);
      expect(runs.map((r) => [r.schedule, r.period, r.state])).toEqual([
        ['churn-high', '2026-11', 'running'],
        ['churn-higher', '2026-11', 'running'],
      ]);
    }
    const owner = await subjects(smtp, OWNER.address);
    expect(owner.sort()).toEqual([
      '[crm-pulse] churn-high (alert:churn-high, 2026-11): not sent, the export is stale',
      '[crm-pulse] churn-higher (alert:churn-higher, 2026-11): not sent, the export is stale',
    ]);
    // Each earlier day's run is on record, with why it went unsent and which run took it over.
    const [latest, previous] = await deps.store.readRecent('churn-high', 2);
    expect(latest?.detail).toMatch(/^waiting for data: /);
    expect(previous).toMatchObject({ state: 'missed', period: '2026-11' });
    expect(previous?.detail).toBe(
      'not sent: the export did not cover November 2026 yet; the run of 2026-12-04 08:00 UTC reports the same period',
    );
    const mail = await simpleParser(smtp.to(OWNER.address)[0]?.raw ?? '');
    expect(mail.text).toMatch(
      /and again at each later run that reports November 2026 \(the next: 2026-12-03 08:00 UTC\)/,
    );
  });

  it('a schedule removed while its period waits for the export: recorded, logged and told to the owner, once', async () => {
    const first = new Date('2026-12-02T08:00:00Z'); // November 2026: the sample ends in October
    const { smtp, deps } = await setUp(first);
    const alert = { ...alertSchedule({}), catchUpMs: 24 * 3_600_000 };
    await runDueNow([alert], deps); // waiting for data
    // A report whose waiting run was handed on to a run that is still to come.
    await deps.store.write({
      schedule: 'board-monthly',
      scheduledAt: '2026-12-01T07:00:00.000Z',
      report: 'monthly',
      period: '2026-11',
      state: 'missed',
      detail:
        'not sent: the export did not cover November 2026 yet; the run of 2026-12-08 07:00 UTC reports the same period',
    });
    const before = (await subjects(smtp, OWNER.address)).length;
    // Both removed from schedules.json: the next start says what will never be sent.
    expect(await reportAbandonedRuns([], OWNER, deps)).toEqual([
      'board-monthly (monthly), 2026-11: npx pulse send monthly --period 2026-11 --to ADDRESS',
      'churn-high (alert:churn-high), 2026-11: the alert was not checked',
    ]);
    const owner = await subjects(smtp, OWNER.address);
    expect(owner.slice(before)).toEqual(['[crm-pulse] 2 periods of removed schedules will not be sent']);
    expect((await deps.store.readForPlanning('churn-high')).latest).toMatchObject({
      state: 'missed',
      detail: 'not sent: waiting for the export when schedule "churn-high" was removed from schedules.json',
    });
    // Once: the next start has nothing more to say, and a schedule still there is left alone.
    expect(await reportAbandonedRuns([], OWNER, deps)).toEqual([]);
    await runDueNow([alert], deps);
    expect(await reportAbandonedRuns([alert], OWNER, deps)).toEqual([]);
  });

  it('a catch-up window shorter than a day, or a day of 25 hours, still hands the period on without a mail', async () => {
    const first = new Date('2026-12-02T08:00:00Z');
    const { smtp, deps } = await setUp(first);
    const alert = { ...alertSchedule({}), catchUpMs: 12 * 3_600_000 };
    for (let day = 0; day < 4; day += 1)
      for (const hour of [0, 13]) {
        // The run at 08:00, then the daemon's retry at 21:00, past the 12-hour window.
        h?.clock.set(new Date(first.getTime() + day * DAY + hour * 3_600_000));
        await runDueNow([alert], deps);
      }
    expect(await subjects(smtp, OWNER.address)).toEqual([
      '[crm-pulse] churn-high (alert:churn-high, 2026-11): not sent, the export is stale',
    ]);
  });

  it('in New York, across the end of daylight saving time, the next day takes the period over', async () => {
    const { smtp, deps } = await setUp(new Date('2027-11-06T12:00:00Z')); // 08:00 EDT
    const alert = { ...alertSchedule({}), catchUpMs: 24 * 3_600_000, timezone: 'America/New_York' };
    // 08:00 EST on the 7th is 25 hours later: the first run's window closes an hour before it.
    for (const at of [
      '2027-11-06T12:00:00Z',
      '2027-11-07T12:30:00Z',
      '2027-11-07T13:00:00Z',
      '2027-11-08T13:00:00Z',
    ]) {
      h?.clock.set(new Date(at));
      await runDueNow([alert], deps);
    }
    expect(await subjects(smtp, OWNER.address)).toEqual([
      '[crm-pulse] churn-high (alert:churn-high, 2027-10): not sent, the export is stale',
    ]);
    const [, , previous] = await deps.store.readRecent('churn-high', 3);
    expect(previous?.detail).toMatch(
      /^not sent: the export did not cover October 2027 yet; the run of 2027-11-07 08:00/,
    );
  });

  it("a run missed while the scheduler was down is offered as the alert's test, not a send", async () => {
    const { smtp, deps } = await setUp(new Date('2026-11-01T08:00:00Z'));
    const alert = { ...alertSchedule({}), cron: '0 8 1 * *' };
    await runDueNow([alert], deps); // October, evaluated
    h?.clock.set(new Date('2026-12-03T08:00:00Z')); // down across December 1st
    await runDueNow([alert], deps);
    const mails = await Promise.all(smtp.to(OWNER.address).map((m) => simpleParser(m.raw)));
    const missed = mails.find((m) => m.subject?.includes('was missed'));
    expect(missed?.text).toContain('npx pulse alert test churn-high --period 2026-11');
    expect(missed?.text).not.toContain('pulse send');
  });

  it('a run missed while the scheduler was down is not handed to a run still to come, which may never happen', async () => {
    const { smtp, deps } = await setUp(new Date('2026-11-30T08:00:00Z'));
    const daily = { ...alertSchedule({}), catchUpMs: 12 * 3_600_000 };
    await runDueNow([daily], deps); // October
    h?.clock.set(new Date('2026-12-01T22:00:00Z')); // down across December 1st, 08:00
    await runDueNow([daily], deps);
    const mails = await Promise.all(smtp.to(OWNER.address).map((m) => simpleParser(m.raw)));
    const missed = mails.find((m) => m.subject?.includes('was missed'));
    expect(missed?.text).toContain('npx pulse alert test churn-high --period 2026-11');
  });

  it('when the period moves on unsent, the owner is told why, with what to run once the export covers it', async () => {
    const { smtp, deps } = await setUp(new Date('2026-12-01T08:00:00Z')); // November: stale
    const alert = { ...alertSchedule({}), catchUpMs: 24 * 3_600_000 };
    await runDueNow([alert], deps);
    h?.clock.set(new Date('2026-12-31T08:00:00Z'));
    await runDueNow([alert], deps); // November still (the runs between, never made, taken over)
    h?.clock.set(new Date('2027-01-01T08:00:00Z'));
    await runDueNow([alert], deps); // December now: November's last run goes unsent
    const mails = await Promise.all(smtp.to(OWNER.address).map((m) => simpleParser(m.raw)));
    expect(mails.map((m) => m.subject)).toEqual([
      '[crm-pulse] churn-high (alert:churn-high, 2026-11): not sent, the export is stale',
      '[crm-pulse] churn-high: 1 scheduled run went unsent, the export did not cover its period',
      '[crm-pulse] churn-high (alert:churn-high, 2026-12): not sent, the export is stale',
    ]);
    const unsent = mails[1]?.text ?? '';
    expect(unsent).toContain(
      '2026-12-31 08:00 UTC (November 2026): npx pulse alert test churn-high --period 2026-11',
    );
    expect(unsent).toMatch(/an alert is not sent by hand/);
    expect(unsent).not.toMatch(/keep pulse schedule running/);
  });
});

describe('alert mistakes in schedules.json', () => {
  it('are listed at start-up with every other schedule mistake', async () => {
    const { parseSchedules } = await import('../../lib/schedule/schedule-config.ts');
    const { alertKpis } = await import('../../lib/schedule/alert-config.ts');
    const { readCatalog } = await import('../../lib/kpi/catalog.ts');
    const base = {
      cron: '0 8 * * *',
      timezone: 'UTC',
      owner: 'ops@example.com',
      recipients: ['a@example.com'],
    };
    const text = JSON.stringify({
      schedules: [
        { name: 'a', ...base, alert: { kpi: 'churn_rat', when: 'above', value: 0.02 } },
        { name: 'b', ...base, alert: { kpi: 'churn_rate', when: 'above' } },
        { name: 'c', ...base, alert: { kpi: 'churn_rate', when: 'above', value: 0.02, by: 'planet' } },
        { name: 'd', ...base, report: 'monthly', alert: { kpi: 'nps', when: 'sometimes' } },
      ],
    });
    const outcome = parseSchedules(text, 'schedules.json', ['monthly'], undefined, {
      kpis: alertKpis((await readCatalog()).kpis),
    });
    expect(outcome.ok).toBe(false);
    const errors = outcome.ok ? [] : outcome.errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /schedules\[0\] \(a\)\.alert\.kpi: unknown KPI "churn_rat"; did you mean "churn_rate"\?/,
        ),
        expect.stringMatching(/schedules\[1\] \(b\)\.alert\.value: "above" needs a number/),
        expect.stringMatching(
          /schedules\[2\] \(c\)\.alert\.by: "churn_rate" cannot be broken down by "planet"; it can by /,
        ),
        expect.stringMatching(/schedules\[3\] \(d\)\.report: a schedule is a report or an alert, not both/),
        expect.stringMatching(
          /schedules\[3\] \(d\)\.alert\.when: expected one of above, below, off_target, unusual/,
        ),
      ]),
    );
  });
});

describe('off_target alerts need targets', () => {
  it('are refused at start-up when the targets table has none for the KPI or the breakdown', async () => {
    const { missingTargets } = await import('../../lib/schedule/alert-targets.ts');
    const targets = [
      { kpi: 'close_rate', periodStart: '2026-10-01', grain: 'month', target: 0.3, segment: null },
    ];
    const off = (alert: Partial<AlertRule>, name: string) =>
      alertSchedule({ kpi: 'close_rate', when: 'off_target', ...alert }, name);
    expect(missingTargets([off({}, 'company')], targets)).toEqual([]);
    expect(missingTargets([off({ by: 'channel' }, 'by-channel')], targets)).toEqual([
      expect.stringMatching(/^by-channel\.alert\.by: "off_target" by channel has no targets to compare with/),
    ]);
    expect(
      missingTargets([off({ by: 'segment' }, 'by-segment'), off({ kpi: 'nps' }, 'nps')], targets),
    ).toEqual([
      expect.stringMatching(
        /^by-segment\.alert\.when: "off_target" needs targets for close_rate per month and segment/,
      ),
      expect.stringMatching(/^nps\.alert\.when: "off_target" needs targets for nps per month,/),
    ]);
  });
});

describe('a report with onlyIfChanged', { timeout: 180_000 }, () => {
  it('is sent again for a period only when its numbers changed since it was sent', async () => {
    const { h, smtp } = await setUp();
    const churnReport = defineReport({
      name: 'churn',
      title: 'Churn',
      grain: 'month',
      async build(r) {
        r.headline(await r.kpis(['churn_rate']));
      },
    });
    const fewer = await withFewerOctoberChurns();
    try {
      const schedule = testSchedule({
        name: 'churn-daily',
        report: 'churn',
        cron: '0 8 * * *',
        timezone: 'UTC',
        recipients: [{ address: { address: 'cfo@example.com' }, params: {} }],
        onlyIfChanged: true,
      });
      const on = (day: number, dataDir: string) => {
        const at = new Date(FIRST.getTime() + day * DAY);
        h.clock.set(at);
        return runScheduledJob(
          schedule,
          at,
          h.deps({ port: smtp.port, dataDir, loadReport: async () => churnReport }),
        );
      };
      expect(await on(0, SAMPLE_DATA_DIR)).toMatchObject({ state: 'sent', sent: 1 });
      const same = await on(1, SAMPLE_DATA_DIR);
      expect(same.detail).toMatch(/already sent for this period: skipped \(onlyIfChanged\)/);
      expect(smtp.to('cfo@example.com')).toHaveLength(1);
      const changed = await on(2, fewer);
      expect(changed).toMatchObject({ state: 'sent', period: '2026-10' });
      expect(smtp.to('cfo@example.com')).toHaveLength(2);
    } finally {
      await rm(fewer, { recursive: true, force: true });
    }
  });
});

describe('unusual, per breakdown value', { timeout: 120_000 }, () => {
  it('each value against its own usual swing', async () => {
    const rule: AlertRule = {
      kpi: 'new_customers',
      when: 'unusual',
      by: 'segment',
      grain: 'month',
      params: {},
      notifyWhenCleared: false,
    };
    const env = {
      dataDir: SAMPLE_DATA_DIR,
      timeZone: 'UTC',
      now: () => FIRST.toISOString(),
      currency: 'USD',
    };
    const loose = await evaluateAlertRun('segments-move', rule, undefined, env);
    const strict = await evaluateAlertRun('segments-move', { ...rule, factor: 1000 }, undefined, env);
    expect(loose.findings.length).toBeGreaterThan(1);
    for (const f of loose.findings) {
      expect(f.verdict.holds).not.toBeNull();
      expect(f.verdict.swings).toBeGreaterThanOrEqual(0);
      expect(f.headline).toMatch(
        /^New customers \(segment .+\) \d+ moved [\d.]+× its usual swing \(October 2026\)$/,
      );
    }
    // The swings differ by segment: each was measured on its own history.
    expect(new Set(loose.findings.map((f) => f.verdict.swings?.toFixed(3))).size).toBeGreaterThan(1);
    expect(strict.findings.every((f) => f.verdict.holds === false)).toBe(true);
  });
});

describe('a breakdown value of few items', { timeout: 120_000 }, () => {
  it('is unknown, never firing: one rep’s 2 of 6 deals is no close rate to alert on', async () => {
    const rule: AlertRule = {
      kpi: 'close_rate',
      when: 'below',
      value: 0.5,
      by: 'rep',
      grain: 'month',
      params: {},
      notifyWhenCleared: false,
    };
    const env = {
      dataDir: SAMPLE_DATA_DIR,
      timeZone: 'UTC',
      now: () => FIRST.toISOString(),
      currency: 'USD',
    };
    const { findings } = await evaluateAlertRun('reps-close', rule, undefined, env);
    const few = findings.find((f) => f.key === 'Dev Tanaka');
    expect(few?.verdict).toMatchObject({
      holds: null,
      reason: 'unknown: it rests on 6 deals (a group needs 10 before it is judged)',
    });
    // Ten deals are enough to judge: Daniel Varga's 0 of 10 is below the line.
    expect(findings.find((f) => f.key === 'Daniel Varga')?.verdict.holds).toBe(true);
    expect(findings.find((f) => f.key === 'Ben Adler')?.verdict.holds).toBe(false);
  });

  it('an unusual move is not measured against a month of too few: Daniel Varga’s 10 deals after 9', async () => {
    const rule: AlertRule = {
      kpi: 'close_rate',
      when: 'unusual',
      by: 'rep',
      grain: 'month',
      params: {},
      notifyWhenCleared: false,
    };
    const env = {
      dataDir: SAMPLE_DATA_DIR,
      timeZone: 'UTC',
      now: () => FIRST.toISOString(),
      currency: 'USD',
    };
    const { findings } = await evaluateAlertRun('reps-unusual', rule, undefined, env);
    // October has 10 deals, enough to judge; September's 9 are not a rate to move from.
    const varga = findings.find((f) => f.key === 'Daniel Varga');
    expect(varga?.verdict.holds).toBeNull();
    // A rep with enough deals every month is judged.
    expect(findings.find((f) => f.key === 'Samir Petrov')?.verdict.holds).not.toBeNull();
  });
});
