// crm-pulse's public API: everything a report script imports, from one entry
// (`import { defineReport, trend } from 'crm-pulse'` in a project, '../lib/index.ts' here).
// Nothing a project needs lives behind a deep import; docs/notebook-api.md describes each.

// Chart builders: a plain spec in, a Vega-Lite chart out (`r.chart(buildBars({...}))`).
export { type BarDatum, type BarsInput, buildBars, MIN_SAMPLE } from './charts/bars.ts';
export { buildCampaignRoiBars, type CampaignRoiInput } from './charts/campaign-roi-bars.ts';
export type { Chart, ChartOptions } from './charts/chart.ts';
export { buildCohortHeatmap, type CohortHeatmapInput } from './charts/cohort-heatmap.ts';
export { buildFunnel, type FunnelInput } from './charts/funnel.ts';
export { buildNpsDistribution, type NpsDistributionInput } from './charts/nps-distribution.ts';
export {
  buildRelationshipQuadrant,
  type RelationshipQuadrantInput,
} from './charts/relationship-quadrant.ts';
export {
  buildResolutionDistribution,
  type ResolutionDistributionInput,
} from './charts/resolution-distribution.ts';
export { buildStackedRevenue, type StackedRevenueInput } from './charts/stacked-revenue.ts';
export { buildStageDurations, type StageDurationsInput } from './charts/stage-durations.ts';
export { buildTrend, type TrendInput } from './charts/trend.ts';
// A report and how it runs itself.
export { runIfMain } from './cli/run-if-main.ts';
export type { KpiDefinition, Unit } from './kpi/definition.ts';
export type { Grain, PeriodSpan } from './kpi/period.ts';
export type { KpiSeries, KpiTable, TableBlock } from './render/content.ts';
export { fieldCompleteness } from './report/cells/adoption-cells.ts';
// Cells: each fetches its KPIs, draws itself and says when the data cannot.
export {
  type BarsOptions,
  bars,
  type KpiTableOptions,
  kpiTable,
  type SeriesRef,
  type TableRef,
  type TrendOptions,
  trend,
} from './report/cells/kpi-cells.ts';
// Lower level: a KPI result to a chart or table block, for cells of your own.
export {
  breakdownBars,
  type ColumnSpec,
  numberOrNull,
  prettify,
  rowsTable,
  trendChart,
} from './report/cells/kpi-charts.ts';
export { campaignPnl, referralLeads } from './report/cells/marketing-cells.ts';
export {
  competitiveKnockouts,
  pipelineFunnel,
  pipelineInAndOut,
  repLeaderboard,
  stageDurations,
} from './report/cells/sales-cells.ts';
export { npsBreakdown, resolutionDistribution } from './report/cells/service-cells.ts';
export {
  clvVersusCac,
  cohortRetention,
  HEADLINE_FALLBACKS,
  headlineSummary,
  headlineTiles,
  relationshipGroups,
  revenueMix,
} from './report/cells/shared-cells.ts';
export { type ChangeCandidate, explainChanges } from './report/cells/what-changed.ts';
export { yearOverYear } from './report/cells/year-over-year.ts';
export type { ReportContext, RowsOptions } from './report/context.ts';
export { defineReport, type ReportDefinition, type ReportParam } from './report/define.ts';
