import { describe, expect, it } from 'vitest';
import { parseKpiFile } from '../../lib/kpi/definition.ts';
import { buildKpiListing } from '../../lib/kpi/kpi-listing.ts';

const FILE = 'queries/sales/demo_rate.sql';
const SQL = [
  '-- title: Demo rate',
  '-- description: Demo.',
  '-- unit: ratio',
  '-- direction: up',
  '-- needs: opportunities.status, opportunities.closed_at, customers.segment, opportunities.amount',
  '-- by: owner = o.owner_id',
  '-- by: segment = c.segment [customers.segment]',
  '-- param: min_amount number = 0 smallest deal counted',
  'SELECT p.period_start, p.period_end, {by} AS breakdown, 1 AS numerator, 1 AS denominator',
  'FROM periods($start, $end, $grain) p WHERE $min_amount >= 0',
].join('\n');

describe('buildKpiListing', () => {
  it('says a KPI in one line: tables once each in order, breakdowns and params by name', () => {
    const outcome = parseKpiFile(FILE, SQL);
    if (!outcome.ok) throw new Error(outcome.errors.join('\n'));
    expect(buildKpiListing(outcome.definition)).toEqual({
      id: 'demo_rate',
      area: 'sales',
      title: 'Demo rate',
      unit: 'ratio',
      direction: 'up',
      tables: 'opportunities, customers',
      breakdowns: 'owner, segment',
      params: 'min_amount',
      file: FILE,
    });
  });
});
