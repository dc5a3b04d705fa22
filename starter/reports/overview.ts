// A report of your own, to start from: each `await r.section(...)` is a notebook cell.
// Run: npx tsx reports/overview.ts [--period 2026-10]   (or: npx pulse report overview)
// Live: npx pulse dev overview, then edit and save. Cells: node_modules/crm-pulse/docs/notebook-api.md.

import { bars, defineReport, runIfMain, trend } from 'crm-pulse';

const report = defineReport({
  name: 'overview',
  title: 'CRM overview',
  grain: 'month',
  async build(r) {
    r.headline(await r.kpis(['revenue', 'close_rate', 'churn_rate', 'nps']));

    await r.section('Sales', async () => {
      await trend(r, 'revenue');
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
