import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../lib/cli/options.ts';
import { runCli } from '../../lib/cli/run-cli.ts';
import type { Dataset } from '../../lib/data/dataset.ts';
import { parsePeriod } from '../../lib/kpi/period.ts';
import { runKpiCompared } from '../../lib/kpi/run-compared.ts';
import { readTargets } from '../../lib/kpi/targets.ts';
import { SAMPLE_DATA_DIR, TOOLKIT_ROOT } from '../../lib/paths.ts';
import { FIXTURES, openFixture, TEST_NOW, testCatalog } from '../helpers.ts';
import { pulse } from '../support/cli.ts';

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: { PULSE_NOW: TEST_NOW },
    cwd: TOOLKIT_ROOT,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe('pulse kpi on the embedded sample', () => {
  let sample: Dataset;
  beforeAll(async () => {
    sample = await openFixture(SAMPLE_DATA_DIR);
  });
  afterAll(() => sample.close());

  it('prints, for every KPI, JSON that equals what the library returns', async () => {
    const catalog = await testCatalog();
    const span = parsePeriod('2026-10');
    const ids = catalog.kpis.map((k) => k.id);
    const { code, stdout } = await cli('kpi', ...ids, '--period', '2026-10', '--format', 'json');
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as Record<string, unknown>[];
    const expected = [];
    const targets = await readTargets(sample);
    for (const id of ids) {
      const result = await runKpiCompared(sample, catalog.get(id), { span }, targets);
      expect(result.available, `${id} should be available on the sample`).toBe(true);
      if (result.available) expected.push(...result.compared);
    }
    expect(printed).toEqual(JSON.parse(JSON.stringify(expected)));
    for (const row of printed) expect(row).toHaveProperty('period_start', '2026-10-01');
    expect(new Set(printed.map((r) => r.id))).toEqual(new Set(ids));
  });

  it('defaults to the last complete month in the data and says so on stderr', async () => {
    const { code, stdout, stderr } = await cli('kpi', 'close_rate');
    expect(code).toBe(0);
    expect(stderr).toMatch(
      /period: October 2026, the last complete month in the data \(data as of 2026-10-31\)/,
    );
    expect(stdout).toMatch(
      /^Close rate \(close_rate\)\nperiod\s+value\s+vs previous\s+vs last year\s+target\s+numerator\s+denominator\n/,
    );
    expect(stdout).toMatch(/2026-10\s+\d+\.\d %/);
  });

  it('breaks down with --by into a field named after the dimension', async () => {
    const { stdout } = await cli(
      'kpi',
      'close_rate',
      '--period',
      '2026-Q3',
      '--by',
      'segment',
      '--format',
      'json',
    );
    const rows = JSON.parse(stdout) as Record<string, unknown>[];
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) expect(row).toHaveProperty('segment');
  });

  it('writes CSV with a header row', async () => {
    const { stdout } = await cli(
      'kpi',
      'close_rate',
      '--from',
      '2026-01-01',
      '--to',
      '2026-04-01',
      '--grain',
      'month',
      '--format',
      'csv',
    );
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'id,period_start,period_end,value,numerator,denominator,previous_value,change,relative_change,change_is_good,year_ago_value,yoy_change,yoy_relative_change,yoy_is_good,target,attainment,on_track',
    );
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
  });
});

