import { appendFile, copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_DATA_DIR, TOOLKIT_ROOT } from '../../lib/paths.ts';
import { reproduceCommand, shellQuote } from '../../lib/report/reproduce.ts';
import { FIXTURES } from '../helpers.ts';
import { pulse } from '../support/cli.ts';

describe('the Reproduce line', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pulse-reproduce-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('rebuilds the same numbers from its own text: data, mapping, rejects, time zone, params', async () => {
    // A Salesforce export in a folder whose name needs quoting, with a row the contract rejects.
    const data = join(root, `my "CRM" export's`);
    await mkdir(data);
    const csv = join(data, 'report1793000000000.csv');
    await copyFile(join(FIXTURES, 'mapping-salesforce', 'report1793000000000.csv'), csv);
    await appendFile(
      csv,
      '"Ada Lovelace","Bad Co","Bad - 1","New Customer","Web","900.00","100","Q4-2026","40","13/45/2026","9/1/2026","Closed Won","0065g00000Q9AAA"\n',
    );
    const mapping = join(root, 'my mapping.json');
    await copyFile(join(TOOLKIT_ROOT, 'mappings', 'salesforce.json'), mapping);
    const first = join(root, 'first');
    const made = await pulse([
      'report',
      'weekly',
      '--period',
      '2026-W43',
      '--data',
      data,
      '--mapping',
      mapping,
      '--allow-rejects',
      '--tz',
      'Europe/Berlin',
      '--param',
      'sla_hours=4',
      '--out',
      first,
    ]);
    expect(made.code, made.stderr).toBe(0);
    const dir = join(first, 'sla_hours=4', 'weekly', '2026-W43');
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    const line = unescapeHtml(/Reproduce: <code>([^<]*)<\/code>/.exec(html)?.[1] ?? '');
    const text = await readFile(join(dir, 'email.txt'), 'utf8');
    expect(text).toContain(`Reproduce: ${line}\n`);

    const { env, words } = shellWords(line);
    expect(words.slice(0, 2)).toEqual(['npx', 'pulse']);
    expect(words).toEqual(expect.arrayContaining(['--data', data, '--mapping', mapping, '--allow-rejects']));
    const second = join(root, 'second');
    const rerun = await pulse([...words.slice(2), '--out', second], env);
    expect(rerun.code, rerun.stderr).toBe(0);
    const numbers = async (out: string) =>
      JSON.parse(await readFile(join(out, 'sla_hours=4', 'weekly', '2026-W43', 'kpis.json'), 'utf8')) as {
        id: string;
        period_start: string;
        value: number | null;
      }[];
    const [before, after] = [await numbers(first), await numbers(second)];
    // The same rows; the order of a period's breakdown rows is not part of the result.
    const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
    expect(sorted(after)).toEqual(sorted(before));
    expect(before.length).toBeGreaterThan(20);
    // The export's numbers, not the sample's: one deal of 2,500 won that week.
    const won = before.find(
      (r) => r.id === 'won_revenue' && r.period_start === '2026-10-19' && !('kind' in r),
    );
    expect(won?.value).toBe(2500);
    expect(await readdir(join(second, 'sla_hours=4', 'weekly'))).toEqual(['2026-W43']);
  }, 120_000);

  it('names only what differs from the defaults, env first, every word shell-safe', () => {
    const base = {
      report: 'monthly',
      period: '2026-10',
      dataDir: SAMPLE_DATA_DIR,
      allowRejects: false,
      maxRejectShare: 0,
      timeZone: 'UTC',
      params: {},
      format: { currency: 'USD', locale: 'en-US' },
    };
    expect(reproduceCommand(base)).toBe('npx pulse report monthly --period 2026-10');
    expect(
      reproduceCommand({
        ...base,
        maxRejectShare: 0.02,
        format: { currency: 'EUR', locale: 'de-DE' },
        params: { region: 'North America', sla_hours: '4' },
      }),
    ).toBe(
      "PULSE_CURRENCY=EUR PULSE_LOCALE=de-DE PULSE_MAX_REJECT_SHARE=0.02 npx pulse report monthly --period 2026-10 --param 'region=North America' --param sla_hours=4",
    );
    expect(shellQuote("it's $HOME `x`")).toBe(`'it'\\''s $HOME \`x\`'`);
    expect(shellWords(shellQuote("it's $HOME `x`")).words).toEqual(["it's $HOME `x`"]);
  });
});

function unescapeHtml(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) =>
    code.startsWith('#x')
      ? String.fromCodePoint(Number.parseInt(code.slice(2), 16))
      : code.startsWith('#')
        ? String.fromCodePoint(Number(code.slice(1)))
        : (named[code] ?? whole),
  );
}

/** POSIX shell words of a command (quotes and backslashes), leading NAME=value as the environment. */
function shellWords(line: string): { env: Record<string, string>; words: string[] } {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (c === ' ') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\') {
      word = (word ?? '') + (line[i + 1] ?? '');
      i++;
    } else if (c === '"' || c === '$' || c === '`') {
      throw new Error(`test: unquoted ${c} in ${line}`);
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(words[0] ?? '')) {
    const [name = '', ...value] = (words.shift() ?? '').split('=');
    env[name] = value.join('=');
  }
  return { env, words };
}
