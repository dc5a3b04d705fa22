// Quarterly board report: the year-over-year view of every headline KPI, customer cohorts and
// relationship groups, unit economics (CLV, CAC, payback) and what is up for renewal next quarter.
// Run: npx tsx reports/quarterly.ts [--period 2026-Q3] [--data DIR] [--out DIR] [--tz ZONE] [--pdf]

import { runIfMain } from '../lib/cli/run-if-main.ts';
import { rowsTable, trendChart } from '../lib/report/cells/kpi-charts.ts';
import {
  clvVersusCac,
  cohortRetention,
  headlineSummary,
  headlineTiles,
  relationshipGroups,
  revenueMix,
} from '../lib/report/cells/shared-cells.ts';
import { explainChanges } from '../lib/report/cells/what-changed.ts';
import { defineReport } from '../lib/report/define.ts';

const HEADLINE = ['revenue', 'won_revenue', 'new_customers', 'churn_rate', 'nrr', 'clv', 'cac', 'nps'];
const BOARD_KPIS = [
  ...HEADLINE,
  'close_rate',
  'open_pipeline',
  'grr',
  'active_customers',
  'gross_margin',
  'csat',
  'cac_payback_months',
];

const report = defineReport({
  name: 'quarterly',
  title: 'CRM quarterly board report',
  grain: 'quarter',
  async build(r) {
    // Headline and the quarter in one sentence.
    const headline = await headlineTiles(r, HEADLINE, { history: 8 });
    r.summary(headlineSummary(r, headline, 'revenue'));
    r.headline(headline);

    await r.section('Year over year', async () => {
      const series = await r.kpis(BOARD_KPIS, 8);
      r.table({
        title: `${r.periodLabel} against the same quarter last year`,
        columns: [
          { header: 'KPI' },
          { header: r.periodLabel, align: 'right' },
          { header: 'A year earlier', align: 'right' },
          { header: 'Change', align: 'right' },
          { header: 'Better or worse' },
        ],
        rows: series.map((s) => {
          if (!s.available || !s.current)
            return [s.kpi.title, 'n/a', '', '', s.available ? '' : `needs ${s.missing.join(', ')}`];
          const row = s.current;
          return [
            s.kpi.title,
            r.format.value(row.value, s.kpi.unit),
            r.format.value(row.year_ago_value, s.kpi.unit),
            r.format.change(row.yoy_change, row.yoy_relative_change, s.kpi.unit),
            row.yoy_is_good === null ? '' : row.yoy_is_good ? 'better' : 'worse',
          ];
        }),
      });
      await explainChanges(
        r,
        [
          { id: 'revenue', by: 'segment' },
          { id: 'won_revenue', by: 'kind' },
          { id: 'churn_rate', by: 'segment', nouns: { rateNoun: 'churn', items: 'customers' } },
          { id: 'close_rate', by: 'channel', nouns: { rateNoun: 'win rates', items: 'deals' } },
          { id: 'new_customers', by: 'channel' },
        ],
        { top: 2, history: 9 },
      );
    });

    await r.section('Revenue', async () => {
      r.chart(
        trendChart(await r.kpi('revenue', 8), {
          format: r.format,
          title: 'Revenue by quarter, against the year before',
        }),
      );
      await revenueMix(r, 8);
    });

    await r.section('Customers', async () => {
      await cohortRetention(r);
      await relationshipGroups(r);
    });

    await r.section('Unit economics', async () => {
      r.tiles(await r.kpis(['clv', 'cac', 'cac_payback_months'], 8));
      await clvVersusCac(r);
      r.chart(
        trendChart(await r.kpi('cac_payback_months', 8), {
          format: r.format,
          title: 'Months to pay back the cost of acquiring a customer',
        }),
      );
    });

    await r.section('Renewals next quarter', async () => {
      const outlook = await r.rows('renewal_outlook');
      const table = rowsTable(
        outlook,
        [
          { field: 'product_type', header: 'Type', unit: 'text' },
          { field: 'subscriptions', header: 'Terms ending' },
          { field: 'mrr', header: 'MRR', unit: 'money' },
          { field: 'renewed', header: 'Renewed already' },
          { field: 'not_renewed', header: 'Lost already' },
          { field: 'undecided', header: 'Undecided' },
          { field: 'undecided_mrr', header: 'MRR still to win', unit: 'money' },
        ],
        {
          format: r.format,
          title: 'Subscriptions whose term ends next quarter',
          caption: 'The row without a type is the total.',
        },
      );
      if (table) r.table(table);
      else if (!outlook.available) r.unavailable('Renewal outlook', outlook.missing);
      r.tiles(await r.kpis(['renewal_rate', 'mrr_renewal_rate'], 8));
    });
  },
});

export default report;
await runIfMain(import.meta.url, report);
