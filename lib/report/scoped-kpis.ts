// What a KPI can say in a scoped report (lib/data/scope.ts), decided from the tables its SQL
// reads. Like a finance tool that would rather show "n/a" than a wrong regional number:
// - only scoped tables (customers and the tables linked to them): the scope's own number;
// - only company-wide tables (leads, expenses, CRM use ...): shown, labelled company-wide;
// - both (CAC = company spend ÷ the region's new customers): not available, since a ratio of a
//   company-wide figure to a regional one belongs to neither;
// - a scoped table with rows that belong to no known customer (deals on prospect accounts not
//   in customers): not available, since those rows are in no region and leaving them out would
//   bias a rate (a close rate without the deals lost to prospects); the fix is said.
// Pure.

import { TABLE_NAMES, type TableName } from '../data/contract.ts';
import { type DatasetScope, TABLE_ROLES } from '../data/scope.ts';
import { DEFAULT_LOCALE } from '../format/values.ts';
import type { Target } from '../kpi/compare.ts';
import type { KpiDefinition } from '../kpi/definition.ts';

export type KpiScopeClass =
  | { readonly kind: 'scoped' }
  | { readonly kind: 'company-wide'; readonly reason: string }
  | {
      readonly kind: 'unavailable';
      /** mixed: reads company-wide tables too; unattributed: a table has rows of no customer. */
      readonly cause: 'mixed' | 'unattributed';
      readonly tables: readonly TableName[];
      /** What it would need, for "not available (needs ...)". */
      readonly missing: readonly string[];
    };

type KpiText = Pick<KpiDefinition, 'sql' | 'needs' | 'breakdowns'>;

const TABLE_REF = /\b(?:from|join)\s+"?([a-z_][a-z0-9_]*)"?/gi;

/** The contract tables a KPI reads: named after FROM or JOIN in its SQL, or in its needs. */
export function kpiTables(kpi: KpiText, by?: string): TableName[] {
  const names = new Set<string>();
  for (const match of kpi.sql.matchAll(TABLE_REF)) names.add((match[1] ?? '').toLowerCase());
  const breakdown = by === undefined ? undefined : kpi.breakdowns.find((b) => b.name === by);
  for (const need of [...kpi.needs, ...(breakdown?.needs ?? [])]) names.add(need.split('.')[0] ?? '');
  return TABLE_NAMES.filter((t) => names.has(t));
}

export function classifyKpi(kpi: KpiText, by: string | undefined, scope: DatasetScope): KpiScopeClass {
  const tables = kpiTables(kpi, by);
  const scoped = tables.filter((t) => ['customers', 'linked'].includes(TABLE_ROLES[t].kind));
  const wide = tables.filter((t) => TABLE_ROLES[t].kind === 'company-wide');
  if (scoped.length === 0) {
    const whys = wide.flatMap((t) => {
      const role = TABLE_ROLES[t];
      return role.kind === 'company-wide' ? [role.why] : [];
    });
    return { kind: 'company-wide', reason: whys.join('; ') || 'its tables are not linked to customers' };
  }
  if (wide.length > 0) {
    const missing = wide.map((t) => `${t} by ${scope.dimensions}`);
    return { kind: 'unavailable', cause: 'mixed', tables: wide, missing };
  }
  const partial = scope.unattributed.filter((u) => scoped.includes(u.table));
  if (partial.length > 0) {
    const missing = partial.map((u) => {
      const role = TABLE_ROLES[u.table];
      const noun = role.kind === 'linked' && role.noun !== u.table ? `${role.noun} (${u.table})` : u.table;
      return `a ${scope.dimensions} for all ${noun}; ${count(u.rows)} of ${count(u.total)} belong to no customer`;
    });
    return { kind: 'unavailable', cause: 'unattributed', tables: partial.map((u) => u.table), missing };
  }
  return { kind: 'scoped' };
}

/**
 * Targets that apply to the scope's numbers: a segment's own targets when the scope is that
 * segment alone (as the whole business's, and by segment); none otherwise, since goals set for
 * the whole business say nothing about one region.
 */
export function scopedTargets(targets: readonly Target[], scope: DatasetScope): Target[] {
  const segment = scope.params.segment;
  if (!segmentOnly(scope) || segment === undefined) return [];
  const own = targets.filter((t) => t.segment === segment);
  return [...own.map((t) => ({ ...t, segment: null })), ...own];
}

