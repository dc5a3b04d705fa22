import { describe, expect, it } from 'vitest';
import type { SendRecord } from '../../lib/deliver/ledger.ts';
import { buildScheduleStatus, formatStatus } from '../../lib/schedule/status.ts';
import { testSchedule } from '../deliver/harness.ts';

const pending: SendRecord = {
  schedule: 'tiny-monthly',
  report: 'tiny',
  period: '2026-10',
  recipient: 'c@example.com',
  state: 'pending',
  transport: 'smtp',
  attempts: 2,
  messageId: '<pulse.1@example.com>',
  smtpResponse: '421',
  failureKind: 'transient',
  error: 'RCPT TO: 421 4.7.0 Try again later',
  params: {},
  lastAttemptAt: '2026-11-01T06:00:40.000Z',
  sentAt: null,
  nextAttemptAt: '2026-11-01T06:01:40.000Z',
};

describe('pulse schedule --status', () => {
  it('shows the next run, the last outcome, earlier problems and pending retries', () => {
    const status = buildScheduleStatus(
      testSchedule(),
      [
        {
          schedule: 'tiny-monthly',
          scheduledAt: '2026-11-01T06:00:00.000Z',
          report: 'tiny',
          period: '2026-10',
          state: 'partial',
          finishedAt: '2026-11-01T06:02:00.000Z',
          recipients: 5,
          sent: 4,
          failed: 1,
          skipped: 0,
          detail: null,
        },
        {
          schedule: 'tiny-monthly',
          scheduledAt: '2026-10-01T05:00:00.000Z',
          report: 'tiny',
          period: '2026-09',
          state: 'missed',
          detail: 'not run: pulse schedule was down',
        },
        {
          schedule: 'tiny-monthly',
          scheduledAt: '2026-09-01T05:00:00.000Z',
          report: 'tiny',
          period: '2026-08',
          state: 'sent',
        },
      ],
      [pending, { ...pending, schedule: 'other' }],
      new Date('2026-11-01T06:01:00Z'),
    );
    expect(formatStatus([status])).toBe(
      [
        'tiny-monthly  (report tiny, "0 7 1 * *" Europe/Berlin)',
        '  next run:  2026-12-01 07:00 Europe/Berlin',
        '  last run:  partial 2026-10 (scheduled 2026-11-01T06:00:00.000Z, finished 2026-11-01T06:02:00.000Z, 4/5 sent, 1 failed)',
        '  earlier:   missed 2026-09 (scheduled 2026-10-01T05:00:00.000Z): not run: pulse schedule was down',
        '  pending:   c@example.com (2026-10), 2 attempts, next attempt 2026-11-01T06:01:40.000Z: RCPT TO: 421 4.7.0 Try again later',
        '',
      ].join('\n'),
    );
  });
});
