// What "what changed" says when it names no mover. Pure and deterministic.
//
// "No KPI moved more than it usually does" is a finding only about KPIs whose move was measured
// against their usual swing. A KPI with no value, nothing to compare with (the data starts this
// month) or too few earlier changes was not judged at all; saying nothing moved would pass a 64 %
// fall after three months of data off as usual. So the text names what was judged and, for the
// rest, why not.

import { MIN_EARLIER_CHANGES } from './movers.ts';

/** Why a KPI was not judged, with what the data says about it. */
export type Unjudged =
  /** No value in the period; note: why ("the data starts 2017-03-01 (…)"). */
  | { readonly kind: 'no-value'; readonly note?: string }
  /** A value, but not one to compare (amounts partly unknown); note: what is missing. */
  | { readonly kind: 'not-whole'; readonly note?: string }
  /** No whole value the period before; note: why ("the data starts 2017-03-01 (…)"). */
  | { readonly kind: 'nothing-before'; readonly note?: string }
  /** Fewer earlier changes than a usual swing is measured from. */
  | { readonly kind: 'short-history'; readonly earlier: number; readonly note?: string };

export interface Judgement {
  readonly title: string;
  /** undefined: the move was measured against its usual swing (and was not news). */
  readonly unjudged?: Unjudged;
}

/**
 * "No KPI moved more than it usually does." when every KPI was judged; otherwise what was judged
 * and a list of the rest by reason, e.g. "Too little history to judge which moves are unusual:"
 * then "- Revenue and New customers: only 2 earlier changes (a usual swing needs 3)". Markdown.
 */
export function noMoversText(judgements: readonly Judgement[], period: string): string {
  const judged = judgements.filter((j) => j.unjudged === undefined).map((j) => j.title);
  const items = unjudgedItems(judgements, period);
  if (items.length === 0) return 'No KPI moved more than it usually does.';
  const kinds = new Set(judgements.flatMap((j) => (j.unjudged ? [j.unjudged.kind] : [])));
  const lead =
    judged.length > 0
      ? `${listing(judged)} moved no more than ${judged.length === 1 ? 'it usually does' : 'they usually do'}; not judged:`
      : [...kinds].every((k) => k === 'short-history' || k === 'nothing-before')
        ? 'Too little history to judge which moves are unusual:'
        : 'No move could be judged against its usual swing:';
  return [lead, '', ...items].join('\n');
}

/**
 * Beside the movers named, the KPIs that could not be judged and why: a reader takes a KPI
 * missing from "what changed" for one that did not move. Undefined when every KPI was judged.
 */
export function notJudgedText(judgements: readonly Judgement[], period: string): string | undefined {
  const items = unjudgedItems(judgements, period);
  return items.length === 0 ? undefined : ['Not judged against a usual swing:', '', ...items].join('\n');
}

/** "- Revenue and New customers: only 2 earlier changes (…)", one line per reason. */
function unjudgedItems(judgements: readonly Judgement[], period: string): string[] {
  const groups = new Map<string, string[]>();
  for (const { title, unjudged } of judgements) {
    if (!unjudged) continue;
    const why = reason(unjudged, period);
    groups.set(why, [...(groups.get(why) ?? []), title]);
  }
  return [...groups].map(([why, titles]) => `- ${listing(titles)}: ${why}`);
}

function reason(unjudged: Unjudged, period: string): string {
  const note = unjudged.note;
  switch (unjudged.kind) {
    case 'no-value':
      return `no value for ${period}${note ? `, ${note}` : ''}`;
    case 'not-whole':
      return `not compared${note ? `, ${note}` : ''}`;
    case 'nothing-before':
      return `nothing to compare with${note ? `, ${note}` : ''}`;
    case 'short-history': {
      const n = unjudged.earlier;
      const changes = `${n === 0 ? 'no' : `only ${n}`} earlier change${n === 1 ? '' : 's'}`;
      return `${changes} (a usual swing needs ${MIN_EARLIER_CHANGES})${note ? `; ${note}` : ''}`;
    }
  }
}

function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
