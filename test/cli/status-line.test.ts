import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { keepKpiCount, kpiCountKey, lastKpiCount } from '../../lib/cli/kpi-count.ts';
import { createStatusLine } from '../../lib/cli/status-line.ts';
import { SAMPLE_DATA_DIR, TOOLKIT_ROOT } from '../../lib/paths.ts';
import { FIXTURES } from '../helpers.ts';

const SALES = join(FIXTURES, 'sales');

const ERASE = '\r\x1b[K';

function fakeTerminal(isTty: boolean, env: Record<string, string> = {}) {
  let clock = 0;
  const out: string[] = [];
  const status = createStatusLine((t) => out.push(t), { isTty, env, columns: 60, now: () => clock });
  return { status, out, advance: (ms: number) => (clock += ms) };
}

describe('the status line', () => {
  it('stays silent for a quick run, then shows the step in place, keeps printed lines above it, and is erased', () => {
    const { status, out, advance } = fakeTerminal(true);
    status.update({ stage: 'read', table: 'orders', n: 1, of: 3 });
    expect(out).toEqual([]);
    advance(1600);
    status.update({ stage: 'check', table: 'orders', n: 1, of: 3 });
    expect(out).toEqual([`${ERASE}checking orders against the contract (table 1 of 3)`]);
    status.print('  ✓ Headline  120 ms\n');
    expect(out.slice(1)).toEqual([
      ERASE,
      '  ✓ Headline  120 ms\n',
      `${ERASE}checking orders against the contract (table 1 of 3)`,
    ]);
    status.update({ stage: 'kpi', kpi: 'close_rate', n: 12, by: 'segment' });
    expect(out.at(-1)).toBe(`${ERASE}KPI 12: close_rate by segment`);
    // Cut to the terminal's width.
    status.update({ stage: 'kpi', kpi: 'x'.repeat(100), n: 13 });
    expect(out.at(-1)).toBe(`${ERASE}KPI 13: ${'x'.repeat(50)}…`);
    status.done();
    expect(out.at(-1)).toBe(ERASE);
  });

  it('says of about how many KPIs when the report said last time, and no more once past it', () => {
    let clock = 0;
    const out: string[] = [];
    const status = createStatusLine((t) => out.push(t), {
      isTty: true,
      columns: 80,
      now: () => clock,
      kpisExpected: 50,
    });
    clock = 2000;
    status.update({ stage: 'kpi', kpi: 'close_rate', n: 12, by: 'segment' });
    expect(out.at(-1)).toBe(`${ERASE}KPI 12 of about 50: close_rate by segment`);
    status.update({ stage: 'kpi', kpi: 'nps', n: 51 });
    expect(out.at(-1)).toBe(`${ERASE}KPI 51: nps`);
  });

  it('never writes when stderr is not a terminal, or when PULSE_PROGRESS_AFTER_MS is off', () => {
    for (const { status, out, advance } of [
      fakeTerminal(false),
      fakeTerminal(true, { PULSE_PROGRESS_AFTER_MS: 'off' }),
    ]) {
      advance(60_000);
      status.update({ stage: 'render', what: 'the e-mail' });
      status.print('a line\n');
      status.done();
      expect(out.filter((t) => t.includes('\x1b'))).toEqual([]);
    }
  });

  it('shows no control character a KPI file name could carry', () => {
    const { status, out, advance } = fakeTerminal(true, { PULSE_PROGRESS_AFTER_MS: '0' });
    advance(1);
    status.update({ stage: 'kpi', kpi: 'evil\x1b]0;title\x07', n: 1 });
    expect(out.at(-1)).toBe(`${ERASE}KPI 1: evil?]0;title?`);
  });
});

