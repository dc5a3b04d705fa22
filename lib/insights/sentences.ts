// Plain sentences written from the numbers: what changed, by how much, and which segments did
// it. Pure and deterministic: the same numbers always give the same words (digits in the given
// locale, en-US by default).
//
// How changes read: rates (unit ratio) and scores in points, money and counts in percent
// (amounts when the previous value is 0), days/hours/months in their unit. Values use
// lib/format/values.ts, except money of a million or more, which reads compact ("$9.0M").

import {
  DEFAULT_LOCALE,
  type FormatOptions,
  formatFixed,
  formatKpiValue,
  formatNumber,
  showsZero,
} from '../format/values.ts';
import type { Direction, Unit } from '../kpi/definition.ts';
import { MIN_SAMPLE } from '../kpi/sample-size.ts';
import type { RatioDecomposition, SumDecomposition } from './decompose.ts';

/** Currency (default USD) and locale (default en-US): a report passes its `r.format`. */
export type SentenceFormat = Partial<FormatOptions>;

export interface EffectOptions extends SentenceFormat {
  /** Name at most this many effects (default 3). */
  readonly maxEffects?: number;
  /** Leave out effects smaller than this share of the largest one (default 0.1). */
  readonly minShare?: number;
}

/** The KPI a sentence is about. */
export interface SentenceKpi {
  /** "Close rate": starts the sentence. */
  readonly title: string;
  readonly unit: Unit;
}

/** What the rate and the items of a ratio KPI are called, e.g. win rates of deals. */
export interface RatioNouns {
  /** "win rates": "lower win rates in Enterprise". */
  readonly rateNoun: string;
  /** "deals": "a shift of deals toward SMB". */
  readonly items: string;
  /** Words for a rate going up / down (default "higher" / "lower"; e.g. "longer" / "shorter"). */
  readonly higher?: string;
  readonly lower?: string;
}

/** One KPI of the report header's summary. */
export interface HeadlineKpi {
  readonly id: string;
  /** "Close rate". */
  readonly title: string;
  /** How to call it mid-sentence; default: the title, lower-cased unless it is an acronym. */
  readonly name?: string;
  readonly unit: Unit;
  readonly direction: Direction;
  readonly value: number | null;
  readonly previous: number | null;
  readonly target: number | null;
  /**
   * What the data leaves out of the value, as its tile says it ("partial: the data ends
   * 2026-10-15", "amount known for 305 of 358 open deals only"): the sentence carries it too, or
   * the first line of the e-mail states a part as the whole.
   */
  readonly caveat?: string;
}

export interface SummaryOptions extends SentenceFormat {
  /** "October 2026". */
  readonly period: string;
  /** "September": what the previous period is called. */
  readonly previousPeriod: string;
  /** The id of the KPI the sentence opens with (default: the first). */
  readonly lead?: string;
}

const MINUS = '\u2212';

/**
 * "Close rate fell 4.1 points to 24.3 %, −2.9 points from lower win rates in Enterprise and
 * −1.2 points from a shift of deals toward SMB."
 */
export function ratioChangeSentence(
  decomposition: RatioDecomposition,
  kpi: SentenceKpi,
  nouns: RatioNouns,
  options: EffectOptions = {},
): string {
  const effects = decomposition.segments.flatMap((s) => [
    // A group's own rate is named only where it rests on enough items in both periods: "higher
    // close rate in R4" of 1 deal against 1 is no finding (lib/kpi/sample-size.ts).
    ...(Math.min(s.previousItems, s.currentItems) >= MIN_SAMPLE
      ? [
          {
            value: s.rate,
            words: `${s.currentRate > s.previousRate ? (nouns.higher ?? 'higher') : (nouns.lower ?? 'lower')} ${nouns.rateNoun} in ${s.key}`,
          },
        ]
      : []),
    {
      value: s.mix,
      words: `a shift of ${nouns.items} ${s.currentWeight > s.previousWeight ? 'toward' : 'away from'} ${s.key}`,
    },
  ]);
  const head = changeClause(kpi, decomposition.current, decomposition.previous, options);
  return withEffects(head, effects, kpi.unit, options);
}

/** "Revenue rose 3.1 % to $9.0M, +$210,000 from Enterprise and −$40,000 from SMB." */
export function sumChangeSentence(
  decomposition: SumDecomposition,
  kpi: SentenceKpi,
  options: EffectOptions = {},
): string {
  const effects = decomposition.segments.map((s) => ({ value: s.change, words: s.key }));
  const head = changeClause(kpi, decomposition.current, decomposition.previous, options);
  return withEffects(head, effects, kpi.unit, options);
}

