// Lets a report script run itself (`tsx reports/monthly.ts`) as `pulse report NAME` would.

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ReportDefinition } from '../report/define.ts';

/** Runs the report when its script is the process's entry point; does nothing when imported. */
export async function runIfMain(moduleUrl: string, definition: ReportDefinition): Promise<void> {
  const entry = process.argv[1];
  if (!entry || pathToFileURL(resolve(entry)).href !== moduleUrl) return;
  // Loaded only when the script runs itself: importing a report (the dev server) stays light.
  const { runCliCommand } = await import('./run-cli.ts');
  const { terminalSafe } = await import('../format/control-characters.ts');
  const { runReportCommand } = await import('./commands/report.ts');
  const { withConfig } = await import('./config-file.ts');
  process.exitCode = await runCliCommand(
    async () =>
      runReportCommand(
        definition,
        process.argv.slice(2),
        // pulse.config.json applies here too, as in `pulse report`.
        await withConfig({
          // As `pulse report` writes: control characters from the data shown escaped.
          stdout: (t) => process.stdout.write(terminalSafe(t)),
          stderr: (t) => process.stderr.write(terminalSafe(t)),
          terminal: (t) => process.stderr.write(t),
          env: process.env,
          cwd: process.cwd(),
          isTty: Boolean(process.stderr.isTTY),
        }),
      ),
    (t) => process.stderr.write(t),
  );
}
