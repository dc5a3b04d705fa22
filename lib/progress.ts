// What a long run is doing, step by step, for whoever shows it: a status line on a terminal
// (lib/cli/status-line.ts) or the scheduler's log (phases only). Steps are reported as they
// start; nothing here writes anywhere.

export type ProgressStep =
  | { readonly stage: 'read'; readonly table: string; readonly n: number; readonly of: number }
  | { readonly stage: 'check'; readonly table: string; readonly n: number; readonly of: number }
  | { readonly stage: 'kpi'; readonly kpi: string; readonly n: number; readonly by?: string }
  | { readonly stage: 'render'; readonly what: string };

export type OnProgress = (step: ProgressStep) => void;

/**
 * "checking orders (5 of 15)", "KPI 12 of about 50: close_rate by segment", "rendering the
 * e-mail". `kpisExpected` is what the same report computed last time, where known.
 */
export function describeStep(step: ProgressStep, kpisExpected?: number): string {
  switch (step.stage) {
    case 'read':
      return `reading ${step.table} (table ${step.n} of ${step.of})`;
    case 'check':
      return `checking ${step.table} against the contract (table ${step.n} of ${step.of})`;
    case 'kpi':
      return `KPI ${step.n}${kpisExpected && kpisExpected >= step.n ? ` of about ${kpisExpected}` : ''}: ${step.kpi}${step.by ? ` by ${step.by}` : ''}`;
    case 'render':
      return `rendering ${step.what}`;
  }
}
