import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../lib/kpi/period.ts';
import { SAMPLE_DATA_DIR } from '../../lib/paths.ts';
import { kpiTable } from '../../lib/report/cells/kpi-cells.ts';
import { repLeaderboard } from '../../lib/report/cells/sales-cells.ts';
import { defineReport } from '../../lib/report/define.ts';
import { runReport } from '../../lib/report/run-report.ts';
import { FIXTURES, TEST_NOW, testCatalog } from '../helpers.ts';
import { pulse } from '../support/cli.ts';
import { cutData } from '../support/cut-data.ts';
import { outputRoot } from '../support/sentinel.ts';

// A report says only what its data supports: a period outside the data is refused with the range
// it covers, a period covered in part says so everywhere, and nothing is compared with a time
// before the data starts. Never "$0" where the truth is "no data".
describe('honest numbers on stale, partial and short exports', { timeout: 120_000 }, () => {
  let cut: string;
  let out: string;
  beforeAll(async () => {
    cut = await cutData(SAMPLE_DATA_DIR, '2026-10-16'); // the sample's last month, cut mid-month
    out = join(outputRoot() ?? cut, `honest-${process.pid}`);
  }, 60_000);
  afterAll(() => rm(cut, { recursive: true, force: true }));

  it('refuses a report or a KPI for a period the data does not cover, naming the range it does', async () => {
    for (const args of [
      ['report', 'monthly', '--period', '2026-11', '--out', out],
      ['kpi', 'revenue', '--period', '2030-01'],
      ['kpi', 'revenue', '--period', '2017-12'],
    ]) {
      const run = await pulse(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(
        /no data for (November 2026|January 2030|December 2017): the data covers \d{4}-\d{2}-\d{2} to 2026-10-31/,
      );
      expect(run.stdout).not.toMatch(/\$0(\.00)?\b/);
    }
  });

  it('marks a month the data covers in part, in the page, the e-mail and the numbers', async () => {
    const run = await pulse(['report', 'monthly', '--period', '2026-10', '--data', cut, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const dir = join(out, 'monthly', '2026-10');
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    const text = await readFile(join(dir, 'email.txt'), 'utf8');
    expect(html).toContain('<strong>Partial October 2026</strong> (partial: the data ends 2026-10-15)');
    expect(text.split('\n')[0]).toMatch(/October 2026 \(partial\)/);
    // The summary sentence says what its tile says: half a month's revenue is not the month's.
    expect(text).toMatch(
      /\nRevenue was \$[\d.,KM]+ in October 2026 \(partial: the data ends 2026-10-15\)[.;]/,
    );
    // No tile shows $0 (a campaign that earned nothing may, in its table).
    expect(html).not.toMatch(/tile-value">\$0(\.00)?</);
    expect(html).not.toMatch(/\b(fell|rose)\b|usual swing/);
    expect(html).toContain('Not compared: October 2026 is covered only in part');
    // The tiles' sparklines leave the partial month out, with no dot passing September off as
    // the latest: the alt text says October has no whole value.
    expect(html).toMatch(
      /aria-label="Revenue, last \d+ periods: [^"]* to \$[\d,.KM]+ in Sep 2026; [^"]*Oct 2026: no whole value\."/,
    );
    // No "fell 50 %" from half a month: the partial month is not compared.
    const kpis = JSON.parse(await readFile(join(dir, 'kpis.json'), 'utf8')) as Record<string, unknown>[];
    const revenue = kpis.find((k) => k.id === 'revenue' && k.period_start === '2026-10-01');
    expect(revenue).toMatchObject({
      coverage: 'partial',
      change: null,
      comparison_note: 'this period is partial',
    });
  });

  it('says on the page and in the e-mail that the export is behind the clock, when the report is not of the latest period', async () => {
    // Made on 15 November from an export that ends 15 October: the last complete month in it is September.
    const run = await pulse(['report', 'monthly', '--data', cut, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const dir = join(out, 'monthly', '2026-09');
    const note =
      'the export ends 2026-10-15, 31 days before this report: October 2026, the latest complete month, is not in it';
    expect(await readFile(join(dir, 'index.html'), 'utf8')).toContain(
      `<strong>Not the latest data</strong>: ${note}.`,
    );
    expect(await readFile(join(dir, 'email.html'), 'utf8')).toContain(
      `<strong>Not the latest data</strong>: ${note}.`,
    );
    expect(await readFile(join(dir, 'email.txt'), 'utf8')).toContain(`Not the latest data: ${note}.`);
  });

  it('says an open pipeline whose amounts are blank is unknown, not $0', async () => {
    const data = `${FIXTURES}/open-deals-blank-amount`; // three open deals, none with an amount
    const run = await pulse(['report', 'monthly', '--period', '2026-10', '--data', data, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Open pipeline +unknown \(amount unknown for 3 of 3 open deals\)/);
    const html = await readFile(join(out, 'monthly', '2026-10', 'index.html'), 'utf8');
    expect(html).toContain('<p class="tile-value">unknown</p>');
    expect(html).toContain('amount unknown for 3 of 3 open deals');
    expect(html).not.toMatch(/Open pipeline (fell|rose)/);
  });

  it('fits the report to a deals-only or orders-only export: answerable tiles, one line per empty section', async () => {
    const page = async (data: string, period: string) => {
      const run = await pulse([
        'report',
        'monthly',
        '--period',
        period,
        '--data',
        `${FIXTURES}/${data}`,
        '--out',
        out,
      ]);
      expect(run.code, run.stderr).toBe(0);
      return { stdout: run.stdout, html: await readFile(join(out, 'monthly', period, 'index.html'), 'utf8') };
    };
    const deals = await page('open-deals-blank-amount', '2026-10');
    // No wall of "n/a" tiles: what the data cannot fill is a line naming what would fill it.
    expect(deals.html).not.toContain('class="tile tile-unavailable"');
    expect(deals.html).toMatch(
      /<strong>Service and satisfaction<\/strong>: not available \(needs tickets \(/,
    );
    expect(deals.stdout).toMatch(/Close rate +50\.0 %/);
    expect(deals.stdout).toMatch(/Won revenue/);
    expect(deals.stdout).not.toMatch(/not available/);
    // Under the tiles, on the page and in the e-mail: which of the eight gave way, and why.
    const gaps =
      "Not in this data: Revenue, Customer acquisition cost, Churn rate, Net revenue retention, Net Promoter Score and Customer satisfaction (CSAT) (the report's sections say what each needs).";
    const email = await readFile(join(out, 'monthly', '2026-10', 'email.txt'), 'utf8');
    expect(email).toContain(`\n${gaps}\n`);
    expect(await readFile(join(out, 'monthly', '2026-10', 'email.html'), 'utf8')).toContain(
      gaps.replaceAll("'", '&#x27;'),
    );
    expect(deals.html).toContain(`<p class="tiles-note">${gaps.replaceAll("'", '&#x27;')}</p>`);
    const orders = await page('orders-midyear', '2026-09');
    expect(orders.html).not.toContain('class="tile tile-unavailable"');
    // Repeat purchases, which an orders export can answer, lead with revenue.
    expect(orders.stdout).toMatch(/Revenue +\$270/);
    expect(orders.stdout).toMatch(/Repeat purchase rate/);
    // Its every period is partial (the 12-month window starts before the data): its tile says so,
    // with no sparkline saying "No data" under the value.
    const repeatTile = orders.html.slice(orders.html.indexOf('aria-label="Repeat purchase rate"'));
    expect(repeatTile.slice(0, repeatTile.indexOf('</article>'))).not.toContain('<svg');
    expect(orders.html).toMatch(/<strong>Marketing<\/strong>: not available/);
    // The weekly report too: no week of eight "n/a" tiles mailed from an orders export.
    const weekly = await pulse([
      'report',
      'weekly',
      '--period',
      '2026-W38',
      '--data',
      `${FIXTURES}/orders-midyear`,
      '--out',
      out,
    ]);
    expect(weekly.code, weekly.stderr).toBe(0);
    const weeklyHtml = await readFile(join(out, 'weekly', '2026-W38', 'index.html'), 'utf8');
    expect(weeklyHtml).not.toContain('class="tile tile-unavailable"');
    expect(weekly.stdout).toMatch(/Revenue +\$/);
  });

  it('says, in the page and the e-mail, that customers were derived from the first order', async () => {
    const run = await pulse([
      'report',
      'monthly',
      '--period',
      '1997-07',
      '--data',
      `${FIXTURES}/mapping-cdnow`,
      '--mapping',
      `${FIXTURES}/mapping-cdnow.json`,
      '--out',
      out,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const dir = join(out, 'monthly', '1997-07');
    for (const file of ['index.html', 'email.html', 'email.txt'])
      expect(await readFile(join(dir, file), 'utf8'), file).toContain(
        'Customers derived from the first order in CDNOW_master.txt',
      );
  });

  it("says the week's list of tickets over SLA is unknown when the export stopped carrying first responses", async () => {
    // A week answered within the hour, a week answered ten hours late (over the SLA), then a week
    // of 14 tickets with no first response at all.
    const dir = await mkdtemp(join(tmpdir(), 'pulse-sla-list-'));
    const line = (day: number, hour: number, answeredAt: string | undefined) => {
      const created = `2026-10-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00`;
      return `T${day}-${hour},${created},${answeredAt ? created.replace(/T\d\d:00/, `T${answeredAt}`) : ''}`;
    };
    const rows = [];
    for (let day = 5; day <= 18; day++) rows.push(line(day, 9, day <= 11 ? '09:30' : '19:00'));
    for (let day = 19; day <= 25; day++) rows.push(line(day, 9, undefined), line(day, 14, undefined));
    await writeFile(join(dir, 'tickets.csv'), `ticket_id,created_at,first_response_at\n${rows.join('\n')}\n`);
    try {
      const run = await pulse(['report', 'weekly', '--period', '2026-W43', '--data', dir, '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      const html = await readFile(join(out, 'weekly', '2026-W43', 'index.html'), 'utf8');
      expect(html).toContain(
        '<strong>Tickets over the first-response SLA, longest first</strong>: unknown (first_response_at blank on all 14 tickets of the period in the export, which has it for other periods)',
      );
      expect(html).not.toContain('Every ticket of the week was answered');
      expect(html).not.toContain('T25-14');
      // Over three weeks: the late answers are listed, the week that cannot be is said.
      const threeWeeks = defineReport({
        name: 'three-weeks',
        title: 'Three weeks',
        grain: 'week',
        async build(r) {
          await kpiTable(r, 'tickets_over_sla', [{ field: 'ticket_id', header: 'Ticket', unit: 'text' }], {
            history: 3,
          });
        },
      });
      const { document } = await runReport(threeWeeks, {
        dataDir: dir,
        timeZone: 'UTC',
        now: TEST_NOW,
        period: parsePeriod('2026-W43'),
      });
      const [table] = document.blocks;
      expect(table).toMatchObject({
        kind: 'table',
        rows: [['T12-9'], ['T13-9'], ['T14-9'], ['T15-9'], ['T16-9'], ['T17-9'], ['T18-9']],
        caption: expect.stringContaining(
          'Unknown for 2026-10-19: first_response_at blank on all 14 tickets of the period',
        ),
      });
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('a week before the tickets start is no data in the list, never "every ticket was answered"', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-list-start-'));
    const deals = ['opportunity_id,created_at,closed_at,status'];
    for (let day = 1; day <= 30; day++) deals.push(`D${day},2026-06-${String(day).padStart(2, '0')},,open`);
    const tickets = ['ticket_id,created_at,first_response_at'];
    for (let day = 1; day <= 31; day++) {
      const at = `2026-07-${String(day).padStart(2, '0')}T09:00:00`;
      tickets.push(`T${day},${at},${at.replace('09:00', '09:30')}`);
    }
    await writeFile(join(dir, 'opportunities.csv'), `${deals.join('\n')}\n`);
    await writeFile(join(dir, 'tickets.csv'), `${tickets.join('\n')}\n`);
    try {
      const run = await pulse(['report', 'weekly', '--period', '2026-W24', '--data', dir, '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      const html = await readFile(join(out, 'weekly', '2026-W24', 'index.html'), 'utf8');
      expect(html).toContain(
        '<strong>Tickets over the first-response SLA, longest first</strong>: no data for week of 2026-06-08: the data starts 2026-07-01',
      );
      expect(html).not.toContain('Every ticket of the week was answered');
      // Over six weeks, four before the first ticket: said once, not once a week.
      const sixWeeks = defineReport({
        name: 'six-weeks',
        title: 'Six weeks',
        grain: 'week',
        async build(r) {
          await kpiTable(r, 'tickets_over_sla', [{ field: 'ticket_id', header: 'Ticket', unit: 'text' }], {
            history: 6,
          });
        },
      });
      const { document } = await runReport(sixWeeks, {
        dataDir: dir,
        timeZone: 'UTC',
        now: TEST_NOW,
        period: parsePeriod('2026-W28'),
      });
      expect(document.blocks[0]).toEqual({
        kind: 'unknown',
        title: 'Tickets over SLA',
        reason:
          'No data for 4 periods (from 2026-06-01): the data starts 2026-07-01 (the first created_at in tickets).',
      });
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('what changed: one KPI whose data starts inside the week does not make the whole week partial', async () => {
    // Deals created every day from May; the first closes on 11 June, inside the week of 8 June.
    const dir = await mkdtemp(join(tmpdir(), 'pulse-kpi-partial-'));
    const deals = ['opportunity_id,amount,created_at,closed_at,status'];
    for (let i = 0; i < 45; i++) {
      const created = new Date(Date.UTC(2026, 4, 1 + i)).toISOString().slice(0, 10);
      const closed = i >= 41 ? `2026-06-${11 + (i - 41)}` : '';
      deals.push(`D${i},100,${created},${closed},${closed ? 'won' : 'open'}`);
    }
    await writeFile(join(dir, 'opportunities.csv'), `${deals.join('\n')}\n`);
    try {
      const run = await pulse(['report', 'weekly', '--period', '2026-W24', '--data', dir, '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      const html = await readFile(join(out, 'weekly', '2026-W24', 'index.html'), 'utf8');
      expect(html).not.toContain('week of 2026-06-08 is covered only in part');
      expect(html).toMatch(/<li>[^<]*Won revenue[^<]*: /);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('a list row that carries its own unknown_note is a row, not a period left unknown', async () => {
    const kpi = (await testCatalog()).get('tickets_over_sla');
    const ticket = {
      id: 'tickets_over_sla',
      period_start: '2026-10-01',
      period_end: '2026-11-01',
      value: null,
      ticket_id: 'T1',
      unknown_note: 'amount not entered yet',
    };
    const one = defineReport({
      name: 'one',
      title: 'One',
      grain: 'month',
      async build(r) {
        await kpiTable(r, { kpi, available: true, rows: [ticket] } as never, [
          { field: 'ticket_id', header: 'Ticket', unit: 'text' },
        ]);
      },
    });
    const { document } = await runReport(one, {
      dataDir: `${FIXTURES}/orders-midyear`,
      timeZone: 'UTC',
      now: TEST_NOW,
      period: parsePeriod('2026-09'),
    });
    expect(document.blocks[0]).toMatchObject({ kind: 'table', rows: [['T1']] });
  });

  it("a table of a period before its KPI's data starts says so, not a row of dashes", async () => {
    // Deals created from August, the first closed in October: September has no closes to rank.
    const dir = await mkdtemp(join(tmpdir(), 'pulse-reps-'));
    await writeFile(
      join(dir, 'opportunities.csv'),
      'opportunity_id,owner_id,amount,created_at,closed_at,status\nD1,U1,100,2026-08-03,2026-10-05,won\nD2,U2,200,2026-08-10,2026-10-20,won\nD3,U1,50,2026-09-01,,open\n',
    );
    const reps = defineReport({
      name: 'reps',
      title: 'Reps',
      grain: 'month',
      async build(r) {
        await repLeaderboard(r);
      },
    });
    try {
      const options = { dataDir: dir, timeZone: 'UTC', now: TEST_NOW };
      const september = await runReport(reps, { ...options, period: parsePeriod('2026-09') });
      expect(september.document.blocks).toEqual([
        {
          kind: 'unknown',
          title: 'Reps by won revenue',
          reason:
            'no data for September 2026: the data starts 2026-10-05 (the first closed_at in opportunities)',
        },
      ]);
      const october = await runReport(reps, { ...options, period: parsePeriod('2026-10') });
      expect(october.document.blocks[0]).toMatchObject({
        kind: 'table',
        rows: [
          ['U2', '$200.00', '1', '–'],
          ['U1', '$100.00', '1', '–'],
        ],
      });
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('says a short export is too young to judge what moved, never that nothing moved more than usual', async () => {
    const data = `${FIXTURES}/orders-midyear`; // orders from 15 July 2026 to 30 September
    const changes = async (period: string) => {
      const run = await pulse(['report', 'monthly', '--period', period, '--data', data, '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      const html = await readFile(join(out, 'monthly', period, 'index.html'), 'utf8');
      expect(html).not.toContain('usually does');
      return html;
    };
    const starts = 'the data starts 2026-07-15 (the first ordered_at in orders)';
    // September: July is partial, so August → September is the only change, with none before it.
    expect(await changes('2026-09')).toContain(
      `<p>Too little history to judge which moves are unusual:</p>\n<ul><li>Revenue: no earlier changes (a usual swing needs 3); ${starts}</li></ul>`,
    );
    // August: the month before is partial, so there is nothing whole to compare with.
    expect(await changes('2026-08')).toContain(
      `<li>Revenue: nothing to compare with, July 2026 is partial: ${starts}</li>`,
    );
  });

  it('names every headline KPI left without a value, stand-ins too, with why, and never sums them as $0', async () => {
    // Deals created from September, closed only from 15 October: in September there is a
    // pipeline but no close rate, won revenue, deal size or sales cycle yet.
    const dir = await mkdtemp(join(tmpdir(), 'pulse-young-deals-'));
    await writeFile(join(dir, 'opportunities.csv'), YOUNG_DEALS);
    try {
      const run = await pulse(['report', 'monthly', '--period', '2026-09', '--data', dir, '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      const gaps =
        'No value for September 2026: Close rate, Won revenue, Average deal size and Sales cycle; the data starts 2026-10-15 (the first closed_at in opportunities).';
      expect(run.stdout).toContain(gaps);
      const email = await readFile(join(out, 'monthly', '2026-09', 'email.txt'), 'utf8');
      expect(email).toContain(gaps);
      // The weekly sentence says the same: no "0 worth $0 were won" before the first close, and
      // the pipeline's unknown amounts as its tile says them.
      const week = await pulse(['report', 'weekly', '--period', '2026-W38', '--data', dir, '--out', out]);
      expect(week.code, week.stderr).toBe(0);
      const sentence =
        'In the week of 2026-09-14, 3 deals worth $1,400 entered the pipeline (amount known for 2 of 3 deals created only); no data on won deals: the data starts 2026-10-15 (the first closed_at in opportunities).';
      expect(week.stdout).toContain(sentence);
      expect(await readFile(join(out, 'weekly', '2026-W38', 'email.txt'), 'utf8')).toContain(sentence);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('never compares with a time before a short export starts', async () => {
    const data = `${FIXTURES}/orders-midyear`; // orders from 15 July 2026 to 30 September
    const json = async (...args: string[]) => {
      const run = await pulse(['kpi', 'revenue', '--data', data, '--format', 'json', ...args]);
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as Record<string, unknown>[];
    };
    const [july] = await json('--period', '2026-07');
    expect(july).toMatchObject({
      value: 200,
      coverage: 'partial',
      coverage_note: 'partial: the data starts 2026-07-15 (the first ordered_at in orders)',
    });
    const [august] = await json('--period', '2026-08');
    // July is partial, a year ago is before the data: neither is a base for a change.
    expect(august).toMatchObject({
      value: 300,
      previous_value: null,
      comparison_note: 'that period is partial',
      year_ago_value: null,
      yoy_note: 'before the data starts',
    });
    const [september] = await json('--period', '2026-09');
    expect(september).toMatchObject({ value: 270, previous_value: 300 });
    const june = await pulse(['kpi', 'revenue', '--data', data, '--period', '2026-06']);
    expect(june.code).toBe(2);
    expect(june.stderr).toMatch(/no data for June 2026: the data covers 2026-07-15 to 2026-09-30/);
  });
});

/** Deals created from 1 September 2026 (two without an amount), the first closed on 15 October. */
const YOUNG_DEALS = `opportunity_id,amount,created_at,closed_at,status
D1,1000,2026-09-01,,open
D2,,2026-09-15,,open
D3,800,2026-09-16,2026-10-15,won
D4,600,2026-09-20,2026-10-25,lost
D5,400,2026-10-02,2026-10-28,won
D6,,2026-10-05,,open
`;
