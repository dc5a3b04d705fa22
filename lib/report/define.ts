import { isScopeDimension, SCOPE_DIMENSIONS } from '../data/scope.ts';
import { PulseError } from '../errors.ts';
import type { Grain } from '../kpi/period.ts';
import type { ReportContext } from './context.ts';
import { isReportName, REPORT_NAME } from './report-name.ts';

/** A parameter a report takes besides the scope dimensions (`--param sla_hours=6`). */
export interface ReportParam {
  readonly name: string;
  /** One line for error messages and the README: what it changes. */
  readonly description: string;
}

export interface ReportDefinition {
  /** File-safe name: reports/<name>.ts, out/<name>/<period>/. */
  readonly name: string;
  /** Shown in the header and the e-mail subject: "CRM monthly report". */
  readonly title: string;
  /** The report's period is one of these. */
  readonly grain: Grain;
  /**
   * Its own parameters; every KPI that declares a parameter of the same name gets the value.
   * The scope dimensions (region, segment, ...) are always accepted and scope the data.
   */
  readonly params?: readonly ReportParam[];
  /** How the Reproduce line runs it, when not `pulse report NAME`: `['alert', 'test', 'churn-high']`. */
  readonly command?: readonly string[];
  /** Notebook cells, top to bottom. */
  build(r: ReportContext): Promise<void>;
}

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function defineReport(definition: ReportDefinition): ReportDefinition {
  if (!isReportName(definition.name)) {
    throw new PulseError('usage', `report name "${definition.name}" must match ${REPORT_NAME.source}`);
  }
  for (const param of definition.params ?? []) {
    if (!PARAM_NAME.test(param.name)) {
      throw new PulseError(
        'usage',
        `report ${definition.name}: param name "${param.name}" must be letters, digits and _`,
      );
    }
    // A scope dimension always filters the data; a report's own param of that name would be ambiguous.
    if (isScopeDimension(param.name)) {
      throw new PulseError(
        'usage',
        `report ${definition.name}: param "${param.name}" is a scope dimension (${SCOPE_DIMENSIONS.join(', ')}), which every report takes; rename it`,
      );
    }
  }
  return definition;
}
