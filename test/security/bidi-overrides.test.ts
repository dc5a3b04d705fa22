// A value of the CRM may hold the marks that reverse a run of text (U+202E, RIGHT-TO-LEFT
// OVERRIDE, and its kin): a segment named "Enterprise\u202e%0.09 etar esolC" reads, on a page or
// in an e-mail, as "Enterprise Close rate 90.0%". The terminal escaped them already; the page, the
// e-mail (HTML, text and subject) and the charts now show them escaped too, and keep the weak
// marks right-to-left names need.

import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlertText } from '../../lib/deliver/alert.ts';
import { buildIndexPage, buildPreviewPage, buildSqlPage } from '../../lib/dev/pages.ts';
import { showBidiOverrides } from '../../lib/format/control-characters.ts';
import { parseKpiFile } from '../../lib/kpi/definition.ts';
import { SAMPLE_DATA_DIR } from '../../lib/paths.ts';
import { emailSubject } from '../../lib/render/email-html.ts';
import { runReport } from '../../lib/report/run-report.ts';
import { writeReportOutputs } from '../../lib/report/write-outputs.ts';
import { buildDerivedRecipients } from '../../lib/schedule/recipients-from.ts';
import monthly from '../../reports/monthly.ts';

const OVERRIDES = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];
const RLO = '\u202e';
const NOW = '2026-11-15T12:00:00Z';

describe('the marks that reverse a run of text', () => {
  it('are shown escaped, every one of them, and no other character of the BMP is touched', () => {
    const escaped: number[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCharCode(code);
      if (showBidiOverrides(`a${char}b`) !== `a${char}b`) escaped.push(code);
    }
    expect(escaped).toEqual(OVERRIDES);
    expect(showBidiOverrides(`Acme${RLO}redrO`)).toBe('Acme\\u202eredrO');
    // Right-to-left names keep their weak marks (LRM, RLM, ALM).
    expect(showBidiOverrides('שלום\u200f 2026\u200e \u061c')).toBe('שלום\u200f 2026\u200e \u061c');
  });

  it('stay out of a subject', () => {
    const subject = emailSubject({
      title: 'CRM monthly report',
      periodLabel: 'October 2026',
      subject: `Close rate (rep Daniel${RLO}agraV) is below 5 %`,
    });
    expect(subject).toBe('Close rate (rep Daniel\\u202eagraV) is below 5 %');
  });
});

describe("the owner's alert e-mail", () => {
  it('shows them escaped: a run failure or a skipped address quotes the data', () => {
    const { subject, text } = buildAlertText({
      summary: `weekly (sales, 2026-W44): the run failed on ${RLO}gnorw`,
      details: [
        `recipientsFrom row 3: address "ana${RLO}moc.live@x.com" has an invalid part before the @; skipped`,
      ],
      fix: ['fix the addresses in the data'],
    });
    expect(subject).toBe('[crm-pulse] weekly (sales, 2026-W44): the run failed on \\u202egnorw');
    expect(text).toContain('address "ana\\u202emoc.live@x.com"');
    for (const out of [subject, text])
      expect([...out].filter((c) => OVERRIDES.includes(c.codePointAt(0) ?? 0))).toEqual([]);
  });
});

describe('a recipient named by the data', () => {
  it("has them escaped in the To: line's name", () => {
    const { recipients } = buildDerivedRecipients([{ address: 'ana@example.com', name: `Ana${RLO}ziuR` }]);
    expect(recipients[0]?.address.name).toBe('Ana\\u202eziuR');
  });
});

describe('pulse dev', () => {
  it("shows them escaped in a KPI's title and the report's on its pages", () => {
    const parsed = parseKpiFile(
      'queries/sales/demo.sql',
      `-- title: Won${RLO}tsol\n-- unit: count\n-- direction: up\nSELECT 1 AS value\n`,
    );
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const status = {
      version: 0,
      running: true,
      report: 'x',
      reports: ['x'],
      periods: [],
      params: {},
      session: 's',
    };
    const index = buildIndexPage({ status, kpis: [parsed.definition], shortPath: (p) => p });
    expect(index).toContain('Won\\u202etsol');
    const preview = buildPreviewPage(undefined, { ...status, title: `Acme${RLO}emca` });
    expect(preview).toContain('<h1>Acme\\u202eemca</h1>');
  });

  it("shows them escaped in the scratchpad's KPI picker, and keeps the SQL in the editor as it runs", () => {
    const parsed = parseKpiFile(
      'queries/sales/demo.sql',
      `-- title: Won${RLO}tsol\n-- unit: count\n-- direction: up\nSELECT 1 AS value WHERE 'a' <> '${RLO}'\n`,
    );
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const page = buildSqlPage({ kpis: [parsed.definition], tables: [], selected: 'demo', periodNote: 'x' });
    expect(page).toContain('>demo: Won\\u202etsol</option>');
    expect(page).toContain(`WHERE &#39;a&#39; &lt;&gt; &#39;${RLO}&#39;</textarea>`);
  });
});

describe('a breakdown value holding one, in a report', () => {
  let data: string;
  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'pulse-bidi-'));
    await cp(SAMPLE_DATA_DIR, data, { recursive: true });
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const file = join(data, 'customers.parquet');
      await connection.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${file}')`);
      await connection.run("UPDATE t SET segment = $1 WHERE segment = 'Enterprise'", [
        `Enterprise${RLO}%0.09 etar esolC`,
      ]);
      await connection.run(`COPY t TO '${file}' (FORMAT parquet)`);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }, 60_000);
  afterAll(() => rm(data, { recursive: true, force: true }));

  it('is shown escaped on the page, in its charts and in the e-mail, its text and subject', async () => {
    const run = await runReport(monthly, {
      dataDir: data,
      timeZone: 'UTC',
      now: NOW,
      period: { start: '2026-10-01', end: '2026-11-01', grain: 'month' },
    });
    const written = await writeReportOutputs(run, { outRoot: join(data, 'out') });
    const read = (file: string) => readFile(join(written.dir, file), 'utf8');
    const outputs = {
      page: await read('index.html'),
      email: await read('email.html'),
      text: await read('email.txt'),
    };
    // The value is named somewhere in each (a breakdown chart, a sentence of what changed).
    expect(outputs.page).toContain('Enterprise\\u202e%0.09 etar esolC');
    expect(outputs.email + outputs.text).toContain('Enterprise\\u202e');
    for (const [name, text] of Object.entries(outputs)) {
      const raw = [...text].filter((c) => OVERRIDES.includes(c.codePointAt(0) ?? 0));
      expect(raw, name).toEqual([]);
    }
  }, 60_000);
});
