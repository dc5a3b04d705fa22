// A KPI as one line of the catalog: `pulse list`, the dev server's index page and the README's
// KPI reference all show these fields, said the same way.

import type { KpiDefinition } from './definition.ts';

// A type, not an interface: a plain record, so CSV and JSON writers take it as one.
export type KpiListing = {
  readonly id: string;
  readonly area: string;
  readonly title: string;
  readonly unit: string;
  readonly direction: string;
  /** The tables it needs, comma-joined, in the order its `needs` names them. */
  readonly tables: string;
  /** Its `--by` breakdowns, comma-joined. */
  readonly breakdowns: string;
  /** Its own parameters, comma-joined. */
  readonly params: string;
  readonly file: string;
};

export function buildKpiListing(kpi: KpiDefinition): KpiListing {
  return {
    id: kpi.id,
    area: kpi.area,
    title: kpi.title,
    unit: kpi.unit,
    direction: kpi.direction,
    tables: [...new Set(kpi.needs.map((n) => n.split('.')[0] ?? ''))].join(', '),
    breakdowns: kpi.breakdowns.map((b) => b.name).join(', '),
    params: kpi.params.map((p) => p.name).join(', '),
    file: kpi.file,
  };
}