describe('tsx reports/monthly.ts', () => {
  const run = promisify(execFile);
  const tsx = join(TOOLKIT_ROOT, 'node_modules', '.bin', 'tsx');
  const env = (out: string) => ({
    ...process.env,
    PULSE_OUT_DIR: out,
    PULSE_CACHE: 'off',
    PULSE_PROGRESS_AFTER_MS: '0',
  });

  it('on a terminal, shows what it is doing as it goes: tables read and checked, KPIs, rendering', async () => {
    const out = await mkdtemp(join(tmpdir(), 'pulse-status-'));
    // What the report computed last time (kept by the run before): this run says "of about 7".
    const state = join(out, 'state');
    await mkdir(state);
    // Kept per report and data: another export's count is not this one's.
    const key = kpiCountKey({ report: 'monthly', dataDir: SALES });
    const other = kpiCountKey({ report: 'monthly', dataDir: SAMPLE_DATA_DIR });
    await writeFile(join(state, 'kpi-counts.json'), JSON.stringify({ [key]: 7, [other]: 3 }));
    // A real terminal: util-linux `script` runs the report on a pseudo-terminal.
    // A small export keeps it quick; every step is shown at once (PULSE_PROGRESS_AFTER_MS=0).
    const { stdout } = await run(
      'script',
      ['-qec', `${tsx} reports/monthly.ts --data ${SALES}`, '/dev/null'],
      {
        cwd: TOOLKIT_ROOT,
        env: { ...env(out), PULSE_STATE_DIR: state },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const status = (text: string) => new RegExp(`\r\u001b\\[K${text}`);
    expect(stdout).toMatch(status(String.raw`reading orders \(table \d+ of 6\)`));
    expect(stdout).toMatch(status(String.raw`checking activities against the contract \(table \d+ of 6\)`));
    expect(stdout).toMatch(status(String.raw`KPI \d+: close_rate`));
    expect(stdout).toMatch(status('KPI [1-7] of about 7: '));
    // And this run's count is kept for the next.
    const kept = JSON.parse(await readFile(join(state, 'kpi-counts.json'), 'utf8'));
    expect(kept[key]).toBeGreaterThan(7);
    expect(kept[other]).toBe(3);
    expect(stdout).toMatch(status(`KPI ${kept[key]}: `));
    expect(stdout).toMatch(status('rendering the e-mail and its chart images'));
    expect(stdout).toContain('index.html');
  }, 120_000);

  it('piped, writes no status at all', async () => {
    const out = await mkdtemp(join(tmpdir(), 'pulse-status-'));
    const { stdout, stderr } = await run(tsx, ['reports/monthly.ts', '--data', SALES], {
      cwd: TOOLKIT_ROOT,
      env: env(out),
    });
    expect(stdout).toContain('index.html');
    expect(`${stdout}${stderr}`).not.toContain('\u001b');
    expect(`${stdout}${stderr}`).not.toMatch(/reading orders|KPI \d+:/);
  }, 120_000);
});

describe('the KPI count kept for "of about"', () => {
  it('is kept per report, params and data, the most recent hundred', async () => {
    const state = await mkdtemp(join(tmpdir(), 'pulse-counts-'));
    const key = (n: number) => kpiCountKey({ report: 'monthly', dataDir: `/exports/${n}` });
    for (let n = 0; n < 105; n++) await keepKpiCount(state, key(n), n + 1); // 0 to 4 dropped
    await keepKpiCount(state, key(5), 42); // the oldest run again: now the most recent
    await keepKpiCount(state, key(105), 106); // drops the oldest, which is now 6
    expect(await lastKpiCount(state, key(4))).toBeUndefined();
    expect(await lastKpiCount(state, key(5))).toBe(42);
    expect(await lastKpiCount(state, key(6))).toBeUndefined();
    expect(await lastKpiCount(state, key(7))).toBe(8);
    expect(await lastKpiCount(state, key(105))).toBe(106);
    expect(Object.keys(JSON.parse(await readFile(join(state, 'kpi-counts.json'), 'utf8')))).toHaveLength(100);
    expect(
      kpiCountKey({ report: 'monthly', paramsFolder: 'region=EMEA', dataDir: '/d', mapping: '/m.json' }),
    ).toBe('monthly/region=EMEA @ /d (mapping /m.json)');
  });
});

describe('pulse report on a terminal', () => {
  it('rewrites its status line in place, its control sequences raw and what it prints escaped', async () => {
    const { runCli } = await import('../../lib/cli/run-cli.ts');
    const out = await mkdtemp(join(tmpdir(), 'pulse-status-cli-'));
    const stderr: string[] = [];
    const code = await runCli(['report', 'monthly', '--data', SALES, '--out', out], {
      stdout: () => {},
      stderr: (t) => stderr.push(t),
      env: { PULSE_PROGRESS_AFTER_MS: '0', PULSE_CACHE: 'off', PULSE_STATE_DIR: join(out, 'state') },
      cwd: out,
      isTty: true,
    });
    expect(code).toBe(0);
    const written = stderr.join('');
    expect(written).toContain('\r\u001b[KKPI ');
    expect(written).not.toContain('\\u001b');
    expect(written).not.toContain('\\r');
  }, 60_000);
});
