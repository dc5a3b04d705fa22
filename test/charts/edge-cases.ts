// Every builder fed nothing: each must still return a chart, one that says there is no data.

import { buildBars } from '../../lib/charts/bars.ts';
import { buildCampaignRoiBars } from '../../lib/charts/campaign-roi-bars.ts';
import type { Chart } from '../../lib/charts/chart.ts';
import { buildCohortHeatmap } from '../../lib/charts/cohort-heatmap.ts';
import { buildFunnel } from '../../lib/charts/funnel.ts';
import { buildNpsDistribution } from '../../lib/charts/nps-distribution.ts';
import { buildRelationshipQuadrant } from '../../lib/charts/relationship-quadrant.ts';
import { buildResolutionDistribution } from '../../lib/charts/resolution-distribution.ts';
import { buildSparkline } from '../../lib/charts/sparkline.ts';
import { buildStackedRevenue } from '../../lib/charts/stacked-revenue.ts';
import { buildStageDurations } from '../../lib/charts/stage-durations.ts';
import { buildTrend } from '../../lib/charts/trend.ts';

export function emptyCharts(): Chart[] {
  return [
    buildSparkline({ unit: 'ratio', points: [] }),
    buildTrend({ unit: 'money', points: [] }),
    buildTrend({
      id: 'trend-all-null',
      unit: 'ratio',
      points: [
        { period: '2026-09-01', value: null },
        { period: '2026-10-01', value: null },
      ],
    }),
    buildBars({ unit: 'count', bars: [] }),
    buildStackedRevenue({ points: [] }),
    buildFunnel({ stages: [] }),
    buildStageDurations({ stages: [] }),
    buildCohortHeatmap({ cells: [] }),
    buildRelationshipQuadrant({ groups: [] }),
    buildNpsDistribution({ promoters: 0, passives: 0, detractors: 0 }),
    buildResolutionDistribution({ buckets: [] }),
    buildCampaignRoiBars({ campaigns: [] }),
  ];
}
