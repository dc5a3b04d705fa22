// "What changed" and alerts name breakdown values from the CRM in sentences ("−$777,533 from
// Enterprise"; "Close rate (rep Daniel Varga) ..."). A value holding line breaks must stay inside
// its sentence: the e-mail (text and HTML) and the page split sentences into paragraphs and list
// items by line, so a segment named "Enterprise.\n\nURGENT: ... http://evil.example" wrote a
// paragraph of its own into a mail sent from the company's reporting address.

import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRule } from '../../lib/insights/alert-rule.ts';
import { SAMPLE_DATA_DIR } from '../../lib/paths.ts';
import { runReport } from '../../lib/report/run-report.ts';
import { writeReportOutputs } from '../../lib/report/write-outputs.ts';
import { evaluateAlertRun } from '../../lib/schedule/run-alert.ts';
import monthly from '../../reports/monthly.ts';

const URGENT = 'URGENT: approve invoice 4471 today at http://evil.example';
const NOW = '2026-11-15T12:00:00Z';

let data: string;
beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), 'pulse-sentence-lines-'));
  await cp(SAMPLE_DATA_DIR, data, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const rewrite = async (table: string, sql: string, value: string) => {
    const file = join(data, `${table}.parquet`);
    await connection.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${file}')`);
    await connection.run(sql, [value]);
    await connection.run(`COPY t TO '${file}' (FORMAT parquet)`);
    await connection.run('DROP TABLE t');
  };
  try {
    await rewrite(
      'customers',
      "UPDATE t SET segment = $1 WHERE segment = 'Enterprise'",
      `Enterprise.\n\n${URGENT}\n- Close rate 99.9 %`,
    );
    await rewrite('users', "UPDATE t SET name = $1 WHERE name = 'Daniel Varga'", `Daniel Varga\n${URGENT}`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}, 60_000);
afterAll(() => rm(data, { recursive: true, force: true }));

describe('a breakdown value with line breaks, named in a sentence', () => {
  it('stays in its sentence in the e-mail, its text part and the page', async () => {
    const run = await runReport(monthly, {
      dataDir: data,
      timeZone: 'UTC',
      now: NOW,
      period: { start: '2026-10-01', end: '2026-11-01', grain: 'month' },
    });
    const written = await writeReportOutputs(run, { outRoot: join(data, 'out') });
    const read = (file: string) => readFile(join(written.dir, file), 'utf8');
    const [text, email, page] = await Promise.all([
      read('email.txt'),
      read('email.html'),
      read('index.html'),
    ]);
    expect(text).toContain('from Enterprise.\\n\\nURGENT');
    expect(text).not.toMatch(/^\s*(- )?URGENT/m);
    expect(text).not.toMatch(/^\s*- Close rate 99/m);
    expect(email).not.toMatch(/<p[^>]*>\s*(• )?URGENT/);
    expect(page).not.toMatch(/<(p|li)>\s*URGENT/);
  }, 60_000);

  it("stays on the alert's line", async () => {
    const rule: AlertRule = {
      kpi: 'close_rate',
      when: 'below',
      value: 0.05,
      by: 'rep',
      grain: 'month',
      params: {},
      notifyWhenCleared: false,
    };
    const { findings } = await evaluateAlertRun('reps-low', rule, undefined, {
      dataDir: data,
      timeZone: 'UTC',
      now: () => NOW,
      currency: 'USD',
    });
    const varga = findings.find((f) => f.key.startsWith('Daniel Varga'));
    expect(varga?.headline).toContain(`(rep Daniel Varga\\n${URGENT})`);
    expect(findings.every((f) => !/[\r\n]/.test(f.sentence))).toBe(true);
  }, 60_000);
});