/** "Close rate fell 4.1 points to 24.3 %." (no breakdown). */
export function changeSentence(
  kpi: SentenceKpi & { readonly value: number | null; readonly previous: number | null },
  options: SentenceFormat = {},
): string {
  if (kpi.value === null) return `${kpi.title} is not available.`;
  if (kpi.previous === null) return `${kpi.title} was ${formatAmount(kpi.value, kpi.unit, options)}.`;
  return `${changeClause(kpi, kpi.value, kpi.previous, options)}.`;
}

/**
 * The report header's sentence: "Revenue was $9.0M in October 2026, 3.1 % below September;
 * the best mover against target was NPS (37.0, target 36.0), the worst close rate (26.4 %,
 * target 30.0 %)."
 * Best and worst compare each KPI with its target by the relative gap, the good way up:
 * (value − target) ÷ |target|, negated when lower is better. KPIs without a value, a non-zero
 * target or a direction take no part; ties go to the earlier KPI in the list.
 */
export function summarySentence(kpis: readonly HeadlineKpi[], options: SummaryOptions): string {
  const lead = options.lead === undefined ? kpis[0] : kpis.find((k) => k.id === options.lead);
  const parts: string[] = [];
  if (lead) parts.push(leadClause(lead, options));

  const scored = kpis.flatMap((kpi) => {
    const gap = targetGap(kpi);
    return gap === null ? [] : [{ kpi, gap }];
  });
  const best = scored.reduce<(typeof scored)[number] | undefined>(
    (b, s) => (!b || s.gap > b.gap ? s : b),
    undefined,
  );
  const worst = scored
    .filter((s) => s !== best)
    .reduce<(typeof scored)[number] | undefined>((w, s) => (!w || s.gap < w.gap ? s : w), undefined);
  if (best && worst) {
    const bestText = `${nameOf(best.kpi)} (${againstTarget(best.kpi, options)})`;
    const worstText = `${nameOf(worst.kpi)} (${againstTarget(worst.kpi, options)})`;
    parts.push(`the best mover against target was ${bestText}, the worst ${worstText}`);
  } else if (best) {
    const value = formatAmount(best.kpi.value ?? 0, best.kpi.unit, options);
    const target = formatAmount(best.kpi.target ?? 0, best.kpi.unit, options);
    parts.push(
      `against target, ${nameOf(best.kpi)} was ${value} (target ${target}${caveatOf(best.kpi, '; ')})`,
    );
  }
  if (parts.length === 0) return '';
  const text = parts.join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** A value as a sentence shows it: values.ts, with money of a million or more compact. */
export function formatAmount(value: number, unit: Unit, options: SentenceFormat = {}): string {
  const currency = options.currency ?? 'USD';
  const locale = options.locale ?? DEFAULT_LOCALE;
  if (unit === 'money' && Math.abs(value) >= 1_000_000) {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      notation: 'compact',
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    }).format(value);
  }
  return formatKpiValue(value, unit, { currency, locale });
}

/** An effect with its sign, in the KPI's terms: "−2.9 points", "+$210,000", "+1.5 days". */
export function formatEffect(value: number, unit: Unit, options: SentenceFormat = {}): string {
  const magnitude = effectMagnitude(Math.abs(value), unit, options);
  if (isZeroText(magnitude)) return `±${magnitude}`;
  return `${value > 0 ? '+' : MINUS}${magnitude}`;
}

function effectMagnitude(abs: number, unit: Unit, options: SentenceFormat): string {
  const locale = options.locale ?? DEFAULT_LOCALE;
  switch (unit) {
    case 'ratio':
      return `${formatFixed(abs * 100, 1, locale)} points`;
    case 'score':
      return `${formatFixed(abs, 1, locale)} points`;
    case 'count':
    case 'table':
      return formatNumber(abs, locale);
    default:
      return formatAmount(abs, unit, options);
  }
}

/** "fell 4.1 points to 24.3 %", "rose 3.1 % to $9.0M", "was flat at 24.3 %". */
function changeClause(kpi: SentenceKpi, value: number, previous: number, options: SentenceFormat): string {
  const shown = formatAmount(value, kpi.unit, options);
  const change = value - previous;
  const magnitude = changeMagnitude(change, previous, kpi.unit, options);
  if (magnitude === null) {
    return `${kpi.title} ${change > 0 ? 'rose' : 'fell'} from ${formatAmount(previous, kpi.unit, options)} to ${shown}`;
  }
  if (isZeroText(magnitude)) return `${kpi.title} was flat at ${shown}`;
  return `${kpi.title} ${change > 0 ? 'rose' : 'fell'} ${magnitude} to ${shown}`;
}

