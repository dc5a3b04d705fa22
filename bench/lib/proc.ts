// Peak memory of this process: the kernel's high-water mark of resident memory.

import { readFileSync } from 'node:fs';

/** VmHWM of /proc/self/status in KiB; null where /proc is missing. */
export function peakMemoryKb(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match?.[1] ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** CPU time of this process so far (all threads: DuckDB's workers too), ms. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
