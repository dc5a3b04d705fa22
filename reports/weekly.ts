// Weekly operations report: what came into and went out of the pipeline, deals stuck in a stage,
// tickets over SLA and this week's NPS detractors, each with a name to call.
// Run: npx tsx reports/weekly.ts [--period 2026-W43] [--data DIR] [--out DIR] [--tz ZONE] [--param sla_hours=8]

import { runIfMain } from '../lib/cli/run-if-main.ts';
import { formatAmount } from '../lib/insights/sentences.ts';
import { rowsTable, trendChart } from '../lib/report/cells/kpi-charts.ts';
import { explainChanges } from '../lib/report/cells/what-changed.ts';
import { defineReport } from '../lib/report/define.ts';

const report = defineReport({
  name: 'weekly',
  title: 'CRM weekly operations report',
  grain: 'week',
  // Reaches every KPI that declares it: sla_attainment_rate and tickets_over_sla.
  params: [{ name: 'sla_hours', description: 'the first-response promise in hours, default 8' }],
  async build(r) {
    // Headline: pipeline in and out, service promise, customer voice.
    const headline = await r.kpis([
      'pipeline_created',
      'won_revenue',
      'close_rate',
      'open_pipeline',
      'sla_attainment_rate',
      'first_response_hours',
      'nps',
      'csat',
    ]);
    r.headline(headline);
    const [created, won] = headline;
    if (created?.available && won?.available && created.current && won.current) {
      r.summary(
        `In the ${r.periodLabel}, ${created.current.deals ?? 0} deals worth ${formatAmount(created.current.value ?? 0, 'money', r.format)} entered the pipeline and ${won.current.deals ?? 0} worth ${formatAmount(won.current.value ?? 0, 'money', r.format)} were won.`,
      );
    }

    await r.section('What changed and why', async () => {
      await explainChanges(
        r,
        [
          { id: 'pipeline_created', by: 'kind' },
          { id: 'won_revenue', by: 'kind' },
          { id: 'close_rate', by: 'channel', nouns: { rateNoun: 'win rates', items: 'deals' } },
          {
            id: 'sla_attainment_rate',
            by: 'channel',
            nouns: { rateNoun: 'on-time answers', items: 'tickets' },
          },
          { id: 'first_response_hours', by: 'channel' },
          { id: 'new_leads', by: 'source' },
        ],
        { top: 2 },
      );
    });

    await r.section('Pipeline', async () => {
      r.chart(
        trendChart(await r.kpi('pipeline_created'), { format: r.format, title: 'Pipeline created per week' }),
      );
      r.chart(
        trendChart(await r.kpi('open_pipeline'), {
          format: r.format,
          title: 'Open pipeline at the end of each week',
        }),
      );
      const stuck = await r.rows('stuck_deals');
      const table = rowsTable(
        stuck,
        [
          { field: 'opportunity_id', header: 'Deal', unit: 'text' },
          { field: 'rep', header: 'Rep', unit: 'text' },
          { field: 'stage', header: 'Stage', unit: 'text' },
          { field: 'age_days', header: 'Days in stage', unit: 'days' },
          { field: 'usual_days', header: 'Usual', unit: 'days' },
          { field: 'amount', header: 'Amount', unit: 'money' },
        ],
        {
          format: r.format,
          limit: 15,
          title: 'Deals stuck in a stage (more than twice the usual time), largest first',
        },
      );
      if (table && table.rows.length > 0) r.table(table);
      else if (stuck.available)
        r.markdown('No open deal has been in its stage longer than twice the usual time.');
      else r.unavailable('Stuck deals', stuck.missing);
    });

    await r.section('Service', async () => {
      r.chart(
        trendChart(await r.kpi('sla_attainment_rate'), {
          format: r.format,
          title: 'Tickets answered within the first-response SLA',
        }),
      );
      const late = await r.rows('tickets_over_sla');
      const table = rowsTable(
        late,
        [
          { field: 'ticket_id', header: 'Ticket', unit: 'text' },
          { field: 'customer', header: 'Customer', unit: 'text' },
          { field: 'priority', header: 'Priority', unit: 'text' },
          { field: 'channel', header: 'Channel', unit: 'text' },
          { field: 'created_at', header: 'Created', unit: 'text' },
          { field: 'response_hours', header: 'Answered after', unit: 'hours' },
          { field: 'waiting_hours', header: 'Waiting for', unit: 'hours' },
        ],
        { format: r.format, limit: 15, title: 'Tickets over the first-response SLA, longest first' },
      );
      if (table && table.rows.length > 0) r.table(table);
      else if (late.available) r.markdown('Every ticket of the week was answered within the SLA.');
      else r.unavailable('Tickets over SLA', late.missing);
    });

    await r.section('Customer voice', async () => {
      const detractors = await r.rows('nps_detractors');
      const table = rowsTable(
        detractors,
        [
          { field: 'customer', header: 'Customer', unit: 'text' },
          { field: 'segment', header: 'Segment', unit: 'text' },
          { field: 'score', header: 'Score', unit: 'count' },
          { field: 'responded_at', header: 'Answered', unit: 'text' },
          { field: 'ticket_id', header: 'About ticket', unit: 'text' },
        ],
        { format: r.format, limit: 20, title: 'NPS detractors this week: call them' },
      );
      if (table && table.rows.length > 0) r.table(table);
      else if (detractors.available) r.markdown('No NPS detractor this week.');
      else r.unavailable('NPS detractors', detractors.missing);
    });
  },
});

export default report;
await runIfMain(import.meta.url, report);
