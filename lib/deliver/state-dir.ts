import { resolve } from 'node:path';
import { stateDirFor } from '../project.ts';
import type { Env } from './smtp-config.ts';

/** Where delivery and the scheduler keep what must survive a restart. */
export interface StatePaths {
  readonly dir: string;
  /** The send ledger and the schedule runs (DuckDB file). */
  readonly ledger: string;
  /** JSON lines: one event per line. */
  readonly log: string;
  /** .eml files when no SMTP server is configured. */
  readonly outbox: string;
}

/** PULSE_STATE_DIR, default .pulse/ in the project; relative paths from the working directory. */
export function buildStatePaths(env: Env, cwd: string): StatePaths {
  const dir = stateDirFor(env, cwd);
  return {
    dir,
    ledger: resolve(dir, 'ledger.duckdb'),
    log: resolve(dir, 'pulse.jsonl'),
    outbox: env.PULSE_OUTBOX ? resolve(cwd, env.PULSE_OUTBOX) : resolve(dir, 'outbox'),
  };
}