/** The size of a change as words (no sign); null when a percent is wanted but previous is 0. */
function changeMagnitude(
  change: number,
  previous: number,
  unit: Unit,
  options: SentenceFormat,
): string | null {
  switch (unit) {
    case 'ratio':
    case 'score':
      return effectMagnitude(Math.abs(change), unit, options);
    case 'days':
    case 'hours':
    case 'months':
      return formatAmount(Math.abs(change), unit, options);
    default:
      return previous === 0
        ? null
        : `${formatFixed((Math.abs(change) / Math.abs(previous)) * 100, 1, options.locale)} %`;
  }
}

function withEffects(
  head: string,
  effects: readonly { value: number; words: string }[],
  unit: Unit,
  options: EffectOptions,
): string {
  const maxEffects = options.maxEffects ?? 3;
  const minShare = options.minShare ?? 0.1;
  // Stable sort: equal sizes keep segment order, a rate effect before its segment's mix.
  const ranked = [...effects].sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
  const largest = Math.abs(ranked[0]?.value ?? 0);
  const named = ranked
    .filter((e) => Math.abs(e.value) >= minShare * largest)
    .map((e) => ({ ...e, text: formatEffect(e.value, unit, options) }))
    .filter((e) => !e.text.startsWith('±'))
    .slice(0, Math.max(0, maxEffects));
  if (named.length === 0) return `${head}.`;
  return `${head}, ${listing(named.map((e) => `${e.text} from ${e.words}`))}.`;
}

function leadClause(kpi: HeadlineKpi, options: SummaryOptions): string {
  if (kpi.value === null) {
    // An unknown value (every amount blank) is said as unknown, with why: not "not available".
    return kpi.caveat
      ? `${kpi.title} is unknown for ${options.period} (${kpi.caveat})`
      : `${kpi.title} is not available for ${options.period}`;
  }
  const head = `${kpi.title} was ${formatAmount(kpi.value, kpi.unit, options)} in ${options.period}${caveatOf(kpi, ' (')}`;
  if (kpi.previous === null) return head;
  const change = kpi.value - kpi.previous;
  const magnitude =
    changeMagnitude(change, kpi.previous, kpi.unit, options) ??
    formatAmount(Math.abs(change), kpi.unit, options);
  if (isZeroText(magnitude)) return `${head}, level with ${options.previousPeriod}`;
  return `${head}, ${magnitude} ${change > 0 ? 'above' : 'below'} ${options.previousPeriod}`;
}

/** "37.0, target 36.0", or "37.0, target 36.0; partial: the data ends 2026-10-15". */
function againstTarget(kpi: HeadlineKpi, options: SentenceFormat): string {
  const value = formatAmount(kpi.value ?? 0, kpi.unit, options);
  const target = formatAmount(kpi.target ?? 0, kpi.unit, options);
  return `${value}, target ${target}${caveatOf(kpi, '; ')}`;
}

/** The KPI's caveat after `opening` ("; " inside parentheses, " (" to open them); '' without one. */
function caveatOf(kpi: HeadlineKpi, opening: '; ' | ' ('): string {
  if (!kpi.caveat) return '';
  return opening === ' (' ? ` (${kpi.caveat})` : `; ${kpi.caveat}`;
}

function targetGap(kpi: HeadlineKpi): number | null {
  if (kpi.value === null || kpi.target === null || kpi.target === 0 || kpi.direction === 'none') return null;
  const gap = (kpi.value - kpi.target) / Math.abs(kpi.target);
  return kpi.direction === 'up' ? gap : -gap;
}

/** "Close rate" → "close rate"; "NPS", "Net Promoter Score" (a name) stay as they are. */
function nameOf(kpi: HeadlineKpi): string {
  if (kpi.name !== undefined) return kpi.name;
  return /^[A-Z][a-z]+( [a-z(]|$)/.test(kpi.title)
    ? `${kpi.title.charAt(0).toLowerCase()}${kpi.title.slice(1)}`
    : kpi.title;
}

function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** True when a formatted number shows as zero ("0.0 points", "$0", "0,0 %"). */
function isZeroText(text: string): boolean {
  return showsZero(text);
}
