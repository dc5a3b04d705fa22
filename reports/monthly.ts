// Monthly executive report: how the month went, what changed and why, then each area.
// Run: npx tsx reports/monthly.ts [--period 2026-10] [--data DIR] [--out DIR] [--tz ZONE] [--pdf]
//      [--param region=EMEA]  (or segment, industry, acquisition_channel, owner_id: that part only)
// Each `await r.section(...)` is a notebook cell; edit one and rerun (or watch `pulse dev`).
// The cells are described in docs/notebook-api.md.

import {
  bars,
  campaignPnl,
  clvVersusCac,
  cohortRetention,
  competitiveKnockouts,
  defineReport,
  explainChanges,
  fieldCompleteness,
  headlineSummary,
  headlineTiles,
  kpiTable,
  npsBreakdown,
  pipelineFunnel,
  referralLeads,
  relationshipGroups,
  repLeaderboard,
  resolutionDistribution,
  revenueMix,
  runIfMain,
  stageDurations,
  trend,
} from '../lib/index.ts';

// The eight an executive asks for first; those the data cannot answer give way to ones it can.
const HEADLINE = ['revenue', 'close_rate', 'open_pipeline', 'cac', 'churn_rate', 'nrr', 'nps', 'csat'];

const report = defineReport({
  name: 'monthly',
  title: 'CRM monthly report',
  grain: 'month',
  async build(r) {
    const headline = await headlineTiles(r, HEADLINE);
    r.summary(headlineSummary(r, headline, 'revenue'));
    r.headline(headline);

    await r.section('What changed and why', async () => {
      await explainChanges(r, [
        { id: 'revenue', by: 'segment' },
        { id: 'close_rate', by: 'channel', nouns: { rateNoun: 'win rates', items: 'deals' } },
        { id: 'won_revenue', by: 'kind' },
        { id: 'churn_rate', by: 'segment', nouns: { rateNoun: 'churn', items: 'customers' } },
        { id: 'new_customers', by: 'channel' },
        { id: 'new_leads', by: 'source' },
        { id: 'csat', by: 'channel', nouns: { rateNoun: 'satisfaction', items: 'answers' } },
        { id: 'nps', by: 'segment' },
        { id: 'first_response_hours', by: 'channel' },
        { id: 'cac' },
        { id: 'nrr' },
        { id: 'open_pipeline', by: 'kind' },
      ]);
    });

    await r.section('Sales', async () => {
      r.tiles(await r.kpis(['won_revenue', 'avg_deal_size', 'sales_cycle_days', 'lead_conversion_rate']));
      await revenueMix(r);
      await pipelineFunnel(r);
      await stageDurations(r);
      await bars(r, 'close_rate', { by: 'channel', highlight: 'max' });
      await bars(r, 'sales_cycle_days', {
        by: 'channel',
        highlight: 'max',
        title: 'Time to close by channel',
      });
      await repLeaderboard(r);
      await competitiveKnockouts(r);
    });

    await r.section('Marketing', async () => {
      r.tiles(await r.kpis(['cac', 'cost_per_lead', 'campaign_roi', 'response_rate']));
      await campaignPnl(r);
      await trend(r, 'cost_per_lead');
      await bars(r, 'new_leads', { by: 'source', title: 'Leads by source' });
      await referralLeads(r);
    });

    await r.section('Customers', async () => {
      r.tiles(
        await r.kpis([
          'active_customers',
          'new_customers',
          'retention_rate',
          'grr',
          'clv',
          'cac_payback_months',
        ]),
      );
      await trend(r, 'churn_rate', { title: 'Logo churn by month' }); // a target, when there is one, is drawn and labelled
      await clvVersusCac(r);
      await cohortRetention(r);
      await relationshipGroups(r);
      await kpiTable(
        r,
        'at_risk_customers',
        [
          { field: 'name', header: 'Customer', unit: 'text' },
          { field: 'segment', header: 'Segment', unit: 'text' },
          { field: 'revenue_at_risk', header: 'Revenue at risk', unit: 'money' },
          { field: 'reasons', header: 'Why', unit: 'text' },
        ],
        { limit: 10, title: 'At-risk customers, top 10 by revenue at risk' },
      );
    });

    await r.section('Service and satisfaction', async () => {
      r.tiles(
        await r.kpis([
          'first_response_hours',
          'resolution_hours',
          'first_contact_resolution_rate',
          'same_day_resolution_rate',
          'ces',
        ]),
      );
      await trend(r, 'first_response_hours', {
        title: 'First response time, mean and median',
        alongside: [{ name: 'Median', field: 'median_hours' }],
      });
      await resolutionDistribution(r);
      await kpiTable(
        r,
        'tickets_by_type',
        [
          { field: 'category', header: 'Request type', unit: 'text' },
          { field: 'channel', header: 'Channel', unit: 'text' },
          { field: 'tickets', header: 'Tickets' },
          { field: 'share', header: 'Share' },
        ],
        { limit: 10, title: 'Service requests by type' },
      );
      await npsBreakdown(r);
    });

    await r.section('CRM adoption and data quality', async () => {
      r.tiles(await r.kpis(['active_user_rate', 'activities_per_user', 'data_completeness']));
      await bars(r, 'active_user_rate', { by: 'team', highlight: 'min' });
      await bars(r, 'activities_per_user', { by: 'team' });
      await fieldCompleteness(r);
      r.markdown(r.rejectedRows.contract);
    });
  },
});

export default report;
await runIfMain(import.meta.url, report);
