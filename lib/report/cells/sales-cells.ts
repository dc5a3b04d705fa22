// Cells of the sales section: the pipeline funnel, time in each stage, the reps, competitive
// wins and the week's pipeline in one sentence. Each fetches what it needs and says when the
// data cannot show it.

import { buildFunnel } from '../../charts/funnel.ts';
import { buildStageDurations } from '../../charts/stage-durations.ts';
import { formatAmount } from '../../insights/sentences.ts';
import type { ComparedRow } from '../../kpi/compare.ts';
import { noDataReason } from '../../kpi/coverage.ts';
import type { KpiSeries } from '../../render/content.ts';
import { rowCaveat } from '../../render/tile-view.ts';
import type { ReportContext } from '../context.ts';
import { kpiTable } from './kpi-cells.ts';
import { numberOrNull } from './kpi-charts.ts';

/** Deals by the furthest stage they reached, of those closed in the period. */
export async function pipelineFunnel(r: ReportContext): Promise<void> {
  const funnel = await r.rows('stage_funnel');
  if (!funnel.available) return r.unavailable('Pipeline funnel', funnel.missing);
  if (funnel.rows.length === 0)
    return r.unavailable('Pipeline funnel', [`deals closed this ${r.period.grain}`]);
  r.chart(
    buildFunnel({
      format: r.format,
      id: 'pipeline-funnel',
      stages: funnel.rows.map((s) => ({ stage: String(s.stage), count: Number(s.deals) })),
      noun: 'deals',
    }),
  );
}

/** Days spent in each stage, in the funnel's order. */
export async function stageDurations(r: ReportContext): Promise<void> {
  const stages = await r.rows('stage_duration_days', { by: 'stage' });
  if (!stages.available) return r.unavailable('Time in each stage', stages.missing);
  const funnel = await r.rows('stage_funnel');
  const order = funnel.available ? funnel.rows.map((s) => String(s.stage)) : [];
  const rank = (stage: string) => (order.includes(stage) ? order.indexOf(stage) : order.length);
  const sorted = [...stages.rows].sort((a, b) => rank(String(a.stage)) - rank(String(b.stage)));
  r.chart(
    buildStageDurations({
      format: r.format,
      id: 'stage-durations',
      stages: sorted.map((s) => ({ stage: String(s.stage), days: s.value, exits: numberOrNull(s.exits) })),
    }),
  );
}

/** Reps by won revenue: all of them, or the top and bottom five when there are more than ten. */
export async function repLeaderboard(r: ReportContext): Promise<void> {
  const reps = await r.rows('won_revenue', { by: 'rep' });
  const ranked = reps.available ? [...reps.rows].sort((a, b) => (b.value ?? 0) - (a.value ?? 0)) : [];
  const many = ranked.length > 10;
  await kpiTable(
    r,
    reps,
    [
      { field: 'rep', header: 'Rep', unit: 'text' },
      { field: 'value', header: 'Won revenue', unit: 'money' },
      { field: 'deals', header: 'Deals won' },
      { field: 'change', header: `Change vs ${r.previousLabel}`, unit: 'money', signed: true },
    ],
    {
      select: () => (many ? [...ranked.slice(0, 5), ...ranked.slice(-5)] : ranked),
      title: many ? 'Top and bottom five reps by won revenue' : 'Reps by won revenue',
    },
  );
}

/** "Competitive knockouts: 12 deals won against a named competitor; win rate 41 %." */
export async function competitiveKnockouts(r: ReportContext): Promise<void> {
  const knockouts = await r.kpi('competitive_knockouts');
  if (!knockouts.available || !knockouts.current) return;
  const winRate = numberOrNull(knockouts.current.win_rate);
  r.markdown(
    `**Competitive knockouts:** ${knockouts.current.value ?? 0} deals won against a named competitor` +
      (winRate === null ? '.' : `; win rate in competitive deals ${r.format.value(winRate, 'ratio')}.`),
  );
}

/**
 * The period's pipeline in one sentence, from the pipeline_created and won_revenue series:
 * "In the week 2026-W43, 41 deals worth $1.2M entered the pipeline and 12 worth $310K were won."
 */
export function pipelineInAndOut(r: ReportContext, series: readonly KpiSeries[]): void {
  const created = series.find((s) => s.kpi.id === 'pipeline_created');
  const won = series.find((s) => s.kpi.id === 'won_revenue');
  if (!created?.available || !won?.available || !created.current || !won.current) return;
  const entered = flow(r, created.current, {
    count: 'deals',
    verb: 'entered the pipeline',
    what: 'new deals',
  });
  const closed = flow(r, won.current, { count: '', verb: 'were won', what: 'won deals' });
  // "no data on won deals: …" is a clause of its own, not one more thing that happened.
  const and = created.current.coverage === 'none' || won.current.coverage === 'none' ? ';' : ' and';
  r.summary(`In the ${r.periodLabel}, ${entered}${and} ${closed}.`);
}

/**
 * "41 deals worth $1.2M entered the pipeline", with the tile's caveat ("(amount known for 50 of
 * 63 deals created only)"); a period the data does not reach is no data, never "0 worth $0".
 */
function flow(
  r: ReportContext,
  row: ComparedRow,
  words: { readonly count: 'deals' | ''; readonly verb: string; readonly what: string },
): string {
  const caveat = rowCaveat(row);
  if (row.coverage === 'none') return `no data on ${words.what}: ${noDataReason(caveat)}`;
  const deals = `${row.deals ?? 0}${words.count ? ` ${words.count}` : ''}`;
  const worth =
    row.value === null ? 'of unknown worth' : `worth ${formatAmount(row.value, 'money', r.format)}`;
  return `${deals} ${worth} ${words.verb}${caveat ? ` (${caveat})` : ''}`;
}
