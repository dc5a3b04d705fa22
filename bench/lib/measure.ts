// Runs one contender as a child process and measures it from outside: wall time, and peak
// resident memory from /usr/bin/time (the child's own VmHWM when that is missing). The child
// prints its result as the last line of stdout, in JSON.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measurement {
  readonly wall_ms: number;
  /** Peak resident memory of the process, KiB. */
  readonly peak_kb: number | null;
  /** CPU time (user + system) of the process, ms: less disturbed than wall time by other load. */
  readonly cpu_ms: number | null;
  /** What the contender printed (its own timings, values). */
  readonly result: Record<string, unknown>;
}

const TIME = '/usr/bin/time';
let counter = 0;

export async function measure(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<Measurement> {
  const timeFile = join(tmpdir(), `crm-pulse-bench-${process.pid}-${counter++}.time`);
  const useTime = existsSync(TIME);
  const [file, argv] = useTime
    ? [TIME, ['-f', '%M %U %S', '-o', timeFile, command, ...args]]
    : [command, [...args]];
  const started = performance.now();
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(file, argv, { cwd: options.cwd, env: options.env ?? process.env });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString();
      });
      child.on('error', reject);
      child.on('close', (status) => resolve({ code: status, stdout: out, stderr: err }));
    },
  );
  const wall = performance.now() - started;
  let timePeak: number | null = null;
  let cpu: number | null = null;
  if (useTime) {
    const text = await readFile(timeFile, 'utf8').catch(() => '');
    await rm(timeFile, { force: true });
    const [peak, user, system] = (text.trim().split('\n').pop() ?? '').split(' ').map(Number);
    if (peak !== undefined && Number.isFinite(peak) && peak > 0) timePeak = peak;
    if (user !== undefined && system !== undefined && Number.isFinite(user + system))
      cpu = (user + system) * 1000;
  }
  if (code !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${stderr.trim().slice(-2000)}`);
  }
  const lastLine = stdout.trim().split('\n').pop() ?? '';
  let result: Record<string, unknown>;
  try {
    result = JSON.parse(lastLine) as Record<string, unknown>;
  } catch {
    throw new Error(`${command} ${args.join(' ')} printed no JSON result:\n${stdout.slice(-1000)}`);
  }
  const own = typeof result.peak_kb === 'number' ? result.peak_kb : null;
  const peak = timePeak ?? own;
  return { wall_ms: wall, peak_kb: peak, cpu_ms: cpu, result };
}

/** Runs a helper step (data generation) with its progress on our stderr; throws on failure. */
export function runVisible(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')}: exit ${code}`)),
    );
  });
}

const ROOT_DIR = new URL('../..', import.meta.url).pathname;
