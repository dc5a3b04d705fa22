import { appendFile, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProblemRule, Severity } from '../../lib/data/problems.ts';
import { parsePeriod } from '../../lib/kpi/period.ts';
import { describeRejectedRows } from '../../lib/render/rejected-rows.ts';
import { defineReport } from '../../lib/report/define.ts';
import { type ReportRun, runReport } from '../../lib/report/run-report.ts';
import { writeReportOutputs } from '../../lib/report/write-outputs.ts';
import monthly from '../../reports/monthly.ts';
import { FIXTURES, TEST_NOW } from '../helpers.ts';

// A Salesforce export with one row the contract rejects, computed with --allow-rejects.
describe('a report computed without its rejected rows', () => {
  let root: string;
  let run: ReportRun;
  const files: Record<string, string> = {};
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pulse-rejected-'));
    const data = join(root, 'export');
    await mkdir(data);
    const csv = join(data, 'report1793000000000.csv');
    await copyFile(join(FIXTURES, 'mapping-salesforce', 'report1793000000000.csv'), csv);
    await appendFile(
      csv,
      '"Ada Lovelace","Bad Co","Bad - 1","New Customer","Web","900.00","100","Q4-2026","40","13/45/2026","9/1/2026","Closed Won","0065g00000Q9AAA"\n',
    );
    run = await runReport(monthly, {
      dataDir: data,
      mapping: 'salesforce',
      allowRejects: true,
      timeZone: 'UTC',
      now: TEST_NOW,
      period: parsePeriod('2026-10'),
    });
    const written = await writeReportOutputs(run, { outRoot: join(root, 'out') });
    for (const name of ['index.html', 'email.html', 'email.txt']) {
      files[name] = await readFile(join(written.dir, name), 'utf8');
    }
  }, 60_000);
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('says the same count everywhere, and never that every row passed', () => {
    const rejected = run.document.dataQuality?.rejected;
    expect(rejected?.rows).toBeGreaterThan(0);
    const label = `${rejected?.rows} ${rejected?.rows === 1 ? 'row' : 'rows'} rejected (`;
    expect(run.document.rejectedRows?.label.startsWith(label)).toBe(true);
    expect(rejected?.label).toBe(run.document.rejectedRows?.label);
    const shown = run.document.rejectedRows?.label ?? '';
    const page = files['index.html'] ?? '';
    // Body (the data-quality cell), banner (over 1 %) and footer.
    expect(page).toContain(`<p>Not every row passed the data contract: ${shown}, left out of every number`);
    // The banner names the cause, with its count, after the label.
    expect(page).toMatch(
      new RegExp(
        `<p class="data-banner" role="note">${shown.replace(/[()]/g, '\\$&')}: \\d+ [a-z ]+ \\(opportunities`,
      ),
    );
    expect(page).toContain(`<p class="rejected-rows">${shown}: left out of every number in this report`);
    for (const text of [page, files['email.html'] ?? '', files['email.txt'] ?? '']) {
      expect(text).not.toContain('Every row of the data passed');
      // Every mention of rejected rows carries the one label.
      const mentions = text.match(/[\d,.]+ rows? rejected \([^)]*\)/g) ?? [];
      expect(mentions.length).toBeGreaterThan(0);
      expect(new Set(mentions)).toEqual(new Set([shown]));
    }
    expect(files['email.txt']).toContain(`${shown}: left out of every number in this report`);
  });

  it('writes the count in the report locale from the same summary', () => {
    const notes = describeRejectedRows(
      { rejected: { rows: 1234, total: 333_333, share: 0.0037, banner: false } },
      'de-DE',
    );
    expect(notes.label).toBe('1.234 rows rejected (0,37 %)');
    expect(notes.banner).toBe('');
    expect(notes.footer).toBe(
      '1.234 rows rejected (0,37 %): left out of every number in this report for data errors.',
    );
    const clean = describeRejectedRows({ rejected: { rows: 0, total: 10, share: 0, banner: false } });
    expect([clean.label, clean.footer, clean.banner]).toEqual(['', '', '']);
    expect(clean.contract).toMatch(/^Every row of the data passed the data contract/);
  });
});

