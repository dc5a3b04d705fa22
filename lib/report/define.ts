import { PulseError } from '../errors.ts';
import type { Grain } from '../kpi/period.ts';
import type { ReportContext } from './context.ts';

export interface ReportDefinition {
  /** File-safe name: reports/<name>.ts, out/<name>/<period>/. */
  readonly name: string;
  /** Shown in the header and the e-mail subject: "CRM monthly report". */
  readonly title: string;
  /** The report's period is one of these. */
  readonly grain: Grain;
  /** Notebook cells, top to bottom. */
  build(r: ReportContext): Promise<void>;
}

export const REPORT_NAME = /^[a-z0-9_-]{1,64}$/;

export function defineReport(definition: ReportDefinition): ReportDefinition {
  if (!REPORT_NAME.test(definition.name)) {
    throw new PulseError('usage', `report name "${definition.name}" must match ${REPORT_NAME.source}`);
  }
  return definition;
}
