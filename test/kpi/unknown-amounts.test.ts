import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, openDataset } from '../../lib/data/dataset.ts';
import { compareRows } from '../../lib/kpi/compare.ts';
import { parsePeriod } from '../../lib/kpi/period.ts';
import type { KpiRow } from '../../lib/kpi/run.ts';
import { runKpi } from '../../lib/kpi/run.ts';
import { renderEmail } from '../../lib/render/email-html.ts';
import { renderReportHtml } from '../../lib/render/report-html.ts';
import { defineReport } from '../../lib/report/define.ts';
import { runReport } from '../../lib/report/run-report.ts';
import { FIXTURES, kpiRow, openFixture, TEST_NOW, testCatalog } from '../helpers.ts';
import { pulse } from '../support/cli.ts';

// test/fixtures/open-deals-blank-amount: as in many real exports, open deals have no amount.
//   D1 won 1000 (Sep), D2 lost 500 (Sep), D3, D4 open without amount (created Sep), D5 open without
//   amount (created Oct), D6 won 300 (Oct 31), D7 lost without amount (created Oct).
// Open at the end of September: D3, D4 (no amount). At the end of October: D3, D4, D5 (no amount).
describe('sums over a column left blank', () => {
  let dataset: Dataset;
  beforeAll(async () => {
    dataset = await openFixture('open-deals-blank-amount');
  });
  afterAll(() => dataset.close());

  it('are unknown, never 0, when every amount is blank', async () => {
    expect(await kpiRow(dataset, 'open_pipeline', '2026-10')).toMatchObject({
      value: null,
      deals: 3,
      value_known: 0,
      value_of: 3,
      known_share: 0,
      unknown_note: 'amount unknown for 3 of 3 open deals',
    });
  });

  it('are not compared, saying whether some amounts are known', async () => {
    const september = await kpiRow(dataset, 'open_pipeline', '2026-09');
    const october = await kpiRow(dataset, 'open_pipeline', '2026-10');
    const notes = (rows: KpiRow[]) =>
      compareRows(
        rows,
        { start: '2026-10-01', end: '2026-11-01', grain: 'month' },
        { direction: 'up', targets: [] },
      ).map((r) => [r.previous_value, r.comparison_note]);
    // None known: "amounts unknown", not "partly".
    expect(notes([september, october])).toEqual([[null, 'amounts unknown']]);
    expect(notes([september, { ...october, value: 10, known_share: 0.5 }])).toEqual([
      [null, 'amounts partly unknown'],
    ]);
    expect(
      notes([
        { ...september, value: 5, known_share: 0.5 },
        { ...october, value: 10, known_share: 1 },
      ]),
    ).toEqual([[null, 'amounts partly unknown then']]);
    expect(notes([september, { ...october, value: 10, known_share: 1 }])).toEqual([
      [null, 'amounts unknown then'],
    ]);
  });

  it('give the known part with the share known when some amounts are blank', async () => {
    // Created in October: D5 (blank), D6 300, D7 (blank) → 300, known for 1 of 3.
    expect(await kpiRow(dataset, 'pipeline_created', '2026-10')).toMatchObject({
      value: 300,
      known_share: 1 / 3,
      unknown_note: 'amount known for 1 of 3 deals created only',
    });
  });

  it('stay a plain number when every amount is known', async () => {
    // Created in September: D1 1000, D2 500, D3 and D4 blank → known for 2 of 4.
    const september = await kpiRow(dataset, 'pipeline_created', '2026-09');
    expect(september).toMatchObject({ value: 1500, known_share: 0.5 });
    const won = await kpiRow(dataset, 'won_revenue', '2026-10');
    expect(won).toMatchObject({ value: 300 });
    expect(won.known_share).toBeUndefined();
  });
});

