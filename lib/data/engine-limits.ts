// How much memory and how many threads DuckDB may use: PULSE_DUCKDB_MEMORY and
// PULSE_DUCKDB_THREADS, checked here so a typo is a clear error, not DuckDB's "Failed to set config".

import { totalmem } from 'node:os';
import { PulseError } from '../errors.ts';

export interface EngineLimits {
  /** DuckDB worker threads; defaults to DuckDB's own choice (one per core). */
  readonly threads?: number;
  /** A size DuckDB reads, e.g. '4GB' or '2048MiB'; defaults to DuckDB's 80 % of RAM. */
  readonly memoryLimit?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const UNITS = ['KB', 'MB', 'GB', 'TB', 'KiB', 'MiB', 'GiB', 'TiB'];
const MAX_THREADS = 1024;

/** The limits set in the environment; unset or empty variables leave DuckDB's defaults. */
export function engineLimitsFromEnv(env: Env): EngineLimits {
  const memory = env.PULSE_DUCKDB_MEMORY?.trim();
  const threads = env.PULSE_DUCKDB_THREADS?.trim();
  return {
    ...(memory ? { memoryLimit: parseMemoryLimit(memory, 'PULSE_DUCKDB_MEMORY') } : {}),
    ...(threads ? { threads: parseThreads(threads, 'PULSE_DUCKDB_THREADS') } : {}),
  };
}

/**
 * `4GB`, `512 MiB`, `1.5GB` (units of 1000 or 1024, case ignored) or a share of this machine's
 * memory, `50%` (DuckDB has no percentages: it becomes MiB here, within a container's limit).
 */
export function parseMemoryLimit(text: string, name: string, machineBytes = machineMemory()): string {
  const share = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  if (share) {
    const percent = Number(share[1]);
    if (percent > 0 && percent <= 100) return `${Math.floor((machineBytes * percent) / 100 / 2 ** 20)}MiB`;
  }
  const size = /^(\d+(?:\.\d+)?)\s*([KMGT]i?B)$/i.exec(text);
  const unit = size && UNITS.find((u) => u.toLowerCase() === size[2]?.toLowerCase());
  if (size && unit && Number(size[1]) > 0) return `${size[1]}${unit}`;
  throw new PulseError(
    'usage',
    `${name} "${text}" is not a memory size; expected a number with a unit (KB, MB, GB, TB, or KiB, MiB, GiB, TiB) or a share of this machine's memory from 1% to 100%, e.g. ${name}=4GB or ${name}=50%`,
  );
}

export function parseThreads(text: string, name: string): number {
  const threads = Number(text);
  if (/^\d+$/.test(text) && threads >= 1 && threads <= MAX_THREADS) return threads;
  throw new PulseError(
    'usage',
    `${name} "${text}" is not a thread count; expected a whole number from 1 to ${MAX_THREADS}, e.g. ${name}=2`,
  );
}

/** This machine's memory, or the container's limit when one is set and smaller. */
function machineMemory(): number {
  const total = totalmem();
  const constrained = process.constrainedMemory?.() ?? 0;
  return constrained > 0 && constrained < total ? constrained : total;
}
