import type { Dataset } from '../data/dataset.ts';
import { dataAsOf, readFreshness } from '../data/freshness.ts';
import { PulseError } from '../errors.ts';
import {
  formatPeriod,
  lastCompleteMonth,
  lastCompletePeriod,
  type PeriodSpan,
  parseGrain,
  parsePeriod,
  parseRange,
  trailingSeries,
} from '../kpi/period.ts';
import type { ParsedFlags } from './options.ts';

export interface PeriodChoice {
  readonly span: PeriodSpan;
  /** Said on stderr when the period was not given explicitly. */
  readonly note?: string;
}

/**
 * The period series a command works on, from --period, --from/--to and --grain. With none
 * given: the last complete month in the data (or, with --grain, the 12 periods up to it).
 */
export async function choosePeriod(
  flags: ParsedFlags['values'],
  dataset: Dataset,
  now: string,
): Promise<PeriodChoice> {
  const grain = flags.grain === undefined ? undefined : parseGrain(flags.grain);
  if (flags.period !== undefined && (flags.from !== undefined || flags.to !== undefined)) {
    throw new PulseError('usage', 'give either --period or --from/--to, not both');
  }
  if ((flags.from === undefined) !== (flags.to === undefined)) {
    throw new PulseError('usage', '--from and --to go together (the range is [from, to))');
  }
  if (flags.period !== undefined) {
    const span = parsePeriod(flags.period);
    return { span: grain ? { ...span, grain } : span };
  }
  if (flags.from !== undefined && flags.to !== undefined) {
    const span = parseRange(flags.from, flags.to);
    return { span: grain ? { ...span, grain } : span };
  }
  const asOf = dataAsOf(await readFreshness(dataset, now));
  if (asOf === null) {
    throw new PulseError('usage', `${dataset.dataDir} holds no dated records; give --period or --from/--to`);
  }
  const month = lastCompleteMonth(asOf);
  const reason = `the last complete month in the data (data as of ${asOf})`;
  if (!grain) return { span: month, note: `period: ${formatPeriod(month)}, ${reason}` };
  const last = lastCompletePeriod(asOf, grain);
  const series = trailingSeries(last.start, grain, 12);
  return {
    span: series,
    note: `periods: the 12 ${grain}s up to ${formatPeriod(last)}, the last complete ${grain} in the data (data as of ${asOf})`,
  };
}
