// Restarts: a run missed while the daemon was down is made up once within the catch-up window;
// older ones are recorded as missed and the owner is told. Real ledger, real SMTP server.

import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readSentNumbers, writeSentNumbers } from '../../lib/deliver/ledger.ts';
import { withLedgerDb } from '../../lib/deliver/ledger-db.ts';
import { runDueNow } from '../../lib/schedule/daemon.ts';
import { planRuns } from '../../lib/schedule/plan-runs.ts';
import { openRunStore } from '../../lib/schedule/run-records.ts';
import { createHarness, type Harness, OWNER, testSchedule } from '../deliver/harness.ts';
import { createSmallData } from '../deliver/small-data.ts';
import { startSmtp, type TestSmtp } from '../deliver/smtp-test-server.ts';

const HOUR = 3_600_000;
const monthly = testSchedule({ recipients: testSchedule().recipients.slice(0, 2) });
const at = (iso: string) => new Date(iso);

describe('planRuns (pure)', () => {
  const sent = (iso: string) => ({
    latest: { schedule: 'm', scheduledAt: iso, report: 'tiny', period: 'x', state: 'sent' as const },
    unfinished: [],
  });

  it('on time: the run just scheduled is due (within the 15-minute grace even with no catch-up)', () => {
    expect(
      planRuns({ ...monthly, catchUpMs: 0 }, sent('2026-10-01T05:00:00Z'), at('2026-11-01T06:10:00Z')),
    ).toEqual({ due: at('2026-11-01T06:00:00Z'), missed: [] });
  });

  it('down across the scheduled time, back within the window: one catch-up', () => {
    expect(planRuns(monthly, sent('2026-10-01T05:00:00Z'), at('2026-11-02T05:59:00Z'))).toEqual({
      due: at('2026-11-01T06:00:00Z'),
      missed: [],
    });
  });

  it('down longer than the window: missed, nothing due', () => {
    expect(planRuns(monthly, sent('2026-10-01T05:00:00Z'), at('2026-11-02T06:01:00Z'))).toEqual({
      missed: [at('2026-11-01T06:00:00Z')],
    });
  });

  it('down for months: only the latest run within the window is made up, the rest are missed', () => {
    const daily = { ...monthly, cron: '0 7 * * *', catchUpMs: 24 * HOUR };
    const plan = planRuns(daily, sent('2026-10-30T06:00:00Z'), at('2026-11-02T07:00:00Z'));
    expect(plan.due).toEqual(at('2026-11-02T06:00:00Z'));
    expect(plan.missed).toEqual([at('2026-10-31T06:00:00Z'), at('2026-11-01T06:00:00Z')]);
  });

  it('a new schedule owes nothing before its first run: an earlier run in the window is not missed', () => {
    const daily = { ...monthly, cron: '0 8 * * *', timezone: 'UTC', catchUpMs: 24 * HOUR };
    expect(planRuns(daily, { unfinished: [] }, at('2026-12-02T08:00:00Z'))).toEqual({
      due: at('2026-12-02T08:00:00Z'),
      missed: [],
    });
  });

  it('a run cut off by a crash is resumed within the window, recorded as missed after it', () => {
    const crashed = {
      latest: {
        schedule: 'm',
        scheduledAt: '2026-11-01T06:00:00Z',
        report: 'tiny',
        period: '2026-10',
        state: 'running' as const,
      },
      unfinished: [] as never[],
    };
    const records = { ...crashed, unfinished: [crashed.latest] };
    expect(planRuns(monthly, records, at('2026-11-01T09:00:00Z'))).toEqual({
      due: at('2026-11-01T06:00:00Z'),
      missed: [],
    });
    expect(planRuns(monthly, records, at('2026-11-03T09:00:00Z'))).toEqual({
      missed: [at('2026-11-01T06:00:00Z')],
    });
  });

  it('a new schedule does not replay history older than the window', () => {
    expect(planRuns(monthly, { unfinished: [] }, at('2026-11-15T00:00:00Z'))).toEqual({ missed: [] });
  });
});

