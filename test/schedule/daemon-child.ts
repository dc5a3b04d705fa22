// `pulse schedule` as a child process for the crash tests: the real command, with the tiny test
// report instead of reports/ (everything else, the environment included, is the real thing).

import { scheduleCommand } from '../../lib/cli/commands/schedule.ts';
import { parseFlags } from '../../lib/cli/options.ts';
import { runCliCommand } from '../../lib/cli/run-cli.ts';
import { loadTinyReport } from '../deliver/tiny-report.ts';

const argv = ['schedule', ...process.argv.slice(2)];
process.exitCode = await runCliCommand(
  () =>
    scheduleCommand(
      parseFlags(argv),
      {
        stdout: (t) => process.stdout.write(t),
        stderr: (t) => process.stderr.write(t),
        env: process.env,
        cwd: process.cwd(),
      },
      { load: loadTinyReport, names: async () => ['tiny'] },
    ),
  (t) => process.stderr.write(t),
);
