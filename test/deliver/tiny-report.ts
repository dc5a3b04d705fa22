// A two-tile report with one change chart: the e-mail has everything the monthly one has (tiles,
// a cid: chart, the attachments) and runs in about a second on the small generated dataset.

import { trendChart } from '../../lib/report/cells/kpi-charts.ts';
import { defineReport } from '../../lib/report/define.ts';

export const tinyReport = defineReport({
  name: 'tiny',
  title: 'CRM tiny report',
  grain: 'month',
  async build(r) {
    const headline = await r.kpis(['revenue', 'close_rate'], 13);
    const region = r.params.region ?? 'all regions';
    r.summary(`How ${r.periodLabel} went for ${region}.`);
    r.headline(headline);
    const revenue = headline[0];
    if (revenue)
      r.change(`Revenue for ${region}.`, trendChart(revenue, { format: r.format, id: 'change-revenue' }));
  },
});

export const loadTinyReport = async (name: string) => {
  if (name !== 'tiny') throw new Error(`test: no report ${name}`);
  return tinyReport;
};