// A mapping whose `where` leaves rows out: no row fails the contract, yet the numbers are of a
// part of the export, which the reader must be told rather than that every row passed.
describe('a report on an export the mapping filtered', () => {
  let root: string;
  let run: ReportRun;
  const files: Record<string, string> = {};
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pulse-left-out-'));
    const data = join(root, 'export');
    await mkdir(data);
    const rows = ['opportunity_id,created_at,closed_at,status,amount,stage'];
    for (let i = 1; i <= 20; i++) {
      rows.push(
        `O${i},2026-09-0${(i % 9) + 1},2026-10-1${i % 10},${i % 2 ? 'won' : 'lost'},${i * 100},Closed`,
      );
    }
    for (let i = 21; i <= 23; i++) rows.push(`O${i},2026-09-01,,open,,Prospecting`);
    await writeFile(join(data, 'deals.csv'), `${rows.join('\n')}\n`);
    const mapping = join(root, 'mapping.json');
    await writeFile(
      mapping,
      JSON.stringify({ tables: { opportunities: { files: 'deals.csv', where: "stage <> 'Prospecting'" } } }),
    );
    const definition = defineReport({
      name: 'tiny',
      title: 'Tiny report',
      grain: 'month',
      build: async (r) => r.markdown(r.rejectedRows.contract),
    });
    run = await runReport(definition, {
      dataDir: data,
      mapping,
      timeZone: 'UTC',
      now: TEST_NOW,
      period: parsePeriod('2026-10'),
    });
    const written = await writeReportOutputs(run, { outRoot: join(root, 'out') });
    for (const name of ['index.html', 'email.html', 'email.txt']) {
      files[name] = await readFile(join(written.dir, name), 'utf8');
    }
  }, 60_000);
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('names the rows left out, the file and the condition in the body and both footers', () => {
    // Handlebars escapes the quotes of the footer (&#x27;), the Markdown of the body as &#39;.
    const said = '3 rows of deals.csv left out by the mapping (stage &lt;&gt; &#x27;Prospecting&#x27;).';
    expect(files['index.html']).toContain(`<p class="rejected-rows">${said}</p>`);
    expect(files['index.html']).toContain(
      'Every row the mapping kept passed the data contract: KPIs are never computed from rows that failed it',
    );
    expect(files['index.html']).toContain(
      '3 rows of deals.csv left out by the mapping (<code>stage &lt;&gt; &#39;Prospecting&#39;</code>).',
    );
    expect(files['email.html']).toContain(said);
    expect(files['email.txt']).toContain(
      "3 rows of deals.csv left out by the mapping (stage <> 'Prospecting').",
    );
    for (const text of Object.values(files)) expect(text).not.toContain('Every row of the data passed');
  });
});

describe('what the banner says about rejected rows', () => {
  const check = (rule: ProblemRule, column: string, count: number, severity: Severity = 'error') => ({
    severity,
    table: 'opportunities',
    column,
    rule,
    count,
  });

  it('names the main causes with their counts, the most frequent first', () => {
    const notes = describeRejectedRows({
      rejected: {
        rows: 1701,
        total: 8300,
        share: 1701 / 8300,
        banner: true,
        tables: [{ table: 'opportunities', rows: 1701, total: 8300 }],
      },
      checks: [
        check('foreign_key', 'owner_id', 900, 'warning'),
        check('unknown_value', 'status', 3),
        check('won_without_amount', 'amount', 1695),
        check('duplicate_key', 'opportunity_id', 2),
        check('unparsable', 'closed_at', 1),
      ],
    });
    expect(notes.banner).toBe(
      '1,701 rows rejected (20 % of opportunities): 1,695 won deals without an amount (opportunities.amount), 3 values that are not allowed (opportunities.status), 2 duplicate keys (opportunities.opportunity_id) and 1 more cause. The numbers below are computed from the other rows; pulse check lists every rejected row.',
    );
  });

  it('measures the share against the rows of the tables the rejects came from', () => {
    // One file of 7,043 rows read into three tables: 11 rejected orders are not 0.052 %.
    const notes = describeRejectedRows({
      rejected: {
        rows: 11,
        total: 21_129,
        share: 11 / 21_129,
        banner: false,
        tables: [{ table: 'orders', rows: 11, total: 7043 }],
      },
    });
    expect(notes.label).toBe('11 rows rejected (0.16 % of orders)');
  });
});
