export { runIfMain } from './cli/run-if-main.ts';
export { breakdownBars, trendChart } from './report/cells/kpi-charts.ts';
export { defineReport } from './report/define.ts';
