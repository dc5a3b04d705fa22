// pulse.config.json: a project's settings in one file, read once at CLI start. Every mistake is
// listed at once (file, key, what is wrong, expected vs got), as mapping files do. The settings
// are applied by becoming defaults of the environment variables they stand for, so every command
// honours them through the paths it already reads: a flag > an environment variable > the config
// file > the built-in default.

import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { closest } from '../data/did-you-mean.ts';
import { parseMemoryLimit, parseThreads } from '../data/engine-limits.ts';
import { parseAddressOutcome } from '../deliver/address.ts';
import { PulseError } from '../errors.ts';
import { formatOptionsFromEnv } from '../format/formatter.ts';
import type { CliIo } from './options.ts';

export const CONFIG_FILE = 'pulse.config.json';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters a one-line name may not hold
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

type Env = Readonly<Record<string, string | undefined>>;

/** What each key of the file sets, and how it is checked. */
const KEYS = {
  data: 'PULSE_DATA',
  mapping: 'PULSE_MAPPING',
  timeZone: 'PULSE_TZ',
  currency: 'PULSE_CURRENCY',
  locale: 'PULSE_LOCALE',
  company: 'PULSE_COMPANY',
  // The owner of a schedule that names none in schedules.json.
  owner: 'PULSE_OWNER',
  out: 'PULSE_OUT',
  state: 'PULSE_STATE_DIR',
  duckdb: '',
} as const;
const DUCKDB_KEYS = { memory: 'PULSE_DUCKDB_MEMORY', threads: 'PULSE_DUCKDB_THREADS' } as const;
/** Keys whose value is a path, resolved against the config file's folder. */
const PATH_KEYS = new Set(['data', 'mapping', 'out', 'state']);

export interface ConfigIssue {
  readonly key: string;
  readonly message: string;
}

/** The file's settings as environment variables (paths absolute), and every mistake in it. */
export interface ConfigOutcome {
  readonly env: Readonly<Record<string, string>>;
  readonly issues: readonly ConfigIssue[];
}

/** Parses the file's text; `dir` is the file's folder, against which relative paths resolve. */
export function parseConfig(text: string, dir: string): ConfigOutcome {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { env: {}, issues: [{ key: '(top)', message: `not valid JSON (${(error as Error).message})` }] };
  }
  if (!isObject(json)) {
    return {
      env: {},
      issues: [
        { key: '(top)', message: `expected a JSON object such as {"data": "exports"}, got ${got(json)}` },
      ],
    };
  }
  const issues: ConfigIssue[] = [];
  const env: Record<string, string> = {};
  const issue = (key: string, message: string) => issues.push({ key, message });
  for (const [key, value] of Object.entries(json)) {
    if (!(key in KEYS)) {
      unknownKey(key, Object.keys(KEYS), issue);
      continue;
    }
    if (key === 'duckdb') {
      parseDuckdb(value, env, issue);
      continue;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      issue(key, `expected ${EXPECTED[key as keyof typeof EXPECTED]}, got ${got(value)}`);
      continue;
    }
    const problem = CHECKS[key as keyof typeof CHECKS]?.(value);
    if (problem) {
      issue(
        key,
        `${problem}; expected ${EXPECTED[key as keyof typeof EXPECTED]}, got ${JSON.stringify(value)}`,
      );
      continue;
    }
    const variable = KEYS[key as keyof typeof KEYS];
    if (variable) env[variable] = PATH_KEYS.has(key) ? resolve(dir, value) : value;
  }
  return { env, issues };
}

const EXPECTED: Record<Exclude<keyof typeof KEYS, 'duckdb'>, string> = {
  data: 'a data folder, e.g. "exports/crm"',
  mapping: 'a mapping file or a preset name, e.g. "mapping.json" or "salesforce"',
  timeZone: 'an IANA time zone, e.g. "Europe/Berlin" or "UTC"',
  currency: 'an ISO 4217 currency code, e.g. "EUR"',
  locale: 'a locale, e.g. "de-DE"',
  company: 'the company name shown on every report, e.g. "Acme GmbH"',
  owner: 'an e-mail address, e.g. "CRM Ops <ops@example.com>"',
  out: 'an output folder, e.g. "out"',
  state: 'a state folder, e.g. ".pulse"',
};

const CHECKS: Partial<Record<keyof typeof EXPECTED, (value: string) => string | undefined>> = {
  // Shown in headers and subjects: one plain line.
  company: (value) =>
    value.length > 80
      ? `${value.length} characters is too long (at most 80)`
      : CONTROL_CHARACTER.test(value)
        ? 'holds a line break or another control character'
        : undefined,
  timeZone: (value) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      return undefined;
    } catch {
      return 'not an IANA time zone';
    }
  },
  currency: (value) =>
    problemOf(() => formatOptionsFromEnv({ PULSE_CURRENCY: value }), 'not a currency code'),
  locale: (value) =>
    problemOf(() => formatOptionsFromEnv({ PULSE_LOCALE: value }), 'not a locale this Node knows'),
  owner: (value) => {
    const outcome = parseAddressOutcome(value);
    return 'problem' in outcome ? outcome.problem : undefined;
  },
};

