// The footer's "Reproduce:" line: the command that builds the same report from the same data.
// Everything that changes a number goes in (data folder, mapping, rejected-row policy, time
// zone, params, period, currency and locale); what only moves files (--out, --pdf) stays out.
// Shell-quoted here; HTML-escaped by the templates like any other text.

import type { FormatOptions } from '../format/values.ts';
import { SAMPLE_DATA_DIR } from '../paths.ts';

export interface ReproduceInput {
  /** The command words after `pulse`, when not `report NAME` (an alert: `alert test NAME`). */
  readonly command?: readonly string[];
  readonly report: string;
  /** The --period text: 2026-10, 2026-Q3, 2026-W43. */
  readonly period: string;
  readonly dataDir: string;
  readonly mapping?: string | undefined;
  readonly allowRejects: boolean;
  readonly maxRejectShare: number;
  readonly timeZone: string;
  readonly params: Readonly<Record<string, string>>;
  readonly format: Required<FormatOptions>;
}

/** `PULSE_CURRENCY=EUR npx pulse report monthly --period 2026-10 --data '/data/my export' ...`. */
export function reproduceCommand(input: ReproduceInput): string {
  const env = [
    ...(input.format.currency === 'USD' ? [] : [`PULSE_CURRENCY=${input.format.currency}`]),
    ...(input.format.locale === 'en-US' ? [] : [`PULSE_LOCALE=${input.format.locale}`]),
    // --allow-rejects accepts any share, so the share only matters without it.
    ...(input.maxRejectShare > 0 && !input.allowRejects
      ? [`PULSE_MAX_REJECT_SHARE=${input.maxRejectShare}`]
      : []),
  ];
  const words = [
    'npx',
    'pulse',
    ...(input.command ?? ['report', input.report]),
    '--period',
    input.period,
    ...(input.dataDir === SAMPLE_DATA_DIR ? [] : ['--data', input.dataDir]),
    ...(input.mapping ? ['--mapping', input.mapping] : []),
    ...(input.allowRejects ? ['--allow-rejects'] : []),
    ...(input.timeZone === 'UTC' ? [] : ['--tz', input.timeZone]),
    ...Object.keys(input.params)
      .sort()
      .flatMap((name) => ['--param', `${name}=${input.params[name] ?? ''}`]),
  ];
  return [...env.map(shellQuote), ...words.map(shellQuote)].join(' ');
}

/**
 * One word for a POSIX shell: as is when it holds only safe characters, otherwise in single
 * quotes, where nothing is special but the quote itself (written '\'').
 */
export function shellQuote(word: string): string {
  if (/^[\w.,:@%+=/-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
