import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/data/dataset.ts';
import { endsStatement, runQueryPrompt } from '../../lib/dev/query-prompt.ts';
import { definePeriodMacros } from '../../lib/kpi/run.ts';
import { TOOLKIT_ROOT } from '../../lib/paths.ts';
import { FIXTURES, openFixture, TEST_NOW, testCatalog } from '../helpers.ts';

/** Feeds `lines` to the prompt as piped input and collects what it prints. */
async function session(dataset: Dataset, lines: string, historyFile?: string) {
  const input = new PassThrough();
  let out = '';
  let err = '';
  const done = runQueryPrompt({
    input,
    output: new PassThrough(),
    terminal: false,
    write: (t) => {
      out += t;
    },
    writeError: (t) => {
      err += t;
    },
    dataset,
    catalog: testCatalog,
    params: { start: '2026-10-01', end: '2026-11-01', grain: 'month' },
    ...(historyFile ? { historyFile } : {}),
  });
  input.end(lines);
  await done;
  return { out, err };
}

describe('pulse query with no SQL: the interactive prompt', () => {
  let dataset: Dataset;
  let dir: string;
  beforeAll(async () => {
    dataset = await openFixture('close-rate');
    await definePeriodMacros(dataset.db);
    dir = await mkdtemp(join(tmpdir(), 'pulse-prompt-'));
  });
  afterAll(async () => {
    dataset.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists tables, runs a multi-line statement, describes a table, and keeps going after an error', async () => {
    const history = join(dir, 'query_history');
    const { out, err } = await session(
      dataset,
      [
        '.tables',
        'select segment, count(*) as n',
        'from customers',
        'group by 1 order by 1;',
        '.schema opportunities',
        'select nope from customers;',
        'select 41 + 1 as answer;',
        '.timer on',
        "select count(*) as won from opportunities where status = 'won' and closed_at >= $start::DATE;",
        '.quit',
        'select 1;',
      ].join('\n'),
      history,
    );
    expect(out).toMatch(/^table\s+rows\s+source\n/);
    expect(out).toMatch(/^customers\s+3\s+csv$/m);
    expect(out).toMatch(/^activities\s+0\s+no file \(empty\)$/m);
    expect(out).toContain(
      ['segment     n', '----------  -', 'Enterprise  1', 'SMB         2', '(2 rows)'].join('\n'),
    );
    expect(out).toMatch(/^column_name\s+column_type\s+null$/m);
    expect(out).toMatch(/^amount\s+DECIMAL\(18,2\)\s+YES$/m);
    expect(err).toMatch(/^error: Binder Error: Referenced column "nope" not found/);
    expect(out).toContain('answer\n------\n    42\n(1 row)');
    expect(out).toMatch(/won\n---\n {2}2\n\(1 row in \d+(\.\d)? ms\)/);
    // .quit stops before the last line.
    expect(out.match(/\(\d+ rows?/g)).toHaveLength(3);
    const saved = (await readFile(history, 'utf8')).split('\n');
    expect(saved).toContain('select segment, count(*) as n from customers group by 1 order by 1;');
    expect(saved).toContain('.schema opportunities');
  });

  it("shows a KPI's params, breakdowns and SQL, and says what a command needs", async () => {
    const { out, err } = await session(dataset, '.kpi close_rate\n.kpi nope_rate\n.schema\n.frobnicate\n');
    expect(out).toMatch(/^close_rate: Close rate \(ratio, up is good\)$/m);
    expect(out).toContain('file: queries/sales/close_rate.sql');
    expect(out).toMatch(/^by: .*channel/m);
    expect(out).toMatch(/FROM periods\(\$start, \$end, \$grain\) p/);
    expect(err).toContain('error: unknown KPI "nope_rate"');
    expect(err).toContain('error: .schema TABLE, where TABLE is one of');
    expect(err).toContain('error: unknown command .frobnicate; .help lists them');
  });

  it('ends a statement only at a ; outside strings and comments', () => {
    expect(endsStatement('select 1;')).toBe(true);
    expect(endsStatement("select ';'")).toBe(false);
    expect(endsStatement('select 1 -- done;')).toBe(false);
    expect(endsStatement('select 1; -- done')).toBe(true);
  });

  it('runs as `pulse query` with piped stdin', async () => {
    const child = spawn(process.execPath, [join(TOOLKIT_ROOT, 'bin/pulse.js'), 'query'], {
      cwd: TOOLKIT_ROOT,
      env: {
        ...process.env,
        PULSE_NOW: TEST_NOW,
        PULSE_DATA: join(FIXTURES, 'close-rate'),
        PULSE_STATE_DIR: dir,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.stdin.end(
      '.tables\nselect count(*) as n from customers;\nselect * from nowhere;\nselect 7 as seven;\n',
    );
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(out).toMatch(/^customers\s+3\s+csv$/m);
    expect(out).toContain('n\n-\n3\n(1 row)');
    expect(err).toMatch(/error: Catalog Error: Table with name nowhere does not exist/);
    expect(out).toContain('seven\n-----\n    7\n(1 row)');
  });
});
