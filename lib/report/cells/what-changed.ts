// "What changed and why": the KPIs that moved most against their usual variation (at least one
// usual swing), each explained
// by a breakdown (mix vs rate for ratios, contributions for sums) and shown as a trend.

import { buildTrend } from '../../charts/trend.ts';
import { escapeControlCharacters } from '../../format/control-characters.ts';
import { type Formatter, formatSettings } from '../../format/formatter.ts';
import { UNUSUAL_FACTOR } from '../../insights/alert-rule.ts';
import { decomposeRatio, decomposeSum, ratioSegments, sumSegments } from '../../insights/decompose.ts';
import { type Mover, topMovers } from '../../insights/movers.ts';
import { noMoversText, notJudgedText } from '../../insights/no-movers.ts';
import {
  changeSentence,
  type RatioNouns,
  ratioChangeSentence,
  sumChangeSentence,
} from '../../insights/sentences.ts';
import { wholeValue } from '../../kpi/compare.ts';
import type { Grain } from '../../kpi/period.ts';
import type { KpiSeries } from '../../render/content.ts';
import type { ReportContext } from '../context.ts';
import { fromDataStart } from './data-start.ts';
import { prettify } from './kpi-charts.ts';
import { judgement } from './unjudged.ts';

export interface ChangeCandidate {
  readonly id: string;
  /** The breakdown that explains a change of this KPI. */
  readonly by?: string;
  /** For ratio KPIs: what the rate and the items are called. */
  readonly nouns?: RatioNouns;
  /** What the sentences call the KPI, when not its title ("Churn rate (all segments)"). */
  readonly title?: string;
}

/** Finds the `top` biggest movers among `candidates` and writes one finding each. */
export async function explainChanges(
  r: ReportContext,
  candidates: readonly ChangeCandidate[],
  options: {
    top?: number;
    history?: number;
    /** The least move, in usual swings, that is news (default 1); 0 explains any change. */
    minimumZ?: number;
    /** Draw each mover's chart (default true); false where the KPI's trend is drawn already. */
    charts?: boolean;
  } = {},
): Promise<void> {
  const history = options.history ?? 13;
  // A company-wide number in a scoped report is not what changed for the scope.
  const asked = await r.kpis(
    candidates.map((c) => c.id),
    history,
  );
  const available = asked
    .filter((s): s is Extract<KpiSeries, { available: true }> => s.available && s.companyWide === undefined)
    .map((s) => {
      const title = candidates.find((c) => c.id === s.kpi.id)?.title;
      return title ? { ...s, kpi: { ...s.kpi, title } } : s;
    });
  // Nor is one computed without a material share of its rows: the move may be the rejects'
  // (lib/report/rejected-reads.ts). Said when nothing else moved, never as "nothing moved".
  const series = available.filter((s) => s.current?.rejected_note === undefined);
  const uncompared = available.filter((s) => s.current?.rejected_note !== undefined).map((s) => s.kpi.title);
  const movers = topMovers(
    series.map((s) => ({
      id: s.kpi.id,
      title: s.kpi.title,
      unit: s.kpi.unit,
      direction: s.kpi.direction,
      // Only whole periods move: a partial month or one with unknown amounts explains nothing.
      values: s.history.map(wholeValue),
    })),
    // A change within its usual swing is not news (lib/insights/no-movers.ts says so).
    { top: options.top ?? 3, minimumZ: options.minimumZ ?? 1 },
  );
  if (series.length === 0 && uncompared.length === 0) {
    // Nothing was judged: "no KPI moved" would read as a finding about KPIs the data lacks.
    const absent = asked.filter((s) => !s.available).map((s) => s.kpi.title);
    const wide = asked.filter((s) => s.available).map((s) => s.kpi.title);
    const are = (titles: readonly string[]) => (titles.length === 1 ? 'is' : 'are');
    r.change(
      [
        ...(absent.length > 0 ? [`${andList(absent)} ${are(absent)} not in this data`] : []),
        ...(wide.length > 0
          ? [`${andList(wide)} ${are(wide)} for the whole business, not ${r.scopeLabel ?? 'this scope'}`]
          : []),
      ]
        .join('; ')
        .replace(/^/, 'Nothing to compare: ')
        .concat('.'),
    );
    return;
  }
  if (movers.length === 0) {
    // Half a month "falls" by half: a period the data covers in part is not compared at all. One
    // KPI whose data starts inside the period is not the period: it is listed as not judged.
    const partial =
      series.length > 0 && series.every((s) => s.current?.coverage === 'partial')
        ? series[0]?.current?.coverage_note
        : undefined;
    // "Nothing unusual" only of the KPIs that were judged; the rest say why they could not be.
    r.change(
      typeof partial === 'string'
        ? `Not compared: ${r.periodLabel} is covered only in part (${partial}).`
        : [
            ...(uncompared.length > 0 ? [rejectedText(uncompared)] : []),
            ...(series.length > 0 || uncompared.length === 0
              ? [
                  noMoversText(
                    series.map((s) => judgement(s.kpi.title, s.history, r.period.grain)),
                    r.periodLabel,
                  ),
                ]
              : []),
          ].join('\n\n'),
    );
    return;
  }
  for (const mover of movers) {
    const kpiSeries = series.find((s) => s.kpi.id === mover.id);
    const candidate = candidates.find((c) => c.id === mover.id);
    if (!kpiSeries || !candidate) continue;
    const sentence = await explain(r, kpiSeries, candidate);
    // The sentence above says what changed; the chart, and what a screen reader says of it,
    // names what it draws.
    const title = `${kpiSeries.kpi.title} by ${r.period.grain}`;
    const unusual =
      mover.floored && Math.abs(mover.z) < UNUSUAL_FACTOR
        ? ''
        : ` ${unusualness(mover, r.period.grain, r.format)}`;
    // From where the data starts: months before it drawn empty would read as zero.
    const drawn = fromDataStart(kpiSeries.history.slice(1));
    if (options.charts === false) {
      r.change(`${sentence}${unusual}`);
      continue;
    }
    r.change(
      `${sentence}${unusual}`,
      buildTrend({
        id: `change-${mover.id}`,
        title,
        name: kpiSeries.kpi.title,
        unit: kpiSeries.kpi.unit,
        points: drawn.rows.map((row) => ({
          period: row.period_start,
          value: wholeValue(row),
          yearAgo: row.year_ago_value,
          target: row.target,
        })),
        ...(drawn.note ? { caption: drawn.note } : {}),
        height: 220,
        format: r.format,
      }),
    );
  }
  const named = new Set(movers.map((m) => m.id));
  const rest = notJudgedText(
    series.filter((s) => !named.has(s.kpi.id)).map((s) => judgement(s.kpi.title, s.history, r.period.grain)),
    r.periodLabel,
  );
  const rejected = uncompared.length > 0 ? rejectedText(uncompared) : undefined;
  const footnote = [rest, rejected].filter(Boolean).join('\n\n');
  if (footnote) r.change(footnote);
}

