// Weekly operations report: what came into and went out of the pipeline, deals stuck in a stage,
// tickets over SLA and this week's NPS detractors, each with a name to call.
// Run: npx tsx reports/weekly.ts [--period 2026-W43] [--data DIR] [--out DIR] [--tz ZONE] [--param sla_hours=8]

import {
  defineReport,
  explainChanges,
  headlineTiles,
  kpiTable,
  pipelineInAndOut,
  runIfMain,
  trend,
} from '../lib/index.ts';

const report = defineReport({
  name: 'weekly',
  title: 'CRM weekly operations report',
  grain: 'week',
  // Reaches every KPI that declares it: sla_attainment_rate and tickets_over_sla.
  params: [{ name: 'sla_hours', description: 'the first-response promise in hours, default 8' }],
  async build(r) {
    // Headline: pipeline in and out, service promise, customer voice; those the data cannot
    // answer give way to ones it can (an orders-only export leads with revenue).
    const headline = await headlineTiles(r, [
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
    // Said of the pipeline's own two series, even when a headline tile gave way.
    pipelineInAndOut(r, await r.kpis(['pipeline_created', 'won_revenue']));

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
      await trend(r, 'pipeline_created', { title: 'Pipeline created per week' });
      await trend(r, 'open_pipeline', { title: 'Open pipeline at the end of each week' });
      await kpiTable(
        r,
        'stuck_deals',
        [
          { field: 'opportunity_id', header: 'Deal', unit: 'text' },
          { field: 'rep', header: 'Rep', unit: 'text' },
          { field: 'stage', header: 'Stage', unit: 'text' },
          { field: 'age_days', header: 'Days in stage', unit: 'days' },
          { field: 'usual_days', header: 'Usual', unit: 'days' },
          { field: 'amount', header: 'Amount', unit: 'money' },
        ],
        {
          limit: 15,
          title: 'Deals stuck in a stage (more than twice the usual time), largest first',
          whenEmpty: 'No open deal has been in its stage longer than twice the usual time.',
        },
      );
    });

    await r.section('Service', async () => {
      await trend(r, 'sla_attainment_rate', { title: 'Tickets answered within the first-response SLA' });
      await kpiTable(
        r,
        'tickets_over_sla',
        [
          { field: 'ticket_id', header: 'Ticket', unit: 'text' },
          { field: 'customer', header: 'Customer', unit: 'text' },
          { field: 'priority', header: 'Priority', unit: 'text' },
          { field: 'channel', header: 'Channel', unit: 'text' },
          { field: 'created_at', header: 'Created', unit: 'text' },
          { field: 'response_hours', header: 'Answered after', unit: 'hours' },
          { field: 'waiting_hours', header: 'Waiting for', unit: 'hours' },
        ],
        {
          limit: 15,
          title: 'Tickets over the first-response SLA, longest first',
          whenEmpty: 'Every ticket of the week was answered within the SLA.',
        },
      );
    });

    await r.section('Customer voice', async () => {
      await kpiTable(
        r,
        'nps_detractors',
        [
          { field: 'customer', header: 'Customer', unit: 'text' },
          { field: 'segment', header: 'Segment', unit: 'text' },
          { field: 'score', header: 'Score', unit: 'count' },
          { field: 'responded_at', header: 'Answered', unit: 'text' },
          { field: 'ticket_id', header: 'About ticket', unit: 'text' },
        ],
        { limit: 20, title: 'NPS detractors this week: call them', whenEmpty: 'No NPS detractor this week.' },
      );
    });
  },
});

export default report;
await runIfMain(import.meta.url, report);