function parseDuckdb(
  value: unknown,
  env: Record<string, string>,
  issue: (key: string, message: string) => void,
) {
  if (!isObject(value)) {
    issue('duckdb', `expected an object such as {"memory": "4GB", "threads": 2}, got ${got(value)}`);
    return;
  }
  for (const [key, setting] of Object.entries(value)) {
    const where = `duckdb.${key}`;
    if (key === 'memory') {
      const expected = 'a memory size such as "4GB", "512MiB" or "50%"';
      if (typeof setting !== 'string') issue(where, `expected ${expected}, got ${got(setting)}`);
      else if (problemOf(() => parseMemoryLimit(setting.trim(), where), 'bad'))
        issue(where, `not a memory size; expected ${expected}, got ${JSON.stringify(setting)}`);
      else env[DUCKDB_KEYS.memory] = setting;
    } else if (key === 'threads') {
      const expected = 'a whole number from 1 to 1024, e.g. 2';
      const text = typeof setting === 'number' ? String(setting) : undefined;
      if (text === undefined || problemOf(() => parseThreads(text, where), 'bad'))
        issue(where, `expected ${expected}, got ${got(setting)}`);
      else env[DUCKDB_KEYS.threads] = text;
    } else {
      unknownKey(where, Object.keys(DUCKDB_KEYS), issue, key);
    }
  }
}

function unknownKey(
  where: string,
  known: readonly string[],
  issue: (key: string, message: string) => void,
  name = where,
): void {
  const near = closest(name, known);
  issue(
    where,
    `unknown key${near === undefined ? '' : `; did you mean "${near}"?`} (expected one of ${known.join(', ')})`,
  );
}

function problemOf(check: () => unknown, problem: string): string | undefined {
  try {
    check();
    return undefined;
  } catch {
    return problem;
  }
}

function got(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `${value === '' ? 'an empty text' : `the text ${JSON.stringify(value)}`}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function formatConfigIssues(file: string, issues: readonly ConfigIssue[]): string {
  const lines = issues.map((i) => `  ${file}: ${i.key}: ${i.message}`);
  return `the config ${file} has ${issues.length === 1 ? 'a problem' : `${issues.length} problems`}:\n${lines.join('\n')}`;
}

/**
 * The config file in force: $PULSE_CONFIG (resolved against cwd; it must exist) or
 * pulse.config.json in cwd (none is fine: the defaults stay). Returns its settings as
 * environment variables; throws one usage error (exit 2) listing every mistake.
 */
export async function readConfigEnv(
  env: Env,
  cwd: string,
): Promise<{ file?: string; env: Record<string, string> }> {
  const named = env.PULSE_CONFIG?.trim();
  const file = configFileFor(env, cwd);
  if (file === undefined) return { env: {} };
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new PulseError(
      'usage',
      `the config ${file}${named ? ' (PULSE_CONFIG)' : ''} cannot be read (${error.code ?? error.message})`,
    );
  });
  const outcome = parseConfig(text, dirname(file));
  const issues = [...outcome.issues];
  if (outcome.env.PULSE_DATA) {
    const folder = await stat(outcome.env.PULSE_DATA).catch(() => undefined);
    if (!folder?.isDirectory())
      issues.push({
        key: 'data',
        message: `expected a data folder, got ${outcome.env.PULSE_DATA}, which is not one`,
      });
  }
  if (issues.length > 0) throw new PulseError('usage', formatConfigIssues(file, issues));
  // The config's folder is the project: its queries/, reports/, out/, .pulse/ and schedules.json.
  return { file, env: { PULSE_PROJECT: dirname(file), ...outcome.env } };
}

/** The config file in force: $PULSE_CONFIG, or the nearest pulse.config.json (none: undefined). */
export function configFileFor(env: Env, cwd: string): string | undefined {
  const named = env.PULSE_CONFIG?.trim();
  return named ? resolve(cwd, named) : findConfig(cwd);
}

/** pulse.config.json in cwd or the nearest folder above it, as git finds .git. */
function findConfig(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const file = join(dir, CONFIG_FILE);
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The CLI's I/O with the config file applied: its settings become defaults under the
 * environment, so a variable that is set wins and a flag wins over both.
 */
export async function withConfig<T extends CliIo>(io: T): Promise<T> {
  const config = await readConfigEnv(io.env, io.cwd);
  if (config.file === undefined) return io;
  const env: Record<string, string | undefined> = { ...config.env };
  for (const [key, value] of Object.entries(io.env)) if (value !== undefined) env[key] = value;
  return { ...io, env };
}
