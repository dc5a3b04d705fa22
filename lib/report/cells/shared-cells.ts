// Cells more than one report shows the same way. Each asks for its KPIs, adds its blocks, and
// says what is missing when the data cannot support it.

import { buildCohortHeatmap } from '../../charts/cohort-heatmap.ts';
import { buildRelationshipQuadrant } from '../../charts/relationship-quadrant.ts';
import { buildStackedRevenue } from '../../charts/stacked-revenue.ts';
import { formatSettings } from '../../format/formatter.ts';
import { summarySentence } from '../../insights/sentences.ts';
import { type ComparedRow, wholeValue } from '../../kpi/compare.ts';
import { formatPeriod, grainOf } from '../../kpi/period.ts';
import type { KpiSeries } from '../../render/content.ts';
import { rowCaveat } from '../../render/tile-view.ts';
import type { ReportContext } from '../context.ts';
import type { Headline } from '../headline-gaps.ts';
import { fromDataStart } from './data-start.ts';
import { saidNoData } from './kpi-cells.ts';
import { numberOrNull, rowsTable } from './kpi-charts.ts';

/**
 * KPIs that stand in, in this order, for preferred headline KPIs the data cannot answer: a
 * deals-only export leads with won revenue and the pipeline, an orders-only one with repeat
 * purchases and customers, rather than eight "n/a" tiles.
 */
export const HEADLINE_FALLBACKS = [
  'revenue',
  'won_revenue',
  'close_rate',
  'open_pipeline',
  'avg_deal_size',
  'sales_cycle_days',
  'pipeline_created',
  'new_customers',
  'active_customers',
  'repeat_purchase_rate',
  'churn_rate',
  'nrr',
  'cac',
  'nps',
  'csat',
  'new_leads',
  'lead_conversion_rate',
  'resolution_hours',
  'first_response_hours',
  'active_user_rate',
] as const;

/**
 * The headline tiles: the preferred KPIs the data can answer, then the first fallbacks it can,
 * up to `size`. With nothing answerable, the preferred ones (each saying what it needs).
 */
export async function headlineTiles(
  r: ReportContext,
  preferred: readonly string[],
  options: { size?: number; history?: number } = {},
): Promise<Headline> {
  const size = options.size ?? preferred.length;
  // A value, or an honest "unknown" (amounts left blank) that the reader should see.
  const answerable = (s: KpiSeries) =>
    s.available &&
    s.current !== undefined &&
    (s.current.value !== null || typeof s.current.unknown_note === 'string');
  const first = await r.kpis(preferred, options.history);
  const chosen = first.filter(answerable);
  // Said under the tiles (lib/report/headline-gaps.ts): an e-mail without them is not complete.
  const gaveWay = first.filter((s) => !answerable(s));
  if (chosen.length >= size) return Object.assign(chosen.slice(0, size), { unanswered: gaveWay });
  const extra = HEADLINE_FALLBACKS.filter((id) => !preferred.includes(id));
  // A stand-in the data can compute but that has no value this period is said too: won revenue,
  // a tile the month after, must not vanish in silence (its data starts later).
  const passedOver: KpiSeries[] = [];
  for (const series of await r.kpis(extra, options.history)) {
    if (chosen.length >= size) break;
    if (answerable(series)) chosen.push(series);
    else if (series.available) passedOver.push(series);
  }
  // With nothing answerable the preferred are the tiles, each saying why: only the rest is said.
  return chosen.length > 0
    ? Object.assign(chosen, { unanswered: [...gaveWay, ...passedOver] })
    : Object.assign(first, { unanswered: passedOver });
}

/** The report's opening sentence from its headline KPIs: the lead KPI, then best and worst against target. */

export function headlineSummary(r: ReportContext, headline: readonly KpiSeries[], lead: string): string {
  return summarySentence(
    // In a scoped report the sentence is about the scope: company-wide tiles stay out of it.
    headline.flatMap((s) =>
      s.available && s.current && s.companyWide === undefined
        ? [
            {
              id: s.kpi.id,
              title: s.kpi.title,
              unit: s.kpi.unit,
              direction: s.kpi.direction,
              value: s.current.value,
              previous: s.current.previous_value,
              target: s.current.target,
              // The tile's caveat, so the sentence never states a part as the whole.
              ...(rowCaveat(s.current) ? { caveat: rowCaveat(s.current) } : {}),
            },
          ]
        : [],
    ),
    {
      period: r.periodLabel,
      previousPeriod: r.previousLabel,
      // The lead KPI when the data answers it, else the first tile's.
      lead: headline.some((s) => s.kpi.id === lead && s.available) ? lead : (headline[0]?.kpi.id ?? lead),
      ...formatSettings(r.format),
    },
  );
}

