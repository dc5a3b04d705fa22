import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/cli/config-file.ts';
import type { CliIo } from '../../lib/cli/options.ts';
import { runCli } from '../../lib/cli/run-cli.ts';
import { FIXTURES, TEST_NOW } from '../helpers.ts';

async function cli(
  cwd: string,
  env: Record<string, string>,
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: { PULSE_NOW: TEST_NOW, ...env },
    cwd,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

const KPI = ['kpi', 'won_revenue', '--period', '2026-10', '--format', 'table'];

describe('pulse.config.json', () => {
  let root: string;
  let project: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pulse-config-'));
    project = join(root, 'project');
    await mkdir(project);
    await cp(join(FIXTURES, 'sales'), join(project, 'exports'), { recursive: true });
    await writeFile(
      join(project, 'pulse.config.json'),
      JSON.stringify({
        data: 'exports',
        currency: 'EUR',
        locale: 'de-DE',
        duckdb: { memory: '1GB', threads: 2 },
      }),
    );
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('in the working folder sets the data folder, currency and locale: € with German digits', async () => {
    const { code, stdout, stderr } = await cli(project, {}, ...KPI);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/2026-10\s+4\.800\s€/);
  });

  it("keeps checked results and KPI rows in the config's state folder", async () => {
    const own = join(root, 'state-project');
    await cp(project, own, { recursive: true });
    await writeFile(join(own, 'pulse.config.json'), JSON.stringify({ data: 'exports', state: 'my-state' }));
    // No cache folder from the environment (the test run sets one): the state folder decides.
    const { code } = await cli(own, { PULSE_CACHE_DIR: '' }, ...KPI);
    expect(code).toBe(0);
    const kept = join(own, 'my-state', 'cache', 'validation');
    expect((await readdir(kept)).some((name) => name.endsWith('.json'))).toBe(true);
    expect((await readdir(join(kept, 'kpi'))).length).toBe(1);
  });

  it('an environment variable overrides the config file', async () => {
    const { code, stdout } = await cli(project, { PULSE_CURRENCY: 'GBP', PULSE_LOCALE: 'en-GB' }, ...KPI);
    expect(code).toBe(0);
    expect(stdout).toMatch(/2026-10\s+£4,800/);
  });

  it('a flag overrides the environment and the config file', async () => {
    const elsewhere = join(FIXTURES, 'close-rate');
    const viaConfig = await cli(project, {}, 'check', '--format', 'json');
    const viaEnv = await cli(project, { PULSE_DATA: join(FIXTURES, 'no-such') }, 'check', '--format', 'json');
    const viaFlag = await cli(
      project,
      { PULSE_DATA: join(FIXTURES, 'no-such') },
      'check',
      '--data',
      elsewhere,
      '--format',
      'json',
    );
    expect(viaConfig.code).toBe(0);
    expect(viaConfig.stdout).toContain(join(project, 'exports'));
    // The environment's folder (which does not exist) wins over the config's...
    expect(viaEnv.code).toBe(2);
    expect(viaEnv.stderr).toContain('no-such');
    // ...and --data over both.
    expect(viaFlag.stdout).toContain(elsewhere);
    expect(viaFlag.stdout).not.toContain(join(project, 'exports'));
    expect(`${viaFlag.stderr}`).not.toContain('no-such');
  });

  it('named by PULSE_CONFIG resolves relative paths against its own folder, not the working one', async () => {
    const { code, stdout } = await cli(root, { PULSE_CONFIG: 'project/pulse.config.json' }, ...KPI);
    expect(code).toBe(0);
    expect(stdout).toMatch(/4\.800\s€/);
    const { env } = parseConfig(
      JSON.stringify({ data: 'd', out: '../out', state: '.pulse', mapping: 'm.json' }),
      '/a/b',
    );
    expect(env).toEqual({
      PULSE_DATA: '/a/b/d',
      PULSE_OUT: '/a/out',
      PULSE_STATE_DIR: '/a/b/.pulse',
      PULSE_MAPPING: '/a/b/m.json',
    });
  });

  it('lists every mistake at once, with a near miss suggested, and exits 2', async () => {
    const broken = join(root, 'broken');
    await mkdir(broken);
    await writeFile(
      join(broken, 'pulse.config.json'),
      JSON.stringify({ curency: 'EUR', locale: 7, timeZone: 'Europe/Berln' }),
    );
    const { code, stderr, stdout } = await cli(broken, {}, ...KPI);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const file = join(broken, 'pulse.config.json');
    expect(stderr).toContain(`the config ${file} has 3 problems`);
    expect(stderr).toContain(`${file}: curency: unknown key; did you mean "currency"?`);
    expect(stderr).toContain(`${file}: locale: expected a locale, e.g. "de-DE", got number 7`);
    expect(stderr).toContain(`${file}: timeZone: not an IANA time zone; expected an IANA time zone`);
    expect(stderr).toContain('got "Europe/Berln"');
    // Help still answers in a folder with a broken config.
    expect((await cli(broken, {}, '--help')).code).toBe(0);
  });

  it('checks duckdb and owner too, with a near miss for a nested key', () => {
    const { issues } = parseConfig(
      JSON.stringify({ owner: 'not an address', duckdb: { memory: 'lots', threads: '2', thread: 1 } }),
      '/x',
    );
    expect(issues.map((i) => i.key)).toEqual(['owner', 'duckdb.memory', 'duckdb.threads', 'duckdb.thread']);
    expect(issues[3]?.message).toContain('did you mean "threads"?');
  });

  it('a missing PULSE_CONFIG file is an error; no config file at all keeps the defaults', async () => {
    const missing = await cli(root, { PULSE_CONFIG: 'nope.json' }, ...KPI);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json (PULSE_CONFIG) cannot be read (ENOENT)');
    const none = await cli(root, {}, 'kpi', 'won_revenue', '--period', '2026-10', '--format', 'json');
    expect(none.code).toBe(0);
  });
});
