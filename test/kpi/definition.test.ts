import { describe, expect, it } from 'vitest';
import { parseKpiFile } from '../../lib/kpi/definition.ts';

const FILE = 'queries/sales/demo.sql';
const header = (lines: string[]) => `${lines.map((l) => `-- ${l}`).join('\n')}\n`;
const VALID = header(['title: Demo', 'unit: ratio', 'direction: up', 'needs: opportunities.status']);
const BODY =
  'SELECT p.period_start, p.period_end, 1 AS numerator, 2 AS denominator FROM periods($start, $end, $grain) p';

function errors(text: string): string[] {
  const outcome = parseKpiFile(FILE, text);
  return outcome.ok ? [] : outcome.errors;
}

describe('KPI file headers', () => {
  it('parses a complete header', () => {
    const text =
      header([
        'title: Demo',
        'description: First line.',
        'description: Second line.',
        'unit: money',
        'direction: down',
        'needs: opportunities.amount, opportunities.closed_at',
        'by: owner = o.owner_id',
        'by: segment = c.segment [customers.segment]',
        'param: min_amount number = 100 smallest deal counted',
        'source: seed 001',
      ]) + BODY.replace('1 AS numerator', '{by} AS breakdown, $min_amount AS numerator');
    const outcome = parseKpiFile(FILE, text);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.definition).toMatchObject({
      id: 'demo',
      area: 'sales',
      unit: 'money',
      direction: 'down',
      description: 'First line. Second line.',
      needs: ['opportunities.amount', 'opportunities.closed_at'],
      breakdowns: [
        { name: 'owner', expression: 'o.owner_id', needs: [] },
        { name: 'segment', expression: 'c.segment', needs: ['customers.segment'] },
      ],
      params: [{ name: 'min_amount', type: 'number', default: 100, description: 'smallest deal counted' }],
    });
  });

  it('catches a $param used but not declared, naming the declared ones', () => {
    expect(errors(VALID + BODY.replace('1 AS numerator', '$owner AS numerator'))).toEqual([
      `${FILE}: $owner is used but not declared (declared: start, end, grain); add "-- param: owner number = 0 what it means"`,
    ]);
  });

  it('catches a param declared but unused, an unknown unit and a need outside the contract, all at once', () => {
    const text =
      header([
        'title: Demo',
        'unit: percent',
        'direction: up',
        'needs: opportunities.stauts',
        'param: x number = 1 unused',
      ]) + BODY;
    expect(errors(text)).toEqual([
      `${FILE}:2: unknown unit "percent"; expected one of ratio, money, count, days, hours, months, score, table`,
      `${FILE}:4: needs "opportunities.stauts", which is not a table.column of the data contract`,
      `${FILE}: param x is declared but the SQL never uses $x`,
    ]);
  });

  it('ignores $names in comments and strings', () => {
    expect(
      errors(`${VALID}-- uses $nothing\n${BODY.replace('1 AS numerator', "'$x' AS numerator")}`),
    ).toEqual([]);
  });

  it('requires {by} and "by:" to come together', () => {
    expect(
      errors(header(['title: Demo', 'unit: ratio', 'direction: up', 'by: owner = o.owner_id']) + BODY),
    ).toEqual([`${FILE}: the header declares breakdowns but the SQL never uses {by}`]);
    expect(errors(VALID + BODY.replace('1 AS numerator', '{by} AS breakdown, 1 AS numerator'))).toEqual([
      `${FILE}: the SQL uses {by} but the header declares no "-- by:"`,
    ]);
  });

  it('rejects unknown header keys and missing essentials', () => {
    expect(errors(`-- titel: Demo\n${BODY}`)).toEqual([
      `${FILE}:1: unknown header key "titel"; expected one of title, description, unit, direction, needs, by, param, known, source, window`,
      `${FILE}: the header needs a "-- title: ..." line`,
      `${FILE}: the header needs a "-- unit: ..." line (one of ratio, money, count, days, hours, months, score, table)`,
      `${FILE}: the header needs a "-- direction: ..." line (one of up, down, none)`,
    ]);
  });
});
