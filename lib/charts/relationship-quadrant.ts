// Reinartz & Kumar's customer relationship groups as a 2 × 2: tenure from short to long across,
// profitability from low to high up. One bubble per group at its quadrant's centre, sized by
// revenue, with the group's name, customers and share of revenue written beside it.

import type { Chart, ChartOptions } from './chart.ts';
import { EMAIL_WIDTH, emptyChart, frameChart } from './frame.ts';
import { humanize, plural } from './labels.ts';
import { COLORS } from './theme.ts';
import { DEFAULT_FORMAT, formatShare, formatValue } from './units.ts';

export const RELATIONSHIP_GROUPS = ['true_friends', 'butterflies', 'barnacles', 'strangers'] as const;
export type RelationshipGroup = (typeof RELATIONSHIP_GROUPS)[number];

/** A row of the relationship_groups KPI. */
export interface RelationshipGroupRow {
  readonly group: string;
  readonly customers: number;
  readonly revenue: number;
  readonly margin?: number | null;
  /** Of the active customers' total margin; null when that total is 0. */
  readonly margin_share?: number | null;
}

export interface RelationshipQuadrantInput extends ChartOptions {
  readonly groups: readonly RelationshipGroupRow[];
}

/** Quadrant centres on a 0..1 grid: x = tenure, y = profitability. */
const PLACES: Record<RelationshipGroup, { x: number; y: number; color: string }> = {
  strangers: { x: 0.25, y: 0.25, color: COLORS.context },
  butterflies: { x: 0.25, y: 0.75, color: '#56B4E9' },
  barnacles: { x: 0.75, y: 0.25, color: '#E69F00' },
  true_friends: { x: 0.75, y: 0.75, color: COLORS.good },
};

export function buildRelationshipQuadrant(input: RelationshipQuadrantInput): Chart {
  const options = input.format ?? DEFAULT_FORMAT;
  const known = input.groups.filter((g): g is RelationshipGroupRow & { group: RelationshipGroup } =>
    (RELATIONSHIP_GROUPS as readonly string[]).includes(g.group),
  );
  const totalRevenue = known.reduce((sum, g) => sum + Math.max(0, g.revenue), 0);
  const totalCustomers = known.reduce((sum, g) => sum + g.customers, 0);
  const share = (g: RelationshipGroupRow) =>
    totalRevenue > 0 ? Math.max(0, g.revenue) / totalRevenue : null;
  const friends = known.find((g) => g.group === 'true_friends');
  const title =
    input.title ??
    (friends && totalCustomers > 0
      ? `True friends: ${plural(friends.customers, 'customer', options)} ${friends.customers === 1 ? 'brings' : 'bring'} ${formatShare(share(friends), options)} of revenue`
      : 'Customer relationship groups');
  const id = input.id ?? 'relationship-groups';
  const columns = ['Group', 'Customers', 'Revenue', 'Share of revenue', 'Share of margin'];
  if (known.length === 0 || totalCustomers === 0) return emptyChart({ ...input, id, title, columns });

  const rows = known.map((g) => {
    const place = PLACES[g.group];
    return {
      name: humanize(g.group),
      x: place.x,
      y: place.y,
      // Labels sit in the quadrant's top-left corner, the bubble in the space below them.
      labelX: place.x - 0.23,
      labelY: place.y + 0.21,
      bubbleY: place.y - 0.05,
      revenue: Math.max(0, g.revenue),
      color: place.color,
      detail: `${plural(g.customers, 'customer', options)} · ${formatShare(share(g), options)} of revenue`,
    };
  });
  const width = input.width ?? EMAIL_WIDTH;
  const height = input.height ?? 380;
  const unit = { type: 'quantitative' as const, scale: { domain: [0, 1], nice: false } };
  const x = { ...unit, field: 'x', axis: { ...bareAxis('Tenure: short → long') } };
  const y = {
    ...unit,
    field: 'y',
    axis: bareAxis('Profitability: low → high'),
  };
  return frameChart(
    {
      format: options,
      id,
      title,
      caption: input.caption,
      alt: `${title}. ${known
        .map(
          (g) =>
            `${humanize(g.group)}: ${plural(g.customers, 'customer', options)}, ${formatShare(share(g), options)} of revenue`,
        )
        .join('; ')}.`,
      table: {
        columns,
        rows: known.map((g) => [
          humanize(g.group),
          formatValue(g.customers, 'count', options),
          formatValue(g.revenue, 'money', options),
          formatShare(share(g), options),
          formatShare(g.margin_share ?? null, options),
        ]),
      },
      width,
      height,
    },
    {
      layer: [
        {
          data: { values: [{ at: 0.5 }] },
          mark: { type: 'rule', color: COLORS.contextLight, strokeWidth: 1.5 },
          encoding: { x: { ...x, field: 'at' } },
        },
        {
          data: { values: [{ at: 0.5 }] },
          mark: { type: 'rule', color: COLORS.contextLight, strokeWidth: 1.5 },
          encoding: { y: { ...y, field: 'at' } },
        },
        {
          data: { values: rows },
          layer: [
            {
              mark: { type: 'circle', opacity: 0.9, stroke: 'white', strokeWidth: 1 },
              encoding: {
                x,
                y: { ...y, field: 'bubbleY' },
                size: {
                  field: 'revenue',
                  type: 'quantitative',
                  scale: { range: [40, 4200], zero: true },
                  legend: null,
                },
                color: { field: 'color', type: 'nominal', scale: null },
              },
            },
            {
              mark: { type: 'text', align: 'left', baseline: 'top', fontSize: 14, fontWeight: 600 },
              encoding: {
                x: { ...x, field: 'labelX' },
                y: { ...y, field: 'labelY' },
                text: { field: 'name' },
              },
            },
            {
              mark: { type: 'text', align: 'left', baseline: 'top', dy: 19, color: COLORS.secondaryText },
              encoding: {
                x: { ...x, field: 'labelX' },
                y: { ...y, field: 'labelY' },
                text: { field: 'detail' },
              },
            },
          ],
        },
      ],
    },
  );
}

function bareAxis(title: string) {
  return {
    title,
    labels: false,
    ticks: false,
    grid: false,
    domain: true,
    titlePadding: 8,
    values: [] as number[],
  };
}
