// The CLI in-process, with its output captured (and kept for the sentinel check).

import type { CliIo } from '../../lib/cli/options.ts';
import { runCli } from '../../lib/cli/run-cli.ts';
import { TOOLKIT_ROOT } from '../../lib/paths.ts';
import { TEST_NOW } from '../helpers.ts';
import { keepCapturedOutput } from './sentinel.ts';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `pulse ARGV...` with the fixed clock; `env` adds to (or overrides) PULSE_NOW. */
export async function pulse(
  argv: readonly string[],
  env: Record<string, string> = {},
  cwd = TOOLKIT_ROOT,
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: { PULSE_NOW: TEST_NOW, ...env },
    cwd,
  };
  const code = await runCli(argv, io);
  await keepCapturedOutput(`pulse ${argv[0] ?? ''}`, `${stdout}\n${stderr}`);
  return { code, stdout, stderr };
}
