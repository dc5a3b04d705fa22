import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOOLKIT_ROOT } from '../../lib/paths.ts';
import { listReports } from '../../lib/report/load-report.ts';
import type { ParamDeclarations } from '../../lib/report/report-params.ts';
import { readSchedules } from '../../lib/schedule/read-schedules.ts';
import { parseSchedules } from '../../lib/schedule/schedule-config.ts';
import weekly from '../../reports/weekly.ts';

const REPORTS = ['monthly', 'weekly'];
const valid = {
  name: 'monthly-exec',
  report: 'monthly',
  cron: '0 7 1 * *',
  timezone: 'Europe/Berlin',
  owner: 'CRM Ops <crm-ops@example.com>',
  recipients: [
    'ceo@example.com',
    { address: 'emea@example.com', name: 'EMEA lead', params: { region: 'EMEA' } },
  ],
};
const parse = (...schedules: unknown[]) =>
  parseSchedules(JSON.stringify({ schedules }), 'schedules.json', REPORTS);

describe('schedules.json', () => {
  it('the shipped example is valid: monthly on the 1st and weekly on Mondays, 07:00 Berlin', async () => {
    const text = await readFile(`${TOOLKIT_ROOT}/schedules.json`, 'utf8');
    const outcome = parseSchedules(
      text,
      'schedules.json',
      (await listReports()).map((r) => r.name),
    );
    expect(outcome).toMatchObject({ ok: true });
    if (!outcome.ok) return;
    expect(outcome.schedules.map((s) => [s.name, s.report, s.cron, s.timezone])).toEqual([
      ['monthly-exec', 'monthly', '0 7 1 * *', 'Europe/Berlin'],
      ['weekly-ops', 'weekly', '0 7 * * 1', 'Europe/Berlin'],
    ]);
    for (const s of outcome.schedules) {
      for (const r of s.recipients) expect(r.address.address).toMatch(/@example\.com$/);
    }
  });

  it('normalises a schedule, with defaults', () => {
    const outcome = parse(valid);
    expect(outcome).toEqual({
      ok: true,
      schedules: [
        {
          name: 'monthly-exec',
          report: 'monthly',
          cron: '0 7 1 * *',
          timezone: 'Europe/Berlin',
          owner: { name: 'CRM Ops', address: 'crm-ops@example.com' },
          recipients: [
            { address: { address: 'ceo@example.com' }, params: {} },
            { address: { address: 'emea@example.com', name: 'EMEA lead' }, params: { region: 'EMEA' } },
          ],
          catchUpMs: 24 * 3_600_000,
          retry: { attempts: 5, initialDelayMs: 30_000, maxDelayMs: 900_000 },
          pdf: false,
          paused: false,
        },
      ],
    });
  });

  it('lists every problem at once, each with where, what and the fix', () => {
    const outcome = parse(
      { ...valid, name: 'Monthly Exec', cron: '0 7 32 * *' },
      { ...valid, name: 'b', timezone: 'Europe/Berlinn', report: 'montly' },
      {
        ...valid,
        name: 'c',
        cron: '0 7 * *',
        owner: 'ops',
        recipients: ['x@example', { address: 'ok@example.com', params: { 'bad name': 'x', n: [1] } }],
      },
      {
        ...valid,
        name: 'd',
        recipients: ['a@example.com', 'a@example.com'],
        catchUpHours: -1,
        retry: { attempts: 0 },
        pdf: 'yes',
        extra: 1,
      },
      {
        ...valid,
        name: 'e',
        recipients: [],
        recipientsFrom: {
          sql: 'SELECT email AS address FROM customers WHERE segment = $segment',
          params: { region: 'EMEA' },
        },
      },
      { ...valid, name: 'e' },
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errors).toEqual([
      'schedules.json: schedules[0] (Monthly Exec).name "Monthly Exec": use 1-64 lower-case letters, digits, - or _',
      'schedules.json: schedules[0] (Monthly Exec).cron "0 7 32 * *": Invalid value for day: 31; expected 5 fields (minute hour day month weekday), e.g. "0 7 1 * *"',
      'schedules.json: schedules[1] (b).report "montly": no reports/montly.ts; known reports: monthly, weekly',
      'schedules.json: schedules[1] (b).timezone "Europe/Berlinn": not an IANA time zone; use e.g. Europe/Berlin, America/New_York or UTC',
      expect.stringMatching(/^schedules\.json: schedules\[2\] \(c\)\.cron "0 7 \* \*": .*expected 5 fields/),
      'schedules.json: schedules[2] (c).owner: address "ops" has no user@domain form',
      'schedules.json: schedules[2] (c).recipients[0].address: address "x@example" has an invalid domain ("example"); expected e.g. example.com',
      'schedules.json: schedules[2] (c).recipients[1].params.bad name: a param name is letters, digits and _',
      'schedules.json: schedules[2] (c).recipients[1].params.n: expected a string, got [1]',
      'schedules.json: schedules[3] (d).extra: unknown field; fields are name, report, cron, timezone, owner, recipients, recipientsFrom, catchUpHours, retry, pdf, paused, alert, onlyIfChanged, description',
      'schedules.json: schedules[3] (d).recipients[1]: a@example.com is listed twice; each recipient gets one message per period',
      'schedules.json: schedules[3] (d).catchUpHours: expected a number from 0 to 744, got -1',
      'schedules.json: schedules[3] (d).retry.attempts: expected a whole number from 1 to 20, got 0',
      'schedules.json: schedules[3] (d).pdf: expected true or false, got "yes"',
      'schedules.json: schedules[4] (e).recipientsFrom.sql uses $segment but params has no "segment"; add it, or use $period_start / $period_end',
      'schedules.json: schedules[4] (e).recipientsFrom.params.region is not used by the SQL',
    ]);
  });

  it('a duplicate name, a missing field, and a file that is not a list of schedules', () => {
    const outcome = parse(valid, valid, { name: 'x' });
    expect(outcome.ok ? [] : outcome.errors).toEqual([
      'schedules.json: schedules[1] (monthly-exec).name: "monthly-exec" is used twice; names must be unique',
      'schedules.json: schedules[2] (x).report: missing',
      'schedules.json: schedules[2] (x).timezone: missing',
      'schedules.json: schedules[2] (x).cron: missing',
      'schedules.json: schedules[2] (x).owner: expected an e-mail address such as "ana@example.com"',
      'schedules.json: schedules[2] (x).recipients: give at least one recipient, or recipientsFrom to derive them from the data',
    ]);
    expect(parseSchedules('[]', 'schedules.json', REPORTS)).toEqual({
      ok: false,
      errors: ['schedules.json: expected {"schedules": [...]} at the top level'],
    });
    expect(parseSchedules('{', 's.json', REPORTS)).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^s\.json: not valid JSON/)],
    });
  });

  it('refuses at start-up a recipient param the report does not take, listing the allowed ones', async () => {
    const declarations = new Map<string, ParamDeclarations>([
      ['monthly', { name: 'monthly' }],
      ['weekly', weekly],
    ]);
    const schedules = [
      {
        ...valid,
        recipients: [
          { address: 'emea@example.com', params: { regoin: 'EMEA' } },
          { address: 'smb@example.com', params: { segment: 'SMB' } },
        ],
      },
      {
        ...valid,
        name: 'ops',
        report: 'weekly',
        recipients: [{ address: 'ops@example.com', params: { sla_hours: '6', region: 'APAC' } }],
      },
    ];
    const text = JSON.stringify({ schedules });
    expect(parseSchedules(text, 'schedules.json', REPORTS, declarations)).toEqual({
      ok: false,
      errors: [
        'schedules.json: schedules[0] (monthly-exec).recipients[0].params.regoin: not a parameter of the monthly report; allowed: region, segment, industry, acquisition_channel, owner_id (each keeps the customers with that value and their data)',
      ],
    });
    // Through the file, as `pulse schedule` reads it: nothing is scheduled.
    const dir = await mkdtemp(join(tmpdir(), 'pulse-schedules-'));
    try {
      await writeFile(join(dir, 'schedules.json'), text);
      const reports = {
        names: async () => ['monthly', 'weekly'],
        load: async (name: string) => (name === 'weekly' ? weekly : { ...weekly, name, params: [] }),
      };
      await expect(readSchedules(join(dir, 'schedules.json'), reports)).rejects.toThrow(
        /1 problem in the schedules; nothing was scheduled:\n {2}.*recipients\[0\]\.params\.regoin: not a parameter of the monthly report; allowed: region, segment/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('accepts recipients derived from the data, with the run period as parameters', () => {
    const outcome = parse({
      ...valid,
      recipients: undefined,
      recipientsFrom: {
        sql: 'SELECT u.email AS address, c.region FROM customers c JOIN users u ON u.user_id = c.owner_id WHERE c.acquired_at < $period_end AND c.segment = $segment GROUP BY ALL',
        params: { segment: 'Enterprise' },
      },
    });
    expect(outcome.ok && outcome.schedules[0]?.recipientsFrom?.params).toEqual({ segment: 'Enterprise' });
  });
});