describe('restarting the scheduler', { timeout: 90_000 }, () => {
  let data: { dir: string; remove: () => Promise<void> };
  let h: Harness;
  let smtp: TestSmtp;
  beforeAll(async () => {
    data = await createSmallData();
  }, 120_000);
  afterAll(() => data.remove());
  afterEach(async () => {
    await smtp?.close();
    await h?.remove();
  });

  it('down across a scheduled time: exactly one catch-up run, the period from the scheduled time', async () => {
    h = await createHarness(data.dir, '2026-10-01T05:00:30Z');
    smtp = await startSmtp();
    const deps = h.deps({ port: smtp.port });
    // Running on October 1st (reports September), then down until November 1st, 10:00 Berlin.
    expect((await runDueNow([monthly], deps)).map((r) => [r.period, r.state])).toEqual([['2026-09', 'sent']]);
    // Late data: September's revenue as sent differs from what the data says now.
    await withLedgerDb(h.ledgerPath, async (db) => {
      const key = { report: 'tiny', period: '2026-09', paramsKey: '{}' };
      const sent = (await readSentNumbers(db, key))?.numbers as {
        id: string;
        period_start: string;
        value: number;
      }[];
      for (const row of sent) if (row.id === 'revenue' && row.period_start === '2026-09-01') row.value *= 1.1;
      await writeSentNumbers(db, { ...key, numbers: JSON.stringify(sent), at: '2026-10-01T05:01:00Z' });
    });
    h.clock.set(at('2026-11-01T09:00:00Z'));
    const caughtUp = await runDueNow([monthly], deps);
    expect(caughtUp.map((r) => [r.scheduledAt, r.period, r.state])).toEqual([
      ['2026-11-01T06:00:00.000Z', '2026-10', 'sent'],
    ]);
    expect(caughtUp[0]?.detail).toMatch(
      /^restated: September 2026 revenue was \$[\d,]+ when sent, now \$[\d,]+ after late data$/,
    );
    h.clock.set(at('2026-11-01T10:00:00Z'));
    expect(await runDueNow([monthly], deps)).toEqual([]);
    for (const to of ['a@example.com', 'b@example.com']) {
      const subjects = await Promise.all(smtp.to(to).map(async (d) => (await simpleParser(d.raw)).subject));
      expect(subjects).toEqual(['CRM tiny report: September 2026', 'CRM tiny report: October 2026']);
    }
    const late = h.log.events.find((e) => e.event === 'run_started' && e.period === '2026-10');
    expect(late?.late_ms).toBe(3 * HOUR);
    // Nobody watches a terminal: the log says which phase each report run was in, in order.
    const runs = h.log.events.filter((e) => e.event === 'run_started').length;
    const phases = h.log.events.filter((e) => e.event === 'report_phase').map((e) => e.phase);
    const once = ['reading the data', 'checking the data', 'computing KPIs', 'rendering'];
    expect(phases).toEqual(Array.from({ length: runs }, () => once).flat());
    expect(h.log.events.find((e) => e.event === 'report_phase' && e.phase === 'rendering')).toMatchObject({
      schedule: monthly.name,
      previous: 'computing KPIs',
      previous_ms: expect.any(Number),
    });
  });

  it('down longer than the window: recorded as missed, not sent, the owner told how to send it', async () => {
    h = await createHarness(data.dir, '2026-10-01T05:00:30Z');
    smtp = await startSmtp();
    const deps = h.deps({ port: smtp.port });
    await runDueNow([monthly], deps);
    h.clock.set(at('2026-11-02T07:00:00Z')); // 25 h after 07:00 Berlin on November 1st
    expect(await runDueNow([monthly], deps)).toEqual([]);
    const [latest] = await openRunStore(h.ledgerPath).readRecent(monthly.name, 1);
    expect(latest).toMatchObject({
      scheduledAt: '2026-11-01T06:00:00.000Z',
      period: '2026-10',
      state: 'missed',
    });
    expect(smtp.to('a@example.com')).toHaveLength(1); // September only
    const alert = await simpleParser(smtp.to(OWNER.address)[0]?.raw ?? '');
    expect(alert.subject).toBe('[crm-pulse] tiny-monthly: 1 scheduled run was missed');
    expect(alert.text).toContain(
      '2026-11-01 07:00 Europe/Berlin (October 2026): npx pulse send tiny-monthly --period 2026-10',
    );
    // Recorded once: a later start does not report it again.
    h.clock.set(at('2026-11-03T07:00:00Z'));
    await runDueNow([monthly], deps);
    expect(smtp.to(OWNER.address)).toHaveLength(1);
  });
});
