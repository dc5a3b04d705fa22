import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { DataSettings } from '../data/dataset.ts';
import { engineLimitsFromEnv } from '../data/engine-limits.ts';
import { parseShare } from '../data/rejects.ts';
import { cacheDir } from '../data/validation-cache.ts';
import { PulseError } from '../errors.ts';
import { formatOptionsFromEnv } from '../format/formatter.ts';
import { SAMPLE_DATA_DIR } from '../paths.ts';
import { foldersFor, outDirFor, type ProjectFolders } from '../project.ts';

/** Where the CLI writes, and what it knows of its environment; tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Progress lines only on a terminal. */
  readonly isTty?: boolean;
  /**
   * stderr as it is, for the status line's own control sequences (`\r\x1b[K`); `stderr` shows
   * control characters escaped, so they cannot come from the data. Default: `stderr`.
   */
  readonly terminal?: (text: string) => void;
}

export const FORMATS = ['table', 'json', 'csv'] as const;
export type OutputFormat = (typeof FORMATS)[number];

/** Settings read once from flags and the environment, then passed down. */
export interface CommonOptions {
  readonly dataDir: string;
  readonly timeZone: string;
  readonly format: OutputFormat;
  /** The clock (ISO instant): PULSE_NOW pins it for reproducible runs. */
  readonly now: string;
  /** PULSE_CURRENCY (default USD): the currency of every amount shown. */
  readonly currency: string;
  /** PULSE_LOCALE (default en-US): digits and separators of every number shown. */
  readonly locale: string;
  /** --mapping FILE (or $PULSE_MAPPING): a mapping file or preset name, resolved against cwd. */
  readonly mapping?: string;
  /** --allow-rejects: compute on the good rows whatever share is rejected. */
  readonly allowRejects: boolean;
  /** PULSE_MAX_REJECT_SHARE (0.02 or 2%): rejected rows accepted without --allow-rejects. */
  readonly maxRejectShare: number;
  /**
   * --out DIR (or $PULSE_OUT, default out/): where report, send, schedule and dev write; `pulse
   * query` may COPY ... TO inside it.
   */
  readonly outDir: string;
  /** PULSE_DUCKDB_MEMORY and PULSE_DUCKDB_THREADS, checked before anything runs. */
  readonly engine: DataSettings;
  /** PULSE_COMPANY (the config's company): named before every report's title. */
  readonly company?: string;
  /** The project's folders beside the built-in ones (pulse.config.json's folder). */
  readonly project: ProjectFolders;
}

const OPTION_SPEC = {
  data: { type: 'string' },
  tz: { type: 'string' },
  format: { type: 'string' },
  period: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  grain: { type: 'string' },
  by: { type: 'string' },
  param: { type: 'string', multiple: true },
  all: { type: 'boolean' },
  out: { type: 'string' },
  pdf: { type: 'boolean' },
  mapping: { type: 'string' },
  'allow-rejects': { type: 'boolean' },
  // pulse send (--to ADDR is repeatable there: see repeatedFlag) / pulse schedule
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  partial: { type: 'boolean' },
  once: { type: 'boolean' },
  status: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type ParsedFlags = ReturnType<typeof parseFlags>;

export function parseFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTION_SPEC, allowPositionals: true, strict: true });
  } catch (error) {
    throw new PulseError('usage', `${(error as Error).message}; run \`pulse --help\``);
  }
}

/** Every value of a flag given more than once (`--to a --to b`); `values` keeps only the last. */
export function repeatedFlag(argv: readonly string[], name: keyof typeof OPTION_SPEC): string[] {
  const { tokens } = parseArgs({
    args: [...argv],
    options: OPTION_SPEC,
    allowPositionals: true,
    strict: true,
    tokens: true,
  });
  return tokens.flatMap((t) =>
    t.kind === 'option' && t.name === name && t.value !== undefined ? [t.value] : [],
  );
}

export function commonOptions(values: ParsedFlags['values'], io: CliIo): CommonOptions {
  const format = values.format ?? 'table';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new PulseError('usage', `--format "${format}" is not one of ${FORMATS.join(', ')}`);
  }
  const now = io.env.PULSE_NOW ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(now)))
    throw new PulseError('usage', `PULSE_NOW "${now}" is not an ISO instant`);
  const data = values.data ?? io.env.PULSE_DATA;
  const mapping = values.mapping ?? io.env.PULSE_MAPPING;
  return {
    dataDir: data ? resolve(io.cwd, data) : SAMPLE_DATA_DIR,
    timeZone: values.tz ?? io.env.PULSE_TZ ?? 'UTC',
    format: format as OutputFormat,
    now,
    ...formatOptionsFromEnv(io.env),
    ...(mapping ? { mapping: resolve(io.cwd, mapping) } : {}),
    allowRejects: Boolean(values['allow-rejects']),
    maxRejectShare: parseShare(io.env.PULSE_MAX_REJECT_SHARE ?? '0', 'PULSE_MAX_REJECT_SHARE'),
    outDir: resolveOutDir(values.out, io),
    ...(io.env.PULSE_COMPANY?.trim() ? { company: io.env.PULSE_COMPANY.trim() } : {}),
    project: foldersFor(io.env, io.cwd),
    engine: {
      ...engineLimitsFromEnv(io.env),
      // The config's state folder and cache settings, not only the process's (tests pass a few).
      cacheDir: cacheDir(undefined, { ...process.env, ...io.env }, io.cwd),
    },
  };
}

/** The output folder: --out, else $PULSE_OUT, each against cwd; else the project's out/. */
export function resolveOutDir(out: string | undefined, io: Pick<CliIo, 'cwd' | 'env'>): string {
  return outDirFor(out, io.env, io.cwd);
}

/** `--param name=value` pairs. */
export function parseParamFlags(pairs: readonly string[] | undefined): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
    if (!match?.[1] || match[2] === undefined) {
      throw new PulseError('usage', `--param "${pair}" should be name=value, e.g. --param region=EMEA`);
    }
    params[match[1]] = match[2];
  }
  return params;
}
