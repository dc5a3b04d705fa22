// Which params a report takes: the scope dimensions (every report) and its own declared ones.
// A name that is neither is refused with the list, on the command line and in schedules.json
// alike, so a typo never yields a company-wide report that looks regional. Pure.

import { isScopeDimension, SCOPE_DIMENSIONS } from '../data/scope.ts';
import { PulseError } from '../errors.ts';
import type { ReportDefinition } from './define.ts';

export type ParamDeclarations = Pick<ReportDefinition, 'name' | 'params'>;

/** Every param name the report accepts, scope dimensions first. */
export function allowedParams(definition: ParamDeclarations): string[] {
  return [...SCOPE_DIMENSIONS, ...(definition.params ?? []).map((p) => p.name)];
}

/** The names in `params` the report does not take. */
export function unknownParams(
  definition: ParamDeclarations,
  params: Readonly<Record<string, string>>,
): string[] {
  const allowed = allowedParams(definition);
  return Object.keys(params).filter((name) => !allowed.includes(name));
}

/** `not a parameter of the monthly report; allowed: region, ... (scope the data ...), sla_hours (...)`. */
export function notAParameter(definition: ParamDeclarations): string {
  const own = (definition.params ?? []).map((p) => `${p.name} (${p.description})`);
  return `not a parameter of the ${definition.name} report; allowed: ${SCOPE_DIMENSIONS.join(', ')} (each keeps the customers with that value and their data)${own.length > 0 ? `, ${own.join(', ')}` : ''}`;
}

/** Refuses a param the report does not take (exit code 2), naming the allowed ones. */
export function checkReportParams(
  definition: ParamDeclarations,
  params: Readonly<Record<string, string>>,
): void {
  const [name] = unknownParams(definition, params);
  if (name !== undefined) throw new PulseError('param', `--param ${name}: ${notAParameter(definition)}`);
}

/** The report's own params (not the scope): these reach the KPIs that declare them. */
export function ownParams(params: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter(([name]) => !isScopeDimension(name)));
}
