// The `alert` object of a schedule in schedules.json, checked against the KPI catalog: every
// mistake is reported (where, what, expected) with the schedule's other mistakes, at start-up.

import { closest } from '../data/did-you-mean.ts';
import { ALERT_WHEN, type AlertRule, type AlertWhen } from '../insights/alert-rule.ts';
import type { Direction } from '../kpi/definition.ts';
import { isObject } from './schedule-fields.ts';

/** What an alert may name: each KPI's breakdowns and which way is good. */
export type AlertKpis = ReadonlyMap<
  string,
  { readonly breakdowns: readonly string[]; readonly direction: Direction }
>;

/** The catalog as an alert sees it. */
export function alertKpis(
  kpis: readonly { id: string; direction: Direction; breakdowns: readonly { name: string }[] }[],
): AlertKpis {
  return new Map(
    kpis.map((k) => [k.id, { direction: k.direction, breakdowns: k.breakdowns.map((b) => b.name) }]),
  );
}

const FIELDS = ['kpi', 'when', 'value', 'factor', 'by', 'grain', 'params', 'notifyWhenCleared'];
const GRAINS = ['week', 'month', 'quarter', 'year'] as const;

export function parseAlertRule(
  value: unknown,
  kpis: AlertKpis | undefined,
  error: (message: string) => void,
): AlertRule | undefined {
  if (!isObject(value)) {
    error(
      `.alert: expected an object such as {"kpi": "churn_rate", "when": "above", "value": 0.02}, got ${JSON.stringify(value)}`,
    );
    return undefined;
  }
  const before = { count: 0 };
  const fail = (message: string) => {
    before.count++;
    error(message);
  };
  for (const key of Object.keys(value)) {
    if (!FIELDS.includes(key)) {
      const near = closest(key, FIELDS);
      fail(
        `.alert.${key}: unknown field${near ? `; did you mean "${near}"?` : ''} (fields are ${FIELDS.join(', ')})`,
      );
    }
  }
  const kpi = typeof value.kpi === 'string' ? value.kpi : undefined;
  const known = kpi === undefined ? undefined : kpis?.get(kpi);
  if (kpi === undefined)
    fail(`.alert.kpi: expected a KPI id such as "churn_rate", got ${JSON.stringify(value.kpi)}`);
  else if (kpis && !known) {
    const near = closest(kpi, [...kpis.keys()]);
    fail(
      `.alert.kpi: unknown KPI "${kpi}"${near ? `; did you mean "${near}"?` : ''} (pulse list shows them)`,
    );
  }
  const when = ALERT_WHEN.includes(value.when as AlertWhen) ? (value.when as AlertWhen) : undefined;
  if (!when) fail(`.alert.when: expected one of ${ALERT_WHEN.join(', ')}, got ${JSON.stringify(value.when)}`);
  const line = value.value;
  if ((when === 'above' || when === 'below') && (typeof line !== 'number' || !Number.isFinite(line)))
    fail(
      `.alert.value: "${when}" needs a number, the line (a ratio as 0.02 for 2 %), got ${JSON.stringify(line)}`,
    );
  if (when && when !== 'above' && when !== 'below' && line !== undefined)
    fail(
      `.alert.value: only "above" and "below" take a value; "${when}" compares with ${when === 'off_target' ? 'the targets table' : 'the usual swing'}`,
    );
  const factor = value.factor;
  if (factor !== undefined && (when !== 'unusual' || typeof factor !== 'number' || !(factor > 0)))
    fail(
      `.alert.factor: only "unusual" takes a factor, a number above 0 (default 1.5), got ${JSON.stringify(factor)}`,
    );
  if (when === 'off_target' && known?.direction === 'none')
    fail(`.alert.when: "${kpi}" has no good direction, so it cannot be off target; use above or below`);
  const by = value.by;
  if (by !== undefined) {
    if (typeof by !== 'string') fail(`.alert.by: expected a breakdown name, got ${JSON.stringify(by)}`);
    else if (known && !known.breakdowns.includes(by))
      fail(
        `.alert.by: "${kpi}" cannot be broken down by "${by}"; it can by ${known.breakdowns.join(', ') || 'nothing'}`,
      );
  }
  const grain = value.grain ?? 'month';
  if (!GRAINS.includes(grain as (typeof GRAINS)[number]))
    fail(`.alert.grain: expected one of ${GRAINS.join(', ')}, got ${JSON.stringify(grain)}`);
  const params = value.params ?? {};
  const paramsOk =
    isObject(params) && Object.values(params).every((v) => typeof v === 'string' && v.trim() !== '');
  if (!paramsOk)
    fail(`.alert.params: expected {"region": "EMEA"}-style text values, got ${JSON.stringify(params)}`);
  const cleared = value.notifyWhenCleared ?? false;
  if (typeof cleared !== 'boolean')
    fail(`.alert.notifyWhenCleared: expected true or false, got ${JSON.stringify(cleared)}`);
  if (before.count > 0 || !kpi || !when) return undefined;
  return {
    kpi,
    when,
    ...(typeof line === 'number' ? { value: line } : {}),
    ...(typeof factor === 'number' ? { factor } : {}),
    ...(typeof by === 'string' ? { by } : {}),
    grain: grain as AlertRule['grain'],
    params: params as Record<string, string>,
    notifyWhenCleared: cleared === true,
  };
}
