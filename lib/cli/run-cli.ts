import { PulseError } from '../errors.ts';
import { terminalSafe } from '../format/control-characters.ts';
import type { OriginFolder } from '../project.ts';
import { checkCommand } from './commands/check.ts';
import { kpiCommand } from './commands/kpi.ts';
import { listCommand } from './commands/list.ts';
import { queryCommand } from './commands/query.ts';
import { withConfig } from './config-file.ts';
import { type CliIo, type CommonOptions, commonOptions, parseFlags } from './options.ts';

export const USAGE = `pulse: CRM KPIs from a folder of CSV/Parquet files

  pulse init [DIR]                            a project of your own: config, queries/, reports/, schedules
  pulse list                                  the KPI catalog: id, title, unit, tables (and source)
  pulse check [--data DIR] [--all]            validate the data folder; exit 2 on errors
  pulse kpi ID... [--all] [--period 2026-10 | --from DATE --to DATE]
                  [--grain week|month|quarter|year] [--by DIMENSION] [--param name=value]
  pulse query SQL_OR_FILE [--param name=value]... [--period ...] [--out DIR]
                  (COPY (...) TO 'out/x.csv' may write inside --out DIR, default out/)
  pulse query                                 interactive SQL prompt (.help lists its commands)
  pulse report NAME [--period ...] [--out DIR] [--pdf] [--param name=value]...
                  run reports/NAME.ts, write out/NAME/PERIOD/ (--param region=EMEA: scoped)
  pulse copy kpi ID | report NAME             copy a built-in KPI or report into the project to change it
  pulse send NAME [--period ...] [--to ADDR]... [--param name=value]... [--dry-run] [--force] [--partial] [--pdf]
                  e-mail a report (NAME = a schedule in schedules.json, or a report with --to);
                  without PULSE_SMTP_URL / PULSE_SMTP_HOST, .eml files go to .pulse/outbox/
  pulse schedule [--once | --status]          the scheduler daemon (schedules.json); --once runs
                                              what is due now; --status: next run, last outcome
  pulse alert test NAME [--period ...]        evaluate an alert of schedules.json now: holds or not, and why
  pulse dev [REPORT] [--port N] [--host ADDR] [--period ...] [--param name=value]...
                  live preview on http://127.0.0.1:4321/ (re-runs on save), SQL scratchpad at /sql;
                  --host other than loopback asks every request for a token (printed in the URL)

Common options:
  --data DIR        data folder (default: the embedded sample data/sample, or $PULSE_DATA)
  --tz ZONE         report time zone for periods and calendar days (default UTC, or $PULSE_TZ)
  --format F        table (default), json or csv
  --mapping FILE    read a CRM export through a mapping (or a preset: salesforce, hubspot, pipedrive)
  --allow-rejects   compute on the readable rows when some cannot be read (they are reported)
Settings: pulse.config.json in the working folder or the nearest above it (or $PULSE_CONFIG);
its folder is the project (queries/, reports/, out/, schedules.json). A flag > an environment
variable > the config file > the default.
Periods: 2026-10 (month), 2026-Q3, 2026, 2026-W42; --from/--to are half-open [from, to).
Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad input.
`;

/**
 * The whole CLI as a function of its arguments and I/O, so tests run it in-process. What it
 * writes for people shows control characters from the data escaped (`\u0000`); `--format csv`
 * is the data as it is, for programs.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const forPrograms = (text: string) => io.stdout(text);
  const forPeople = (text: string) => io.stdout(terminalSafe(text));
  let stdout = forPeople;
  const safe: CliIo = {
    ...io,
    stdout: (text) => stdout(text),
    stderr: (text) => io.stderr(terminalSafe(text)),
    terminal: io.terminal ?? io.stderr,
  };
  return runCliCommand(
    () =>
      dispatch(argv, safe, (format) => {
        stdout = format === 'csv' ? forPrograms : forPeople;
      }),
    safe.stderr,
  );
}

/** Runs a command, turning errors into messages and exit codes. */
export async function runCliCommand(
  command: () => Promise<number>,
  stderr: (text: string) => void,
): Promise<number> {
  try {
    return await command();
  } catch (error) {
    if (error instanceof PulseError) {
      stderr(`pulse: ${error.message}\n`);
      return error.exitCode;
    }
    stderr(`pulse: unexpected failure: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

async function dispatch(
  argv: readonly string[],
  given: CliIo,
  onFormat: (format: CommonOptions['format']) => void,
): Promise<number> {
  {
    // pulse.config.json (or $PULSE_CONFIG), read once: its settings become defaults under the
    // environment, so every command honours them. Help needs no config, even a broken one.
    const wantsHelp =
      argv.length === 0 || argv[0] === 'help' || argv.includes('--help') || argv.includes('-h');
    // `init` makes a project; a broken config around it must not stop that.
    if (argv[0] === 'init' && !wantsHelp) {
      const { initCommand } = await import('./commands/init.ts');
      return await initCommand(parseFlags(argv).positionals.slice(1), given);
    }
    // `dev` takes --port, which the other commands do not know; it parses its own flags, and
    // reads the config itself, again whenever it is saved.
    if (argv[0] === 'dev' && !wantsHelp) {
      const { devCommand } = await import('./commands/dev.ts');
      return await devCommand(argv.slice(1), given);
    }
    const io = wantsHelp ? given : await withConfig(given);
    const flags = parseFlags(argv);
    const command = flags.positionals[0];
    if (flags.values.help || command === undefined || command === 'help') {
      io.stdout(USAGE);
      return command === undefined && !flags.values.help ? 2 : 0;
    }
    const options = commonOptions(flags.values, io);
    onFormat(options.format);
    switch (command) {
      case 'list':
        return await listCommand(options, io);
      case 'check':
        return await checkCommand(flags, options, io);
      case 'kpi':
        return await kpiCommand(flags, options, io);
      case 'query':
        return await queryCommand(flags, options, io);
      case 'report': {
        const name = flags.positionals[1];
        if (!name) throw new PulseError('usage', 'name a report, e.g. `pulse report monthly`');
        // Loaded on demand: charts and templates are not needed by the other commands.
        const { loadReport } = await import('../report/load-report.ts');
        const { runReportCommand } = await import('./commands/report.ts');
        const report = await loadReport(name, { folders: options.project.reports });
        return await runReportCommand(report, argv, {
          ...io,
          isTty: io.isTty ?? false,
        });
      }
      case 'alert': {
        const { alertCommand } = await import('./commands/alert.ts');
        return await alertCommand(flags, io, await projectReports(options.project.reports));
      }
      case 'copy': {
        const { copyCommand } = await import('./commands/copy.ts');
        return await copyCommand(flags.positionals.slice(1), options.project, io);
      }
      case 'send': {
        const { sendCommand } = await import('./commands/send.ts');
        return await sendCommand(argv, flags, io, await projectReports(options.project.reports));
      }
      case 'schedule': {
        const { scheduleCommand } = await import('./commands/schedule.ts');
        return await scheduleCommand(flags, io, await projectReports(options.project.reports));
      }
      default:
        throw new PulseError(
          'usage',
          `unknown command "${command}"; commands: init, list, check, kpi, query, report, copy, send, schedule, alert, dev`,
        );
    }
  }
}

/** The project's and the built-in reports for `send` and `schedule`, loaded on demand like `report`. */
async function projectReports(folders: readonly OriginFolder[]) {
  const { listReports, loadReport } = await import('../report/load-report.ts');
  return {
    load: (name: string) => loadReport(name, { folders }),
    names: async () => (await listReports(folders)).map((r) => r.name),
  };
}
