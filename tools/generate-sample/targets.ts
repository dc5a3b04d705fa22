// Monthly targets for the headline KPIs, as a planning team would set them: a straight-line
// plan through what the business actually did, fixed per quarter and stretched a little in
// the good direction, then rounded to plan-like numbers. So targets sit near the actuals:
// strong months beat them, weak ones miss.

import { END_DAY, formatDate, monthStart, WINDOW_START } from './calendar.ts';
import type { Target } from './model.ts';
import type { StagingDatabase } from './write-parquet.ts';

interface KpiPlan {
  /** Value of the KPI per month: a query returning (period_start, value). */
  readonly sql: string;
  /** The plan asks for a bit more than the trend: ×stretch for ratios of growth, + for scores. */
  readonly stretch: (trend: number) => number;
  /** Plans are round numbers. */
  readonly round: (value: number) => number;
  /** Months at the end not used for the trend (cohort rates that have not matured). */
  readonly immatureMonths?: number;
}

const step = (size: number) => (v: number) => Math.round(v / size) * size;
/** Three significant digits: 1,234,567 → 1,230,000. */
const significant = (v: number) => {
  if (v === 0) return 0;
  const size = 10 ** (Math.floor(Math.log10(Math.abs(v))) - 2);
  return Math.round(v / size) * size;
};
const times = (factor: number) => (v: number) => v * factor;
const plus = (delta: number) => (v: number) => v + delta;

const MONTHS = `(SELECT m::DATE AS period_start, (m + INTERVAL 1 MONTH)::DATE AS period_end
  FROM range(DATE '${formatDate(WINDOW_START)}', DATE '${formatDate(monthStart(END_DAY, 1))}', INTERVAL 1 MONTH) t(m)) p`;
const STARTING = `c.acquired_at < p.period_start AND (c.churned_at IS NULL OR c.churned_at >= p.period_start)`;
const ACTIVE_AT = (t: string) => `s.started_at <= ${t} AND ${t} < coalesce(s.cancelled_at, s.ends_at)`;

const PLANS: Readonly<Record<string, KpiPlan>> = {
  close_rate: {
    sql: `SELECT period_start, count(*) FILTER (o.status = 'won') / nullif(count(*) FILTER (o.status IN ('won', 'lost')), 0)
      FROM ${MONTHS} LEFT JOIN opportunities o ON o.closed_at >= p.period_start AND o.closed_at < p.period_end GROUP BY ALL`,
    stretch: times(1.01),
    round: step(0.005),
  },
  won_revenue: {
    sql: `SELECT period_start, sum(o.amount) FILTER (o.status = 'won')
      FROM ${MONTHS} LEFT JOIN opportunities o ON o.closed_at >= p.period_start AND o.closed_at < p.period_end GROUP BY ALL`,
    stretch: times(1.02),
    round: significant,
  },
  new_customers: {
    sql: `SELECT period_start, count(c.customer_id)
      FROM ${MONTHS} LEFT JOIN customers c ON c.acquired_at >= p.period_start AND c.acquired_at < p.period_end GROUP BY ALL`,
    stretch: times(1.02),
    round: step(1),
  },
  churn_rate: {
    sql: `SELECT period_start, count(*) FILTER (c.churned_at < p.period_end) / nullif(count(c.customer_id), 0)
      FROM ${MONTHS} LEFT JOIN customers c ON ${STARTING} GROUP BY ALL`,
    stretch: times(0.97),
    round: step(0.001),
  },
  retention_rate: {
    sql: `SELECT period_start, count(*) FILTER (c.churned_at IS NULL OR c.churned_at >= p.period_end) / nullif(count(c.customer_id), 0)
      FROM ${MONTHS} LEFT JOIN customers c ON ${STARTING} GROUP BY ALL`,
    stretch: plus(0.0005),
    round: step(0.001),
  },
  nps: {
    sql: `SELECT period_start, 100 * (count(*) FILTER (s.score >= 9) - count(*) FILTER (s.score <= 6)) / nullif(count(s.score), 0)
      FROM ${MONTHS} LEFT JOIN surveys s ON s.kind = 'nps' AND s.responded_at >= p.period_start AND s.responded_at < p.period_end
      GROUP BY ALL`,
    stretch: plus(1),
    round: step(1),
  },
  csat: {
    sql: `SELECT period_start, count(*) FILTER (s.score >= 4) / nullif(count(s.score), 0)
      FROM ${MONTHS} LEFT JOIN surveys s ON s.kind = 'csat' AND s.responded_at >= p.period_start AND s.responded_at < p.period_end
      GROUP BY ALL`,
    stretch: plus(0.005),
    round: step(0.005),
  },
  open_pipeline: {
    sql: `SELECT period_start, sum(o.amount)
      FROM ${MONTHS} LEFT JOIN opportunities o ON o.created_at < p.period_end AND (o.closed_at IS NULL OR o.closed_at >= p.period_end)
      GROUP BY ALL`,
    stretch: times(1.02),
    round: significant,
  },
  cac: {
    sql: `SELECT period_start,
        (SELECT sum(e.amount) FROM expenses e WHERE e.category IN ('marketing', 'sales')
           AND e.spent_on >= p.period_start AND e.spent_on < p.period_end)
        / nullif((SELECT count(*) FROM customers c WHERE c.acquired_at >= p.period_start AND c.acquired_at < p.period_end), 0)
      FROM ${MONTHS}`,
    stretch: times(0.98),
    round: significant,
  },
  nrr: {
    sql: `SELECT period_start,
        sum(s.mrr) FILTER (${ACTIVE_AT('p.period_end')}) / nullif(sum(s.mrr) FILTER (${ACTIVE_AT('p.period_start')}), 0)
      FROM ${MONTHS} LEFT JOIN customers c ON ${STARTING} LEFT JOIN subscriptions s ON s.customer_id = c.customer_id
      GROUP BY ALL`,
    stretch: plus(0.001),
    round: step(0.001),
  },
  lead_conversion_rate: {
    sql: `SELECT period_start, count(*) FILTER (l.status = 'converted') / nullif(count(l.lead_id), 0)
      FROM ${MONTHS} LEFT JOIN leads l ON l.created_at >= p.period_start AND l.created_at < p.period_end GROUP BY ALL`,
    stretch: times(1.02),
    round: step(0.0025),
    immatureMonths: 4,
  },
  sales_cycle_days: {
    sql: `SELECT period_start, avg(epoch(o.closed_at) - epoch(o.created_at)) / 86400
      FROM ${MONTHS} LEFT JOIN opportunities o
        ON o.status = 'won' AND o.closed_at >= p.period_start AND o.closed_at < p.period_end GROUP BY ALL`,
    stretch: times(0.98),
    round: step(0.5),
  },
  first_response_hours: {
    sql: `SELECT period_start, avg(epoch(t.first_response_at) - epoch(t.created_at)) / 3600
      FROM ${MONTHS} LEFT JOIN tickets t ON t.created_at >= p.period_start AND t.created_at < p.period_end GROUP BY ALL`,
    stretch: times(0.97),
    round: step(0.1),
  },
};

