// Monthly executive report: how the month went, what changed and why, then each area.
// Run: npx tsx reports/monthly.ts [--period 2026-10] [--data DIR] [--out DIR] [--tz ZONE] [--pdf]
//      [--param region=EMEA]  (or segment, industry, acquisition_channel, owner_id: that part only)
// Each `await r.section(...)` is a notebook cell; edit one and rerun (or watch `pulse dev`).

import { buildCampaignRoiBars } from '../lib/charts/campaign-roi-bars.ts';
import { buildFunnel } from '../lib/charts/funnel.ts';
import { buildNpsDistribution } from '../lib/charts/nps-distribution.ts';
import { buildResolutionDistribution } from '../lib/charts/resolution-distribution.ts';
import { buildStageDurations } from '../lib/charts/stage-durations.ts';
import { runIfMain } from '../lib/cli/run-if-main.ts';
import { breakdownBars, numberOrNull, rowsTable, trendChart } from '../lib/report/cells/kpi-charts.ts';
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

const HEADLINE = ['revenue', 'close_rate', 'open_pipeline', 'cac', 'churn_rate', 'nrr', 'nps', 'csat'];

const report = defineReport({
  name: 'monthly',
  title: 'CRM monthly report',
  grain: 'month',
  async build(r) {
    // Headline: the eight numbers an executive asks for first, with the month in one sentence.
    // The eight an executive asks for first; those the data cannot answer give way to ones it can.
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
      const funnel = await r.rows('stage_funnel');
      if (funnel.available && funnel.rows.length > 0) {
        r.chart(
          buildFunnel({
            format: r.format,
            id: 'pipeline-funnel',
            stages: funnel.rows.map((s) => ({ stage: String(s.stage), count: Number(s.deals) })),
            noun: 'deals',
          }),
        );
      } else
        r.unavailable('Pipeline funnel', funnel.available ? ['deals closed this month'] : funnel.missing);
      const stages = await r.rows('stage_duration_days', { by: 'stage' });
      if (stages.available) {
        const order = funnel.available ? funnel.rows.map((s) => String(s.stage)) : [];
        const rank = (stage: string) => (order.includes(stage) ? order.indexOf(stage) : order.length);
        const sorted = [...stages.rows].sort((a, b) => rank(String(a.stage)) - rank(String(b.stage)));
        r.chart(
          buildStageDurations({
            format: r.format,
            id: 'stage-durations',
            stages: sorted.map((s) => ({
              stage: String(s.stage),
              days: s.value,
              exits: numberOrNull(s.exits),
            })),
          }),
        );
      }
      r.chart(
        breakdownBars(await r.rows('close_rate', { by: 'channel' }), {
          format: r.format,
          dimension: 'Channel',
          highlight: 'max',
        }),
      );
      r.chart(
        breakdownBars(await r.rows('sales_cycle_days', { by: 'channel' }), {
          format: r.format,
          dimension: 'Channel',
          highlight: 'max',
          title: 'Time to close by channel',
        }),
      );
      const reps = await r.rows('won_revenue', { by: 'rep' });
      if (reps.available && reps.rows.length > 0) {
        const ranked = [...reps.rows].sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
        const shown = ranked.length > 10 ? [...ranked.slice(0, 5), ...ranked.slice(-5)] : ranked;
        const table = rowsTable(
          reps,
          [
            { field: 'rep', header: 'Rep', unit: 'text' },
            { field: 'value', header: 'Won revenue', unit: 'money' },
            { field: 'deals', header: 'Deals won' },
            { field: 'change', header: 'Change vs ' + r.previousLabel, unit: 'money' },
          ],
          {
            format: r.format,
            rows: shown,
            title: ranked.length > 10 ? 'Top and bottom five reps by won revenue' : 'Reps by won revenue',
          },
        );
        if (table) r.table(table);
      }
      const knockouts = await r.kpi('competitive_knockouts');
      if (knockouts.available && knockouts.current) {
        const winRate = numberOrNull(knockouts.current.win_rate);
        r.markdown(
          `**Competitive knockouts:** ${knockouts.current.value ?? 0} deals won against a named competitor` +
            (winRate === null ? '.' : `; win rate in competitive deals ${r.format.value(winRate, 'ratio')}.`),
        );
      }
    });

    await r.section('Marketing', async () => {
      r.tiles(await r.kpis(['cac', 'cost_per_lead', 'campaign_roi', 'response_rate']));
      const pnl = await r.rows('campaign_pnl');
      if (pnl.available) {
        const active = pnl.rows.filter((row) => row.campaign_id !== null);
        const table = rowsTable(
          pnl,
          [
            { field: 'name', header: 'Campaign', unit: 'text' },
            { field: 'channel', header: 'Channel', unit: 'text' },
            { field: 'cost', header: 'Cost', unit: 'money' },
            { field: 'leads', header: 'Leads' },
            { field: 'won_deals', header: 'Won deals' },
            { field: 'revenue', header: 'Revenue', unit: 'money' },
            { field: 'roi', header: 'ROI', unit: 'ratio' },
          ],
          {
            format: r.format,
            rows: active,
            limit: 10,
            title: 'Campaign P&L, top 10 by attributed revenue',
            caption: 'Revenue is attributed to the campaign that produced the lead (first touch).',
          },
        );
        if (table) r.table(table);
        const withCost = active.filter((row) => numberOrNull(row.cost) !== null && Number(row.cost) > 0);
        r.chart(
          buildCampaignRoiBars({
            format: r.format,
            id: 'campaign-roi',
            campaigns: withCost
              .sort((a, b) => Number(b.cost) - Number(a.cost))
              .slice(0, 10)
              .map((row) => ({
                campaign: String(row.name ?? row.campaign_id),
                roi: numberOrNull(row.roi),
                cost: numberOrNull(row.cost),
                revenue: numberOrNull(row.revenue),
              })),
          }),
        );
      } else r.unavailable('Campaign P&L', pnl.missing);
      r.chart(trendChart(await r.kpi('cost_per_lead'), { format: r.format }));
      const sources = await r.rows('new_leads', { by: 'source' });
      r.chart(breakdownBars(sources, { format: r.format, dimension: 'Source', title: 'Leads by source' }));
      const referrals = await r.kpi('referral_leads');
      if (referrals.available && referrals.current) {
        r.markdown(
          `**Referrals:** ${referrals.current.value ?? 0} leads came from customer referrals this month${referrals.companyWide ? ' (company-wide)' : ''}.`,
        );
      }
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
      r.chart(
        trendChart(await r.kpi('churn_rate'), {
          format: r.format,
          title: 'Logo churn by month, with target',
        }),
      );
      await clvVersusCac(r);
      await cohortRetention(r);
      await relationshipGroups(r);
      const atRisk = await r.rows('at_risk_customers');
      const table = rowsTable(
        atRisk,
        [
          { field: 'name', header: 'Customer', unit: 'text' },
          { field: 'segment', header: 'Segment', unit: 'text' },
          { field: 'revenue_at_risk', header: 'Revenue at risk', unit: 'money' },
          { field: 'reasons', header: 'Why', unit: 'text' },
        ],
        { format: r.format, limit: 10, title: 'At-risk customers, top 10 by revenue at risk' },
      );
      if (table) r.table(table);
      else if (!atRisk.available) r.unavailable('At-risk customers', atRisk.missing);
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
      r.chart(
        trendChart(await r.kpi('first_response_hours'), {
          format: r.format,
          title: 'First response time, mean and median',
          alongside: [{ name: 'Median', field: 'median_hours' }],
        }),
      );
      const buckets = await r.rows('resolution_time_distribution');
      if (buckets.available) {
        r.chart(
          buildResolutionDistribution({
            format: r.format,
            id: 'resolution-distribution',
            buckets: buckets.rows.map((b) => ({
              bucket_label: String(b.bucket_label),
              bucket_order: Number(b.bucket_order),
              tickets: Number(b.tickets),
            })),
          }),
        );
      }
      const types = await r.rows('tickets_by_type');
      const table = rowsTable(
        types,
        [
          { field: 'category', header: 'Request type', unit: 'text' },
          { field: 'channel', header: 'Channel', unit: 'text' },
          { field: 'tickets', header: 'Tickets' },
          { field: 'share', header: 'Share' },
        ],
        { format: r.format, limit: 10, title: 'Service requests by type' },
      );
      if (table) r.table(table);
      const nps = await r.kpi('nps');
      if (nps.available && nps.current) {
        r.chart(
          buildNpsDistribution({
            format: r.format,
            id: 'nps-distribution',
            promoters: Number(nps.current.promoters ?? 0),
            passives: Number(nps.current.passives ?? 0),
            detractors: Number(nps.current.detractors ?? 0),
            nps: nps.current.value,
          }),
        );
        r.chart(trendChart(nps, { format: r.format, title: 'NPS by month' }));
      }
    });

    await r.section('CRM adoption and data quality', async () => {
      r.tiles(await r.kpis(['active_user_rate', 'activities_per_user', 'data_completeness']));
      r.chart(
        breakdownBars(await r.rows('active_user_rate', { by: 'team' }), {
          format: r.format,
          dimension: 'Team',
          highlight: 'min',
        }),
      );
      r.chart(
        breakdownBars(await r.rows('activities_per_user', { by: 'team' }), {
          format: r.format,
          dimension: 'Team',
        }),
      );
      const completeness = await r.kpi('data_completeness');
      if (completeness.available && completeness.current) {
        const row = completeness.current;
        const fields = ['email', 'phone', 'segment', 'industry', 'owner', 'valid_email'];
        r.chart(
          breakdownBars(
            {
              kpi: completeness.kpi,
              available: true,
              by: 'field',
              rows: fields.map((f) => ({
                ...row,
                field: f.replace('_', ' '),
                value: numberOrNull(row[`${f}_rate`]),
              })),
            },
            {
              format: r.format,
              dimension: 'Field',
              highlight: 'min',
              title: 'Customer records: share with each field filled',
              unit: 'ratio',
            },
          ),
        );
      }
      r.markdown(r.rejectedRows.contract);
    });
  },
});

export default report;
await runIfMain(import.meta.url, report);
