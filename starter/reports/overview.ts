// A report of your own, to start from: each `await r.section(...)` is a notebook cell.
// Run: npx tsx reports/overview.ts [--period 2026-10]   (or: npx pulse report overview)
// Live: npx pulse dev overview, then edit and save. Cells: node_modules/crm-pulse/docs/notebook-api.md.

import { bars, defineReport, headlineSummary, headlineTiles, runIfMain, trend } from 'crm-pulse';

const report = defineReport({
  name: 'overview',
  title: 'CRM overview',
  grain: 'month',
  async build(r) {
    // Four numbers first; one your data cannot answer gives way to one it can.
    const headline = await headlineTiles(r, ['revenue', 'close_rate', 'churn_rate', 'nps']);
    r.summary(headlineSummary(r, headline, 'revenue'));
    r.headline(headline);

    await r.section('Sales', async () => {
      await trend(r, 'won_revenue');
      await bars(r, 'close_rate', { by: 'channel', highlight: 'max' });
    });

    await r.section('Customers', async () => {
      r.tiles(await r.kpis(['active_customers', 'new_customers', 'retention_rate']));
      await trend(r, 'churn_rate');
    });
  },
});

export default report;
await runIfMain(import.meta.url, report);