describe('pulse on other folders', () => {
  it('computes what a single table allows and says what the rest needs', async () => {
    const { code, stdout } = await cli(
      'kpi',
      'close_rate',
      'retention_rate',
      '--data',
      `${FIXTURES}/close-rate`,
      '--period',
      '2026-10',
      '--format',
      'json',
    );
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Record<string, unknown>[];
    expect(rows[0]).toMatchObject({ id: 'close_rate', value: 0.5 });
    const retention = rows.find((r) => r.id === 'retention_rate');
    expect(retention).toMatchObject({ value: null, available: false });
  });

  it('check exits 2 on contract errors and 0 on clean data', async () => {
    const bad = await cli('check', '--data', `${FIXTURES}/contract-errors`);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/opportunities\s+8\s+\d+\s+\d+/);
    expect(bad.stdout).toMatch(/line 8, column status: "wonn", expected one of open, won, lost/);
    const good = await cli('check', '--data', `${FIXTURES}/close-rate`);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/0 errors, 0 warnings/);
  });

  it('check names every file it did not use and why, and fails a folder that yields no table', async () => {
    const data = `${FIXTURES}/mapping-cdnow`;
    const bare = await cli('check', '--data', data);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toContain('files not used (1):\n  CDNOW_master.txt: not CSV or Parquet by its name');
    expect(bare.stdout).toMatch(
      /suggestion: columns separated by spaces, no header line \(read with "csv": \{"delimiter":"whitespace","header":false,/,
    );
    expect(bare.stdout).toMatch(/error \(data folder\): no table is read in .*mapping-cdnow/);
    const json = JSON.parse((await cli('check', '--data', data, '--format', 'json')).stdout);
    expect(json).toMatchObject({
      ok: false,
      unusedFiles: [{ file: 'CDNOW_master.txt', reason: 'not_csv_or_parquet' }],
      problems: [{ rule: 'no_tables', severity: 'error' }],
    });
    const mapped = await cli('check', '--data', data, '--mapping', `${data}.json`);
    expect(mapped.code).toBe(0);
    expect(mapped.stdout).toMatch(/customers\s+5\s+0\s+0\s+1997-01-12\s+\(from orders\)/);
    expect(mapped.stdout).toContain('orders: 10 rows of');
    expect(mapped.stdout).toContain('Customers derived from the first order in CDNOW_master.txt');
    expect(mapped.stdout).not.toContain('files not used');
  });

  it('refuses to compute KPIs from broken data and points at pulse check', async () => {
    const { code, stderr } = await cli(
      'kpi',
      'close_rate',
      '--data',
      `${FIXTURES}/contract-errors`,
      '--period',
      '2026-10',
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/no KPI is computed from broken data. Run `pulse check --data .*contract-errors`/);
  });

  it('answers bad usage with exit 2 and a hint', async () => {
    expect(await cli('kpi', 'close_rte')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown KPI "close_rte"; did you mean close_rate/),
    });
    expect(await cli('kpi', 'close_rate', '--period', 'October')).toMatchObject({ code: 2 });
    expect(await cli('kpi', 'close_rate', '--format', 'xml')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/table, json, csv/),
    });
    expect(await cli('frobnicate')).toMatchObject({ code: 2 });
  });

  it('computes periods of years 0001 to 9998 only, and refuses others as bad usage', async () => {
    const kpi = (...period: string[]) =>
      cli('kpi', 'close_rate', '--data', `${FIXTURES}/close-rate`, ...period, '--format', 'json');
    // A valid period, but long before the data: no data, said with the range the data covers.
    const first = await kpi('--period', '0001-01');
    expect(first).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/no data for January 0001: the data covers/),
    });
    const whole = await kpi('--from', '0001-01-01', '--to', '9999-01-01');
    expect(JSON.parse(whole.stdout)).toMatchObject([
      { period_start: '0001-01-01', period_end: '9999-01-01' },
    ]);
    for (const period of [
      ['--period', '9999-12'],
      ['--period', '9999-W52'],
      ['--period', '0000-12'],
    ]) {
      expect(await kpi(...period), period.join(' ')).toMatchObject({
        code: 2,
        stdout: '',
        stderr: expect.stringMatching(/is out of range: periods go from year 0001 to 9998/),
      });
    }
    expect(await kpi('--from', '2026-01-01', '--to', '10000-01-01')).toMatchObject({ code: 2 });
  });

  it('runs ad-hoc SQL with typed parameters', async () => {
    const { code, stdout } = await cli(
      'query',
      'select count(*) as n from opportunities where amount >= $min',
      '--param',
      'min=100',
      '--data',
      `${FIXTURES}/close-rate`,
      '--format',
      'json',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([{ n: 3 }]);
  });

  it('keeps every digit of a long numeric --param', async () => {
    const { code, stdout } = await cli(
      'query',
      "select $x::VARCHAR as v, $x = '12345678901234567' as same, $x::DECIMAL(38, 0)::VARCHAR as d",
      '--param',
      'x=12345678901234567',
      '--data',
      `${FIXTURES}/close-rate`,
      '--format',
      'json',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([{ v: '12345678901234567', same: true, d: '12345678901234567' }]);
  });

  it('keeps every digit of a long integer in a result, and gives the others as numbers', async () => {
    const { code, stdout } = await cli(
      'query',
      'select 12345678901234567::BIGINT as id, 42::BIGINT as n, 12.50::DECIMAL(18, 2) as m',
      '--data',
      `${FIXTURES}/close-rate`,
      '--format',
      'json',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([{ id: '12345678901234567', n: 42, m: 12.5 }]);
  });

  it('computes a KPI with a number --param, and refuses one with more digits than a number keeps', async () => {
    const run = (limit: string) =>
      cli('kpi', 'tickets_over_sla', '--data', `${FIXTURES}/ops`, '--period', '2026-10', '--param', limit);
    const one = await run('limit=1');
    expect(one.code).toBe(0);
    const all = await run('limit=100');
    expect(all.stdout.split('\n').length).toBeGreaterThan(one.stdout.split('\n').length);
    const long = await run('limit=12345678901234567');
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(
      /parameter limit: "12345678901234567" has more digits than a number parameter keeps/,
    );
  });
});

describe('the installed command', () => {
  it('runs as bin/pulse.js', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [`${TOOLKIT_ROOT}/bin/pulse.js`, 'list', '--format', 'json'],
      {
        cwd: TOOLKIT_ROOT,
      },
    );
    const list = JSON.parse(stdout) as { id: string }[];
    expect(list.map((k) => k.id)).toContain('close_rate');
  });
});

