// `pulse alert test` tests the period the data covers; when the scheduler, run now, would
// evaluate another one (the export is behind the clock), it says so rather than let a HOLDS read
// as an alert about to fire.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pulse } from '../support/cli.ts';

describe('pulse alert test', () => {
  let dir: string;
  let schedules: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pulse-alert-test-'));
    schedules = join(dir, 'schedules.json');
    await writeFile(
      schedules,
      JSON.stringify({
        schedules: [
          {
            name: 'churn-high',
            alert: { kpi: 'churn_rate', when: 'above', value: 0.01 },
            cron: '0 8 * * *',
            timezone: 'Europe/Berlin',
            owner: 'CRM Ops <crm-ops@example.com>',
            recipients: ['cs-lead@example.com'],
          },
          {
            name: 'reps-close',
            alert: { kpi: 'close_rate', when: 'below', value: 0.5, by: 'rep' },
            cron: '0 8 * * *',
            timezone: 'UTC',
            owner: 'CRM Ops <crm-ops@example.com>',
            recipients: ['sales-lead@example.com'],
          },
          ...['', 'owner'].map((by) => ({
            name: `pipeline-low${by ? `-by-${by}` : ''}`,
            alert: { kpi: 'pipeline_created', when: 'below', value: 1000, ...(by ? { by } : {}) },
            cron: '0 8 * * *',
            timezone: 'UTC',
            owner: 'CRM Ops <crm-ops@example.com>',
            recipients: ['sales-lead@example.com'],
          })),
        ],
      }),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('says when the scheduler would evaluate a period the data does not cover yet', async () => {
    // The sample ends 2026-10-31. On 2 December the scheduler evaluates November.
    const behind = await pulse(['alert', 'test', 'churn-high'], {
      PULSE_SCHEDULES: schedules,
      PULSE_NOW: '2026-12-02T09:00:00Z',
    });
    expect(behind.code, behind.stderr).toBe(0);
    expect(behind.stdout).toMatch(/^alert churn-high: churn_rate above 0\.01, October 2026$/m);
    expect(behind.stdout).toContain(
      'note: run now, the scheduler would evaluate November 2026, which the data does not cover in full yet: it would wait for the export and tell the owner, not evaluate. This tests October 2026, the last month the data covers.',
    );
    // On 15 November both take October: nothing to add.
    const level = await pulse(['alert', 'test', 'churn-high'], {
      PULSE_SCHEDULES: schedules,
      PULSE_NOW: '2026-11-15T09:00:00Z',
    });
    expect(level.code, level.stderr).toBe(0);
    expect(level.stdout).toMatch(/^alert churn-high: churn_rate above 0\.01, October 2026$/m);
    expect(level.stdout).not.toContain('note:');
  });

  it('says why a value is unknown once, after the headline that says it is unknown', async () => {
    // Dev Tanaka closed 6 deals in October 2026: too few for a close rate to judge.
    const run = await pulse(['alert', 'test', 'reps-close', '--period', '2026-10'], {
      PULSE_SCHEDULES: schedules,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      '  unknown       Close rate (rep Dev Tanaka) unknown (October 2026): it rests on 6 deals (a group needs 10 before it is judged); never seen by the scheduler\n',
    );
    expect(run.stdout).not.toMatch(/unknown \([^)]*\): unknown:/);
    // A judged value keeps its verdict's reason.
    expect(run.stdout).toMatch(
      /HOLDS {9}Close rate \(rep Daniel Varga\) 0\.0 % is below 50\.0 % \(October 2026\): is below the line/,
    );
  });

  it('says why a value with too few amounts known is unknown, for the whole KPI and per group', async () => {
    // July to October 2026: 20 deals a month with an amount, and 20 more created each month
    // whose amount is blank in October only: half of October's amounts are known.
    const data = join(dir, 'half-known');
    await mkdir(data);
    const rows = ['opportunity_id,created_at,closed_at,status,amount,owner_id'];
    let id = 0;
    for (const month of ['07', '08', '09', '10'])
      for (let day = 1; day <= 20; day++) {
        const at = `2026-${month}-${String(day).padStart(2, '0')}`;
        const owner = `U${day % 2}`;
        rows.push(`O${++id},${at},${at},${day % 2 ? 'won' : 'lost'},100,${owner}`);
        rows.push(`O${++id},${at},,open,${month === '10' ? '' : '100'},${owner}`);
      }
    // The export runs to the month's end, so October is whole.
    rows.push(`O${++id},2026-10-31,2026-10-31,lost,100,U0`);
    await writeFile(join(data, 'opportunities.csv'), `${rows.join('\n')}\n`);
    const whole = await pulse(['alert', 'test', 'pipeline-low', '--data', data], {
      PULSE_SCHEDULES: schedules,
    });
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stdout).toContain(
      '  unknown       Pipeline created unknown (October 2026): amount known for 21 of 41 deals created only;',
    );
    const byOwner = await pulse(['alert', 'test', 'pipeline-low-by-owner', '--data', data], {
      PULSE_SCHEDULES: schedules,
    });
    expect(byOwner.code, byOwner.stderr).toBe(0);
    // Each owner created deals in October: "no data for the period" would be untrue.
    expect(byOwner.stdout).toContain(
      '  unknown       Pipeline created (owner U1) unknown (October 2026): amount known for 10 of 20 deals created only;',
    );
    expect(byOwner.stdout).not.toContain('no data for the period');
  });

  it('judges no line crossed on a value computed without a material share of its period', async () => {
    // 20 deals closed each month July to October, 10 won; 4 more won in October without an
    // amount (rejected): October lost 16 % of its deals, the table 4.7 %.
    const data = join(dir, 'bunched');
    await mkdir(data);
    const rows = ['opportunity_id,created_at,closed_at,status,amount'];
    let id = 0;
    for (const month of ['07', '08', '09', '10'])
      for (let day = 1; day <= 20; day++) {
        const at = `2026-${month}-${String(day).padStart(2, '0')}`;
        rows.push(`O${++id},${at},${at},${day % 2 ? 'won' : 'lost'},100`);
      }
    rows.push(`O${++id},2026-10-31,2026-10-31,lost,100`); // the export runs to October's end
    for (let i = 0; i < 4; i++) rows.push(`X${i},2026-10-15,2026-10-15,won,`);
    await writeFile(join(data, 'opportunities.csv'), `${rows.join('\n')}\n`);
    const own = join(dir, 'won-low.json');
    await writeFile(
      own,
      JSON.stringify({
        schedules: [
          {
            name: 'won-low',
            alert: { kpi: 'won_revenue', when: 'below', value: 2000 },
            cron: '0 8 * * *',
            timezone: 'UTC',
            owner: 'CRM Ops <crm-ops@example.com>',
            recipients: ['sales-lead@example.com'],
          },
        ],
      }),
    );
    const run = await pulse(['alert', 'test', 'won-low', '--data', data, '--allow-rejects'], {
      PULSE_SCHEDULES: own,
      PULSE_NOW: '2026-11-02T09:00:00Z',
    });
    expect(run.code, run.stderr).toBe(0);
    // $1,000 of won deals would be below the line: the 4 rejected wins may be the difference.
    expect(run.stdout).toContain(
      'Won revenue unknown (October 2026): computed without the 16 % of opportunities in October 2026 rejected',
    );
  });
});