/** Months of plan after the data: the rest of the current quarter. */
const PLAN_AHEAD = 2;

/** Derives the targets from the tables `db` can query (the staging tables, or views over written files). */
export async function deriveTargets(db: Pick<StagingDatabase, 'query'>): Promise<Target[]> {
  const targets: Target[] = [];
  for (const [kpi, plan] of Object.entries(PLANS)) {
    const rows = await db.query(
      `SELECT period_start::VARCHAR AS period_start, value::DOUBLE AS value FROM (${plan.sql}) t(period_start, value) ORDER BY 1`,
    );
    const actual = rows.map((r) => (typeof r.value === 'number' ? r.value : null));
    const trend = fitLine(actual.slice(0, actual.length - (plan.immatureMonths ?? 0)));
    if (!trend) continue;
    for (let i = 0; i < actual.length + PLAN_AHEAD; i++) {
      const periodStart = monthStart(WINDOW_START, i);
      // One plan value per calendar quarter, taken at the quarter's middle month.
      const month = new Date(periodStart * 86_400_000).getUTCMonth();
      const middle = i - (month % 3) + 1;
      let target = plan.round(plan.stretch(trend(middle)));
      const achieved = actual[i];
      // A target that exactly equals the result says nothing; nudge it to the stretch side.
      if (achieved != null && Math.abs(target - achieved) < 1e-9)
        target = plan.round(plan.stretch(target * 1.01 + 1e-6));
      targets.push({ kpi, periodStart, target: Number(target.toPrecision(12)) });
    }
  }
  return targets;
}

/** Least-squares line through the non-null values (x = month index); null with fewer than two. */
function fitLine(values: readonly (number | null)[]): ((x: number) => number) | null {
  const points = values.flatMap((y, x) => (y === null ? [] : [[x, y] as const]));
  if (points.length < 2) return null;
  const n = points.length;
  const meanX = points.reduce((s, [x]) => s + x, 0) / n;
  const meanY = points.reduce((s, [, y]) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - meanX) * (y - meanY);
    sxx += (x - meanX) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return (x) => meanY + slope * (x - meanX);
}