/** New vs recurring revenue over the trailing periods, stacked. */
export async function revenueMix(r: ReportContext, history = 12): Promise<void> {
  const [fresh, recurring] = await r.kpis(['new_revenue', 'recurring_revenue'], history);
  if (!fresh?.available || !recurring?.available) {
    r.unavailable(
      'New vs recurring revenue',
      fresh?.available === false ? fresh.missing : ['recurring_revenue'],
    );
    return;
  }
  // New and recurring revenue read the same orders: both start where the data does.
  const { rows, note } = fromDataStart(fresh.history);
  const recurringBy = new Map(recurring.history.map((row) => [row.period_start, row]));
  // A bar is drawn only where both parts are whole: a month the data covers in part reads as a
  // fall, and a split the data cannot make (customers from their first order, in the export's
  // first year) reads as no recurring revenue.
  const whole = (row: ComparedRow) => {
    const other = recurringBy.get(row.period_start);
    return other !== undefined && wholeValue(row) !== null && wholeValue(other) !== null;
  };
  if (!rows.some(whole)) {
    const last = rows.at(-1);
    const why = textOf(last?.coverage_note) ?? textOf(last?.unknown_note);
    r.unknown('New vs recurring revenue', why ?? 'no whole period to draw');
    return;
  }
  const gaps = notDrawn(rows.filter((row) => !whole(row)));
  const caption = [note, gaps].filter(Boolean).join(' ');
  r.chart(
    buildStackedRevenue({
      id: 'revenue-new-vs-recurring',
      points: rows.map((row) => ({
        period: row.period_start,
        newRevenue: whole(row) ? row.value : null,
        recurringRevenue: whole(row) ? (recurringBy.get(row.period_start)?.value ?? null) : null,
      })),
      ...(caption ? { caption } : {}),
      format: r.format,
    }),
  );
}

/** "Not drawn: June 2026, partial: the data starts ...; 3 periods from July 2026, partial: ...." */
function notDrawn(rows: readonly ComparedRow[]): string | undefined {
  const byReason = new Map<string, ComparedRow[]>();
  for (const row of rows) {
    const why = textOf(row.coverage_note) ?? textOf(row.unknown_note) ?? 'no value';
    byReason.set(why, [...(byReason.get(why) ?? []), row]);
  }
  const parts = [...byReason].map(([why, group]) => {
    const first = group[0];
    const label = first
      ? formatPeriod({
          start: first.period_start,
          end: first.period_end,
          grain: grainOf(first.period_start, first.period_end),
        })
      : '';
    return `${group.length === 1 ? label : `${group.length} periods from ${label}`}, ${why}`;
  });
  return parts.length > 0 ? `Not drawn: ${parts.join('; ')}.` : undefined;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Acquisition cohorts × months since acquisition → share still active. */
export async function cohortRetention(r: ReportContext): Promise<void> {
  const cohorts = await r.rows('cohort_retention');
  if (!cohorts.available) return r.unavailable('Cohort retention', cohorts.missing);
  if (saidNoData(r, 'Cohort retention', cohorts.rows)) return;
  if (cohorts.rows.length === 0) return;
  r.chart(
    buildCohortHeatmap({
      id: 'cohort-retention',
      cells: cohorts.rows.map((c) => ({
        cohort: String(c.cohort),
        month_index: Number(c.month_index),
        retention: numberOrNull(c.retention),
        cohort_size: numberOrNull(c.cohort_size),
      })),
      format: r.format,
    }),
  );
}

/** The Reinartz & Kumar grid as a quadrant, then each group with what to do about it. */
export async function relationshipGroups(r: ReportContext): Promise<void> {
  const groups = await r.rows('relationship_groups');
  if (!groups.available) return r.unavailable('Relationship groups', groups.missing);
  if (saidNoData(r, 'Relationship groups', groups.rows)) return;
  // Groups named for a year of orders, from fewer months: said under the chart.
  const partial = textOf(groups.rows.find((g) => g.coverage === 'partial')?.coverage_note);
  r.chart(
    buildRelationshipQuadrant({
      id: 'relationship-groups',
      ...(partial ? { caption: `${partial.replace(/^partial: /, 'Partial: ')}.` } : {}),
      groups: groups.rows.map((g) => ({
        group: String(g.group),
        customers: Number(g.customers),
        revenue: Number(g.revenue),
        margin: numberOrNull(g.margin),
        margin_share: numberOrNull(g.margin_share),
      })),
      format: r.format,
    }),
  );
  const table = rowsTable(
    groups,
    [
      { field: 'group', header: 'Group', unit: 'text' },
      { field: 'customers', header: 'Customers' },
      { field: 'revenue_share', header: 'Revenue share' },
      { field: 'margin_share', header: 'Margin share' },
      { field: 'action', header: 'What to do', unit: 'text' },
    ],
    { format: r.format, title: 'Relationship groups and what to do with them' },
  );
  if (table) r.table(table);
}

/** "A customer is worth $135,562 ... against $15,874 to acquire: 8.5×". */
export async function clvVersusCac(r: ReportContext): Promise<void> {
  const [clv, cac] = await r.kpis(['clv', 'cac']);
  if (!clv?.available || !cac?.available || !clv.current?.value || !cac.current?.value) return;
  const ratio = clv.current.value / cac.current.value;
  r.markdown(
    `**CLV vs CAC:** a customer is worth ${r.format.value(clv.current.value, 'money')} over their lifetime against ` +
      `${r.format.value(cac.current.value, 'money')} to acquire: ${r.format.fixed(ratio, 1)}× ` +
      `(${ratio >= 3 ? 'healthy: 3× or more' : 'below the 3× rule of thumb'}).`,
  );
}
