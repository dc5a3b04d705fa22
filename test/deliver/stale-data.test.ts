// A stale or partial export is never mailed as if its numbers were real: against a real SMTP
// server, a scheduled run for a month the data does not reach sends nothing to its recipients,
// tells the owner once, tries again within the catch-up window, then is recorded as missed.

import { rm } from 'node:fs/promises';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliverReport } from '../../lib/deliver/deliver-report.ts';
import { DEFAULT_RETRY } from '../../lib/deliver/retry.ts';
import { parsePeriod } from '../../lib/kpi/period.ts';
import { runDueNow } from '../../lib/schedule/daemon.ts';
import { runScheduledJob, STALE_RETRY_MS } from '../../lib/schedule/run-job.ts';
import { FIXTURES } from '../helpers.ts';
import { cutData } from '../support/cut-data.ts';
import { createHarness, type Harness, OWNER, testSchedule } from './harness.ts';
import { createSmallData } from './small-data.ts';
import { startSmtp, type TestSmtp } from './smtp-test-server.ts';
import { loadTinyReport, tinyReport } from './tiny-report.ts';

let data: { dir: string; remove: () => Promise<void> };
let h: Harness;
let smtp: TestSmtp | undefined;

beforeAll(async () => {
  data = await createSmallData(); // ends 2026-10-31
}, 120_000);
afterAll(() => data.remove());
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
  await h?.remove();
});

const subjects = async (t: TestSmtp, to: string) =>
  Promise.all(t.to(to).map(async (m) => (await simpleParser(m.raw)).subject ?? ''));

describe('a stale export', { timeout: 120_000 }, () => {
  it('a month the data does not reach: nothing to recipients, the owner told once, retried, then missed', async () => {
    // 1 December 07:00 Berlin reports November 2026; the export ends on 31 October.
    const scheduled = new Date('2026-12-01T06:00:00Z');
    h = await createHarness(data.dir, scheduled.toISOString());
    smtp = await startSmtp();
    const schedule = testSchedule();
    const deps = h.deps({ port: smtp.port });
    const first = await runScheduledJob(schedule, scheduled, deps);
    expect(first).toMatchObject({ state: 'running', period: '2026-11' });
    expect(first.detail).toMatch(
      /^waiting for data: the export is stale: no data for November 2026: the data covers .* to 2026-10-31/,
    );
    expect(smtp.delivered.map((m) => m.recipients)).toEqual([[OWNER.address]]);
    const [alert] = await subjects(smtp, OWNER.address);
    expect(alert).toMatch(/not sent, the export is stale/);
    // Nothing of November is in it: no `pulse send --partial` offered, which would fail.
    const told = (await simpleParser(smtp.to(OWNER.address)[0]?.raw ?? '')).text ?? '';
    expect(told).toContain(
      'nothing of November 2026 is in the export yet: it cannot be sent, even in part, before the export reaches it',
    );
    expect(told).not.toContain('--partial');
    // Half an hour later, still stale: tried again, the owner is not told twice.
    h.clock.set(new Date(scheduled.getTime() + STALE_RETRY_MS));
    const again = await runScheduledJob(schedule, scheduled, deps);
    expect(again.state).toBe('running');
    expect(smtp.delivered).toHaveLength(1);
    expect(h.log.events.filter((e) => e.event === 'run_waiting_for_data')).toHaveLength(2);
    // Past the catch-up window: recorded as missed, with why.
    h.clock.set(new Date(scheduled.getTime() + schedule.catchUpMs + 60_000));
    await runDueNow([schedule], deps);
    const [missed] = await deps.store.readRecent(schedule.name, 1);
    expect(missed).toMatchObject({
      state: 'missed',
      period: '2026-11',
      detail: 'not sent: the export did not cover the period within the catch-up window',
    });
    expect(smtp.to('a@example.com')).toHaveLength(0);
  });

  it('a month the data covers in part is refused, and sent on purpose marked partial', async () => {
    const cut = await cutData(data.dir, '2026-10-16'); // taken mid-October: its last events are on the 16th in Berlin
    try {
      const scheduled = new Date('2026-11-01T06:00:00Z');
      h = await createHarness(cut, scheduled.toISOString());
      smtp = await startSmtp();
      const schedule = testSchedule();
      const deps = h.deps({ port: smtp.port });
      const record = await runScheduledJob(schedule, scheduled, deps);
      expect(record.state).toBe('running');
      expect(record.detail).toMatch(
        /the export is stale: data as of 2026-10-16, report for October 2026 \(partial: the data ends 2026-10-16\)/,
      );
      expect(smtp.to('a@example.com')).toHaveLength(0);
      const told = (await simpleParser(smtp.to(OWNER.address)[0]?.raw ?? '')).text ?? '';
      expect(told).toContain('to send it now, marked partial: npx pulse send');
      // pulse send --partial: on purpose, and the message says so.
      const result = await deliverReport(
        {
          schedule: 'manual',
          definition: await loadTinyReport('tiny'),
          period: { start: '2026-10-01', end: '2026-11-01', grain: 'month' },
          recipients: [{ address: { address: 'a@example.com' }, params: {} }],
          force: false,
          dryRun: false,
          pdf: false,
          retry: DEFAULT_RETRY,
          allowPartial: true,
        },
        {
          ...deps.delivery,
          timeZone: 'UTC',
          now: () => h.clock.now().toISOString(),
          sleep: async () => {},
          log: h.log,
        },
      );
      expect(result.state).toBe('sent');
      const [message] = smtp.to('a@example.com');
      const parsed = await simpleParser(message?.raw ?? '');
      expect(parsed.subject).toMatch(/October 2026 \(partial\)/);
      expect(parsed.text).toMatch(/Partial October 2026 \(partial: the data ends 2026-10-15\)/);
    } finally {
      await rm(cut, { recursive: true, force: true });
    }
  });

  it('a month the data starts in, or one before it, is refused but never called a stale export', async () => {
    // Orders from 15 July 2026 to 30 September: July is covered from the 15th, June not at all.
    h = await createHarness(`${FIXTURES}/orders-midyear`, '2026-10-02T06:00:00Z');
    const deps = h.deps({ port: 1 });
    const send = (month: string) =>
      deliverReport(
        {
          schedule: 'manual',
          definition: tinyReport,
          period: parsePeriod(month),
          recipients: [{ address: { address: 'a@example.com' }, params: {} }],
          force: false,
          dryRun: true,
          pdf: false,
          retry: DEFAULT_RETRY,
        },
        {
          ...deps.delivery,
          timeZone: 'UTC',
          now: () => h.clock.now().toISOString(),
          sleep: async () => {},
          log: h.log,
        },
      );
    const july = await send('2026-07');
    expect(july.stale).toBeUndefined();
    expect(july.groups[0]?.problems).toEqual([
      expect.stringMatching(
        /^the data starts within July 2026 \(partial: the data starts 2026-07-15.*\); nothing was sent\. Send it on purpose, marked partial, with --partial, or choose a later period$/,
      ),
    ]);
    const june = await send('2026-06');
    expect(june.stale).toBeUndefined();
    expect(june.groups[0]?.problems).toEqual([
      expect.stringMatching(
        /^the report failed: no data for June 2026: the data covers 2026-07-15 to 2026-09-30/,
      ),
    ]);
  });
});