function rejectedText(titles: readonly string[]): string {
  return `Not compared: ${andList(titles)} ${titles.length === 1 ? 'is' : 'are'} computed without rows rejected for data errors.`;
}

async function explain(
  r: ReportContext,
  series: Extract<KpiSeries, { available: true }>,
  candidate: ChangeCandidate,
): Promise<string> {
  const format = formatSettings(r.format);
  const { kpi, current } = series;
  const plain = changeSentence(
    {
      title: kpi.title,
      unit: kpi.unit,
      value: current?.value ?? null,
      previous: current?.previous_value ?? null,
    },
    format,
  );
  if (!candidate.by) return plain;
  const [now, before] = await Promise.all([
    r.rows(kpi.id, { by: candidate.by }),
    r.rows(kpi.id, { by: candidate.by, previous: true }),
  ]);
  if (!now.available || !before.available) return plain;
  const by = candidate.by;
  // Breakdown values read as words in a sentence: new_business → new business. They are the
  // CRM's: a line break in one is shown (\n), not followed, since the e-mail and the page make
  // paragraphs and list items of a sentence's lines.
  const words = <T extends { key: string }>(segments: T[]) =>
    segments.map((s) => ({ ...s, key: prettify(escapeControlCharacters(s.key)) }));
  if (kpi.unit === 'ratio' && candidate.nouns) {
    const decomposition = decomposeRatio(
      words(ratioSegments(now.rows, by)),
      words(ratioSegments(before.rows, by)),
    );
    return decomposition ? ratioChangeSentence(decomposition, kpi, candidate.nouns, format) : plain;
  }
  if (kpi.unit === 'money' || kpi.unit === 'count') {
    return sumChangeSentence(
      decomposeSum(words(sumSegments(now.rows, by)), words(sumSegments(before.rows, by))),
      kpi,
      format,
    );
  }
  return plain;
}

// A multiple of the usual swing is a measured number only when the history varied: against a flat
// one it is a multiple of the floor, which says nothing ("265.8× its usual swing").
// A move the size of its usual swing says so: the biggest mover of a quiet month may be a
// quarter-end swing that happens every quarter.
export function unusualness(mover: Mover, grain: Grain, format: Formatter): string {
  const times = format.fixed(Math.abs(mover.z), 1);
  if (!mover.floored)
    return Math.abs(mover.z) >= UNUSUAL_FACTOR
      ? `That is ${times}× its usual swing.`
      : `That is about its usual swing (${times}×).`;
  const periods = `${mover.history + 1} ${grain}s`;
  return mover.deviation === 0
    ? `It had not moved at all in the ${periods} before.`
    : `It had barely moved in the ${periods} before.`;
}

function andList(titles: readonly string[]): string {
  return titles.length > 1 ? `${titles.slice(0, -1).join(', ')} and ${titles.at(-1)}` : (titles[0] ?? '');
}
