// Quarterly board report: the year-over-year view of every headline KPI, customer cohorts and
// relationship groups, unit economics (CLV, CAC, payback) and what is up for renewal next quarter.
// Run: npx tsx reports/quarterly.ts [--period 2026-Q3] [--data DIR] [--out DIR] [--tz ZONE] [--pdf]

import {
  clvVersusCac,
  cohortRetention,
  defineReport,
  explainChanges,
  headlineSummary,
  headlineTiles,
  kpiTable,
  relationshipGroups,
  revenueMix,
  runIfMain,
  trend,
  yearOverYear,
} from '../lib/index.ts';

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
      await yearOverYear(r, BOARD_KPIS);
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
      await trend(r, 'revenue', { history: 8, title: 'Revenue by quarter, against the year before' });
      await revenueMix(r, 8);
    });

    await r.section('Customers', async () => {
      await cohortRetention(r);
      await relationshipGroups(r);
    });

    await r.section('Unit economics', async () => {
      r.tiles(await r.kpis(['clv', 'cac', 'cac_payback_months'], 8));
      await clvVersusCac(r);
      await trend(r, 'cac_payback_months', {
        history: 8,
        title: 'Months to pay back the cost of acquiring a customer',
      });
    });

    await r.section('Renewals next quarter', async () => {
      await kpiTable(
        r,
        'renewal_outlook',
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
          title: 'Subscriptions whose term ends next quarter',
          caption: 'The row without a type is the total.',
        },
      );
      r.tiles(await r.kpis(['renewal_rate', 'mrr_renewal_rate'], 8));
    });
  },
});

export default report;
await runIfMain(import.meta.url, report);
