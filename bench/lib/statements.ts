// What the report process sends to DuckDB, as recorded by bench/contenders/report.ts.

import type { SqlParams } from '../../lib/data/database.ts';

export interface CapturedStatement {
  readonly kind: 'query' | 'run';
  readonly sql: string;
  /** The parameters DuckDB was given (those the SQL uses). */
  readonly params: SqlParams;
  /** Since the contender started its clock. */
  readonly startMs: number;
  readonly ms: number;
  /** The KPI a KPI query computes. */
  readonly kpi?: string;
}

export interface Capture {
  readonly statements: readonly CapturedStatement[];
}

// runKpi wraps every KPI's SQL in this projection (lib/kpi/run.ts).
const KPI_WRAPPER = 'SELECT * REPLACE (period_start::DATE::VARCHAR AS period_start';

/** A KPI query, as runKpi sends it. */
export function isKpiQuery(sql: string): boolean {
  return sql.startsWith(KPI_WRAPPER);
}

/** The macros (lib/kpi/period-sql.ts, lib/kpi/customer-sql.ts) that KPI SQL needs. */
export function isMacroDefinition(sql: string): boolean {
  return /CREATE OR REPLACE TEMP MACRO/.test(sql);
}

/** A table of shared per-customer state the engine makes once per window (lib/kpi/shared-state.ts). */
export function isSharedState(sql: string): boolean {
  return sql.startsWith('CREATE TEMP TABLE __pulse_');
}

/**
 * Tables the KPI queries read, each with the columns they mention (a word match on the SQL),
 * the macros they call included (customer_mrr reads subscriptions for them).
 */
export function kpiColumns(
  capture: Capture,
  schemas: ReadonlyMap<string, readonly string[]>,
): Map<string, string[]> {
  const kpiSql = capture.statements
    .filter((s) => isKpiQuery(s.sql) || isMacroDefinition(s.sql))
    .map((s) => s.sql);
  const words = new Set(kpiSql.flatMap((sql) => sql.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []));
  const tablesRead = new Set(
    kpiSql.flatMap((sql) =>
      [...sql.matchAll(/\b(?:FROM|JOIN)\s+([A-Za-z_][A-Za-z0-9_]*)/gi)].map((m) => m[1] ?? ''),
    ),
  );
  const out = new Map<string, string[]>();
  for (const [table, columns] of schemas) {
    if (!tablesRead.has(table)) continue;
    out.set(
      table,
      columns.filter((c) => words.has(c)),
    );
  }
  return out;
}