export interface ScopeOutcome {
  readonly id: string;
  readonly title: string;
  readonly scopeClass: KpiScopeClass;
}

/**
 * What a scoped report says about its scope: what it covers (one sentence, near the title) and
 * what in it is not the scope's own (company-wide, not available, targets), one sentence each.
 */
export function scopeNotes(
  scope: DatasetScope,
  outcomes: readonly ScopeOutcome[],
  options: { hasTargets: boolean; has: (table: TableName) => boolean; locale?: string },
): { coverage: string; notes: string[] } {
  const linked = TABLE_NAMES.flatMap((t) => {
    const role = TABLE_ROLES[t];
    const whole = options.has(t) && !scope.unattributed.some((u) => u.table === t);
    return role.kind === 'linked' && whole && t !== 'opportunity_stages' ? [role.noun] : [];
  });
  const coverage = `Covers the ${countIn(options.locale, scope.customers)} of ${countIn(options.locale, scope.totalCustomers)} customers with ${scope.label}${linked.length > 0 ? ` and their ${list(linked)}` : ''}.`;
  const notes: string[] = [];
  const titles = (found: readonly ScopeOutcome[]) => [...new Set(found.map((o) => o.title))];
  const companyWide = outcomes.filter((o) => o.scopeClass.kind === 'company-wide');
  if (companyWide.length > 0) {
    const reasons = new Set(
      companyWide.flatMap((o) =>
        o.scopeClass.kind === 'company-wide' ? o.scopeClass.reason.split('; ') : [],
      ),
    );
    notes.push(
      `Company-wide, marked so: ${list(titles(companyWide))}. Their data cannot be split by ${scope.dimensions}: ${[...reasons].join('; ')}.`,
    );
  }
  const unavailable = (cause: 'mixed' | 'unattributed') =>
    outcomes.flatMap((o) => (o.scopeClass.kind === 'unavailable' && o.scopeClass.cause === cause ? [o] : []));
  const mixed = titles(unavailable('mixed'));
  if (mixed.length > 0) {
    notes.push(
      `Not available for ${scope.label}: ${list(mixed)}. Each combines the scope's figures with company-wide ones (such as expenses), which would belong to neither.`,
    );
  }
  const unattributed = unavailable('unattributed');
  const partial = titles(unattributed).filter((title) => !mixed.includes(title));
  if (partial.length > 0) {
    const tables = new Set(
      unattributed.flatMap((o) => (o.scopeClass.kind === 'unavailable' ? o.scopeClass.tables : [])),
    );
    const rows = scope.unattributed
      .filter((u) => tables.has(u.table))
      .map((u) => `${countIn(options.locale, u.rows)} of ${countIn(options.locale, u.total)} ${u.table}`);
    const example = tables.has('opportunities') ? ' (a close rate without the deals lost to prospects)' : '';
    notes.push(
      `Not available for ${scope.label}: ${list(partial)}. ${list(rows)} belong to no customer in customers, so their ${scope.dimensions} is unknown, and leaving them out would bias these numbers${example}; add those accounts to customers with their ${scope.dimensions} to include them.`,
    );
  }
  if (options.hasTargets && !segmentOnly(scope)) {
    notes.push(`Targets are set for the whole business, so none is shown for ${scope.label}.`);
  }
  if (scope.customersWithoutValue > 0) {
    const one = scope.customersWithoutValue === 1;
    notes.push(
      `${countIn(options.locale, scope.customersWithoutValue)} ${one ? 'customer has' : 'customers have'} no ${scope.dimensions} and ${one ? 'is' : 'are'} in no such report.`,
    );
  }
  return { coverage, notes };
}

function segmentOnly(scope: DatasetScope): boolean {
  return Object.keys(scope.params).length === 1 && scope.params.segment !== undefined;
}

function count(n: number): string {
  return countIn(DEFAULT_LOCALE, n);
}

/** A count in the report's locale (its notes); the reasons above are shared with the CLI. */
function countIn(locale: string | undefined, n: number): string {
  return n.toLocaleString(locale ?? DEFAULT_LOCALE);
}

function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
