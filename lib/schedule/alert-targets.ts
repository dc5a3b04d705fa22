// An off_target alert needs targets for its KPI: checked against the data's targets table at
// start-up, with the schedules' other mistakes, rather than found "unknown" at every run.

import type { Target } from '../kpi/compare.ts';
import type { Schedule } from './schedule-config.ts';

/** One message per off_target alert whose KPI has no target at its grain. */
export function missingTargets(schedules: readonly Schedule[], targets: readonly Target[]): string[] {
  return schedules.flatMap((s) => {
    const alert = s.alert;
    if (alert?.when !== 'off_target') return [];
    // The targets table holds company targets and, in its segment column, per-segment ones.
    if (alert.by && alert.by !== 'segment')
      return [
        `${s.name}.alert.by: "off_target" by ${alert.by} has no targets to compare with (the targets table has them for the company, or per segment); use by "segment", leave by out, or use above or below`,
      ];
    const has = targets.some(
      (t) =>
        t.kpi === alert.kpi &&
        t.grain === alert.grain &&
        (alert.by ? t.segment !== null : t.segment === null),
    );
    return has
      ? []
      : [
          `${s.name}.alert.when: "off_target" needs targets for ${alert.kpi} per ${alert.grain}${alert.by ? ' and segment' : ''}, and the targets table has none; add rows (kpi ${alert.kpi}, grain ${alert.grain}) to targets, or use above or below`,
        ];
  });
}