// test/fixtures/tickets-blank-columns: an export with first_response_at blank on every ticket (not
// exported) and contacts blank in September, filled in on four of six tickets resolved in October.
describe('rates over a column left blank', () => {
  let dataset: Dataset;
  beforeAll(async () => {
    dataset = await openFixture('tickets-blank-columns');
  });
  afterAll(() => dataset.close());

  it('first contact resolution is unknown when no contacts are known, never 0 %', async () => {
    expect(await kpiRow(dataset, 'first_contact_resolution_rate', '2026-09')).toMatchObject({
      value: null,
      known_share: 0,
      unknown_note: 'contacts unknown for 6 of 6 resolved tickets',
    });
    // Some known: the rate as defined (a blank counts as not first contact), said to be partial.
    const october = await kpiRow(dataset, 'first_contact_resolution_rate', '2026-10');
    expect(october).toMatchObject({ numerator: 3, denominator: 6, value: 0.5 });
    expect(october.known_share).toBeCloseTo(4 / 6, 12);
    expect(october.unknown_note).toBe('contacts known for 4 of 6 resolved tickets only');
  });

  it('SLA attainment is unknown when the export has no first response on any ticket, never 0 %', async () => {
    expect(await kpiRow(dataset, 'sla_attainment_rate', '2026-10')).toMatchObject({
      value: null,
      known_share: 0,
      unknown_note: 'first_response_at unknown for 7 of 7 tickets',
      // No breach is stated as fact beside "unknown".
      numerator: null,
      breaches: null,
    });
    // The first response time is as unknown, and no ticket is said to be waiting for one.
    expect(await kpiRow(dataset, 'first_response_hours', '2026-10')).toMatchObject({
      value: null,
      waiting: null,
      unknown_note: 'first_response_at unknown for 7 of 7 tickets',
    });
  });

  it('the list of tickets over SLA is not available, rather than every ticket listed as waiting', async () => {
    const catalog = await testCatalog();
    const span = parsePeriod('2026-10');
    const result = await runKpi(dataset, catalog.get('tickets_over_sla'), { span });
    expect(result).toMatchObject({
      available: false,
      missing: ['tickets.first_response_at filled in (blank on every row)'],
    });
    // An answer after them in the export is enough to list the ones still waiting.
    const dir = await mkdtemp(join(tmpdir(), 'pulse-answered-'));
    const csv = await readFile(join(FIXTURES, 'tickets-blank-columns', 'tickets.csv'), 'utf8');
    await writeFile(
      join(dir, 'tickets.csv'),
      csv.replace('T13,2026-10-30T09:00:00,,', 'T13,2026-10-30T09:00:00,2026-10-30T10:00:00,'),
    );
    const answered = await openFixture(dir);
    const listed = await runKpi(answered, catalog.get('tickets_over_sla'), { span });
    answered.close();
    await rm(dir, { recursive: true });
    expect(listed.available).toBe(true);
    expect(listed.rows.length).toBeGreaterThan(0);
    expect(listed.rows.every((row) => row.waiting_hours !== null)).toBe(true);
  });

  it('pulse check warns about both columns, with the KPI that needs each', async () => {
    const run = await pulse(['check', '--data', join(FIXTURES, 'tickets-blank-columns')], {
      PULSE_CACHE: 'off',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /warning tickets, column contacts: .*first_contact_resolution_rate reads it, and it is blank on 8 of 12/,
    );
    expect(run.stdout).toMatch(/warning tickets, column first_response_at: .*sla_attainment_rate reads it/);
    expect(run.stdout).toMatch(/warning tickets, column first_response_at: .*first_response_hours reads it/);
  });

  it('the report says so in its footer too, and so does its e-mail, of the numbers it shows', async () => {
    const run = await runReport(
      defineReport({
        name: 'tiny',
        title: 'Tiny report',
        grain: 'month',
        build: async (r) => {
          r.tiles(
            await r.kpis(['first_contact_resolution_rate', 'sla_attainment_rate', 'first_response_hours']),
          );
        },
      }),
      {
        dataDir: join(FIXTURES, 'tickets-blank-columns'),
        timeZone: 'UTC',
        now: TEST_NOW,
        period: parsePeriod('2026-09'),
      },
    );
    // As `pulse check` lists it, for the month shown (its own counts), in the data-quality table:
    // a row a column, which two KPIs read.
    const html = await renderReportHtml(run.document, { grain: 'month' });
    expect(html).toContain(
      '<td>tickets.contacts</td><td>a column a KPI needs is blank on most of the rows it reads</td><td>6</td>',
    );
    expect(html.match(/<td>tickets\.first_response_at<\/td>/g)).toHaveLength(1);
    // The e-mail has no such table: a sentence each, for its reader.
    const sentence =
      'First contact resolution rate reads tickets.contacts, which the export leaves blank on 6 of 6 resolved tickets of September 2026: it shows "unknown" (or the known part, marked) until the export fills it in.';
    const email = await renderEmail(run.document, { grain: 'month' });
    expect(email.text).toContain(sentence);
    expect(email.html).toContain(sentence.replaceAll('"', '&quot;'));
  });

  it('are compared with nothing, saying which column is unknown', () => {
    const row = (period_start: string, known_share: number): KpiRow =>
      ({ period_start, period_end: '', value: 0.5, known_share }) as unknown as KpiRow;
    const [compared] = compareRows(
      [row('2026-09-01', 0), row('2026-10-01', 1)],
      { start: '2026-10-01', end: '2026-11-01', grain: 'month' },
      { direction: 'up', targets: [], known: 'contacts of resolved tickets' },
    );
    expect(compared).toMatchObject({ previous_value: null, comparison_note: 'contacts unknown then' });
  });

  it('against a period before the data, say that, not that amounts are partly unknown now', () => {
    const row = (period_start: string, extra: Record<string, unknown>): KpiRow =>
      ({ period_start, period_end: '', value: 100, ...extra }) as unknown as KpiRow;
    const [compared] = compareRows(
      [
        row('2025-10-01', { value: null, coverage: 'none' }),
        row('2026-09-01', { known_share: 1 }),
        row('2026-10-01', { known_share: 0.5 }),
      ],
      { start: '2026-10-01', end: '2026-11-01', grain: 'month' },
      { direction: 'up', targets: [] },
    );
    expect(compared).toMatchObject({
      year_ago_value: null,
      yoy_note: 'before the data starts',
      previous_value: null,
      comparison_note: 'amounts partly unknown',
    });
  });
});

// An export whose first_response_at stopped being filled in: September's 12 tickets answered,
// October's 12 none, November's 3 none (waiting: too few to say the column is missing).
describe('first responses the export stopped carrying', () => {
  let dataset: Dataset;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pulse-stopped-'));
    const line = (month: string, day: number, answered: boolean) => {
      const created = `2026-${month}-${String(day).padStart(2, '0')}T09:00:00`;
      const id = `T${month}${String(day).padStart(2, '0')}`;
      return `${id},${created},${answered ? created.replace('T09', 'T10') : ''},,1,false`;
    };
    const rows = [
      ...Array.from({ length: 12 }, (_, i) => line('09', i + 1, true)),
      ...Array.from({ length: 12 }, (_, i) => line('10', i + 1, false)),
      ...Array.from({ length: 3 }, (_, i) => line('11', i + 1, false)),
    ];
    await writeFile(
      join(dir, 'tickets.csv'),
      `ticket_id,created_at,first_response_at,resolved_at,contacts,reopened\n${rows.join('\n')}\n`,
    );
    dataset = await openFixture(dir);
  });
  afterAll(async () => {
    dataset.close();
    await rm(dir, { recursive: true });
  });

  it('a period of 10 tickets or more with none answered is unknown, never 0 % SLA or "12 waiting"', async () => {
    expect(await kpiRow(dataset, 'sla_attainment_rate', '2026-09')).toMatchObject({
      value: 1,
      numerator: 12,
      breaches: 0,
    });
    expect(await kpiRow(dataset, 'sla_attainment_rate', '2026-10')).toMatchObject({
      value: null,
      known_share: 0,
      unknown_note: 'first_response_at unknown for 12 of 12 tickets',
      numerator: null,
      breaches: null,
    });
    expect(await kpiRow(dataset, 'first_response_hours', '2026-10')).toMatchObject({
      value: null,
      waiting: null,
      unknown_note: 'first_response_at unknown for 12 of 12 tickets',
    });
    // November's three were created after the export's last first response too (15 since, over
    // two months): unknown, not three tickets waiting.
    expect(await kpiRow(dataset, 'sla_attainment_rate', '2026-11')).toMatchObject({
      value: null,
      breaches: null,
      unknown_note: 'first_response_at unknown for 3 of 3 tickets',
    });
    expect(await kpiRow(dataset, 'first_response_hours', '2026-11')).toMatchObject({
      value: null,
      waiting: null,
    });
  });

  it('a period in which the export stops carrying answers is measured on the tickets before the stop', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-stops-'));
    const line = (month: string, day: number, answered: boolean) => {
      const created = `2026-${month}-${String(day).padStart(2, '0')}T09:00:00`;
      return `${month}-${day},${created},${answered ? created.replace('T09', 'T10') : ''}`;
    };
    const rows = [
      ...Array.from({ length: 12 }, (_, i) => line('07', i + 1, true)),
      // August: answered on the 1st to the 3rd, then never again.
      ...Array.from({ length: 18 }, (_, i) => line('08', i + 1, i < 3)),
      // One answer mistyped years ahead, on a July ticket, does not hide the stop.
      'typo,2026-07-20T09:00:00,2029-07-20T10:00:00',
    ];
    await writeFile(join(dir, 'tickets.csv'), `ticket_id,created_at,first_response_at\n${rows.join('\n')}\n`);
    const data = await openFixture(dir);
    try {
      expect(await kpiRow(data, 'sla_attainment_rate', '2026-08')).toMatchObject({
        value: 1,
        numerator: 3,
        breaches: 0,
        known_share: 3 / 18,
        unknown_note: 'first_response_at known for 3 of 18 tickets only',
      });
      expect(await kpiRow(data, 'first_response_hours', '2026-08')).toMatchObject({
        value: 1,
        waiting: 0,
        unknown_note: 'first_response_at known for 3 of 18 tickets only',
      });
    } finally {
      data.close();
      await rm(dir, { recursive: true });
    }
  });

  it('a desk closed for the weekend is a backlog: its waiting tickets are breaches, not unknown', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-weekend-'));
    const rows: string[] = [];
    // A ticket every 3 hours from Monday 5 October to Monday 19 October 06:00; weekdays answered
    // within the hour, the weekends not at all (the desk is closed).
    for (let at = Date.UTC(2026, 9, 5); at < Date.UTC(2026, 9, 19, 6); at += 3 * 3600_000) {
      const created = new Date(at);
      // Monday 19 October's first tickets are not answered yet either: the desk opens at 9.
      const weekday = created.getUTCDay() % 6 !== 0 && at < Date.UTC(2026, 9, 19);
      const iso = (d: Date) => d.toISOString().slice(0, 19);
      rows.push(`T${at},${iso(created)},${weekday ? iso(new Date(at + 3600_000)) : ''}`);
    }
    await writeFile(join(dir, 'tickets.csv'), `ticket_id,created_at,first_response_at\n${rows.join('\n')}\n`);
    const data = await openFixture(dir);
    try {
      const week = await kpiRow(data, 'sla_attainment_rate', '2026-W42');
      expect(week.unknown_note).toBeUndefined();
      expect(week.value_known).toBe(week.value_of);
      // Of the weekend's 16 tickets, the 14 older than 8 hours by the week's end are breaches.
      expect(week.breaches).toBe(14);
    } finally {
      data.close();
      await rm(dir, { recursive: true });
    }
  });

  it('the list of tickets over SLA says the period is unknown, rather than listing 12 tickets as waiting', async () => {
    const catalog = await testCatalog();
    const list = async (month: string) =>
      (await runKpi(dataset, catalog.get('tickets_over_sla'), { span: parsePeriod(month) })).rows;
    expect(await list('2026-10')).toEqual([
      expect.objectContaining({
        period_start: '2026-10-01',
        ticket_id: null,
        waiting_hours: null,
        unknown_note:
          'first_response_at blank on all 12 tickets of the period in the export, which has it for other periods',
      }),
    ]);
    // September was answered within the hour (nothing to list). November's three were created
    // after the export's last first response too: not listed as waiting, and said.
    expect(await list('2026-09')).toEqual([]);
    expect(await list('2026-11')).toEqual([
      expect.objectContaining({
        ticket_id: null,
        unknown_note:
          'first_response_at not in the export for 3 tickets of the period, created after the last ticket it has a first response for (2026-09-12 09:00)',
      }),
    ]);
  });

  it("is the whole business's: in a report scoped to a region, its unanswered backlog is 0 %", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-sla-scope-'));
    await writeFile(
      join(dir, 'customers.csv'),
      'customer_id,region,acquired_at\nC1,EMEA,2024-01-01\nC2,AMER,2024-01-01\n',
    );
    const line = (customer: string, day: number, answered: boolean) => {
      const created = `2026-10-${String(day).padStart(2, '0')}T09:00:00`;
      return `${customer}-${day},${customer},${created},${answered ? created.replace('T09', 'T11') : ''}`;
    };
    const rows = [
      ...Array.from({ length: 20 }, (_, i) => line('C2', i + 1, true)),
      ...Array.from({ length: 12 }, (_, i) => line('C1', i + 1, false)),
    ];
    await writeFile(
      join(dir, 'tickets.csv'),
      `ticket_id,customer_id,created_at,first_response_at\n${rows.join('\n')}\n`,
    );
    const emea = await openDataset({
      dataDir: dir,
      now: TEST_NOW,
      timeZone: 'UTC',
      cacheDir: null,
      scope: { region: 'EMEA' },
    });
    try {
      const catalog = await testCatalog();
      const [sla] = (await runKpi(emea, catalog.get('sla_attainment_rate'), { span: parsePeriod('2026-10') }))
        .rows;
      expect(sla).toMatchObject({ value: 0, breaches: 12 });
    } finally {
      emea.close();
      await rm(dir, { recursive: true });
    }
  });

  it("is the whole period's: one channel never answered while another is, is a backlog, 0 %", async () => {
    const backlog = await mkdtemp(join(tmpdir(), 'pulse-backlog-'));
    const line = (channel: string, day: number, answered: boolean) => {
      const created = `2026-10-${String(day).padStart(2, '0')}T09:00:00`;
      return `${channel}${day},${created},${answered ? created.replace('T09', 'T11') : ''},${channel}`;
    };
    const rows = [
      ...Array.from({ length: 20 }, (_, i) => line('email', i + 1, true)),
      ...Array.from({ length: 12 }, (_, i) => line('chat', i + 1, false)),
    ];
    await writeFile(
      join(backlog, 'tickets.csv'),
      `ticket_id,created_at,first_response_at,channel\n${rows.join('\n')}\n`,
    );
    const data = await openFixture(backlog);
    try {
      const catalog = await testCatalog();
      const run = async (id: string) =>
        (await runKpi(data, catalog.get(id), { span: parsePeriod('2026-10'), by: 'channel' })).rows;
      const sla = await run('sla_attainment_rate');
      expect(sla.find((r) => r.channel === 'chat')).toMatchObject({ value: 0, breaches: 12 });
      expect(sla.find((r) => r.channel === 'email')).toMatchObject({ value: 1, breaches: 0 });
      expect((await run('first_response_hours')).find((r) => r.channel === 'chat')).toMatchObject({
        waiting: 12,
      });
    } finally {
      data.close();
      await rm(backlog, { recursive: true });
    }
  });
});