describe('pulse kpi --param region=...', () => {
  const scoped = (...extra: string[]) =>
    cli('kpi', 'revenue', 'new_leads', '--data', `${FIXTURES}/scope`, '--period', '2026-10', ...extra);

  it("computes the scope's own numbers, says the scope, and which KPIs stay company-wide", async () => {
    const { code, stdout, stderr } = await scoped('--param', 'region=EMEA', '--format', 'json');
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as { id: string; value: number }[];
    // EMEA is C1 and C2: October orders O1 (1,000) and O2 (250).
    expect(rows.find((r) => r.id === 'revenue')?.value).toBe(1250);
    expect(stderr).toContain('scope: region EMEA (2 of 6 customers)');
    expect(stderr).toContain('company-wide, not split by region: new_leads');
    const whole = JSON.parse((await scoped('--format', 'json')).stdout) as { id: string; value: number }[];
    expect(whole.find((r) => r.id === 'revenue')?.value).toBe(2350);
    expect(rows.find((r) => r.id === 'new_leads')?.value).toBe(
      whole.find((r) => r.id === 'new_leads')?.value,
    );
  });

  it('refuses a value no customer has, naming the values there are', async () => {
    const { code, stderr } = await scoped('--param', 'region=emea');
    expect(code).not.toBe(0);
    expect(stderr).toContain('did you mean "EMEA"');
  });
});

describe('pulse kpi in a currency and locale', () => {
  it('prints the table in PULSE_CURRENCY with PULSE_LOCALE digits; JSON stays exact', async () => {
    const env = { PULSE_CURRENCY: 'EUR', PULSE_LOCALE: 'de-DE' };
    const table = await pulse(['kpi', 'revenue', 'close_rate', '--period', '2026-10'], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('9.037.352\u00a0€');
    expect(table.stdout).toContain('26,4 %');
    expect(table.stdout).not.toContain('$');
    const json = await pulse(['kpi', 'revenue', '--period', '2026-10', '--format', 'json'], env);
    expect((JSON.parse(json.stdout) as { value: number }[])[0]?.value).toBe(9_037_351.67);
  });

  it('refuses a currency or locale it cannot write, before reading data', async () => {
    const currency = await pulse(['kpi', 'revenue'], { PULSE_CURRENCY: 'EURO' });
    expect([currency.code, currency.stderr]).toEqual([2, expect.stringMatching(/PULSE_CURRENCY "EURO"/)]);
    const locale = await pulse(['kpi', 'revenue'], { PULSE_LOCALE: 'xx-YY' });
    expect([locale.code, locale.stderr]).toEqual([2, expect.stringMatching(/PULSE_LOCALE "xx-YY"/)]);
  });
});
