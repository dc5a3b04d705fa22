// A report of your own, to start from: each `await r.section(...)` is a notebook cell.
// Run: npx tsx reports/overview.ts [--period 2026-10]   (or: npx pulse report overview)
// Live: npx pulse dev overview, then edit and save. The cells are in node_modules/crm-pulse/docs/notebook-api.md.

import { breakdownBars, defineReport, runIfMain, trendChart } from 'crm-pulse';

const report = defineReport({
  name: 'overview',
  title: 'CRM overview',
  grain: 'month',
  async build(r) {
    r.headline(await r.kpis(['revenue', 'close_rate', 'churn_rate', 'nps']));

    await r.section('Sales', async () => {
      r.chart(trendChart(await r.kpi('revenue'), { format: r.format }));
      r.chart(
        breakdownBars(await r.rows('close_rate', { by: 'channel' }), {
          format: r.format,
          dimension: 'Channel',
        }),
      );
    });

    await r.section('Customers', async () => {
      r.tiles(await r.kpis(['active_customers', 'new_customers', 'retention_rate']));
      r.chart(trendChart(await r.kpi('churn_rate'), { format: r.format }));
    });
  },
});

export default report;
await runIfMain(import.meta.url, report);
