import { parseDevHost } from '../../dev/access.ts';
import { PulseError } from '../../errors.ts';
import { parsePeriod } from '../../kpi/period.ts';
import { PROJECT_ROOT } from '../../paths.ts';
import { type CliIo, commonOptions, parseFlags, parseParamFlags } from '../options.ts';

/**
 * `pulse dev [REPORT] [--port N] [--host ADDR] [--period P] [--param k=v]... [--data DIR] [--tz ZONE]`:
 * the live preview server. Runs until Ctrl+C (or `signal` aborts, for tests). `argv` follows `dev`.
 */
export async function devCommand(argv: readonly string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const { port, host, rest } = takeServerFlags(argv);
  const flags = parseFlags(rest);
  const options = commonOptions(flags.values, io);
  if (flags.positionals.length > 1)
    throw new PulseError('usage', `pulse dev takes one report, got ${flags.positionals.join(', ')}`);
  if (flags.values.period) parsePeriod(flags.values.period);
  // Loaded on demand: the server, charts and templates are not needed by the other commands.
  const { buildDevRoots, parseReportArgument } = await import('../../dev/dev-roots.ts');
  const { readReportNames } = await import('../../report/report-name.ts');
  const { startDevServer } = await import('../../dev/dev-server.ts');
  const roots = buildDevRoots(PROJECT_ROOT, options.dataDir);
  const report = flags.positionals[0] ? parseReportArgument(flags.positionals[0], roots, io.cwd) : undefined;
  const names = await readReportNames(roots.reportsDir);
  if (report && !names.includes(report))
    throw new PulseError('usage', `no report "${report}" in reports/; reports: ${names.join(', ')}`);
  const server = await startDevServer({
    roots,
    ...(report ? { report } : {}),
    ...(flags.values.period ? { period: flags.values.period } : {}),
    params: parseParamFlags(flags.values.param),
    ...(port === undefined ? {} : { port }),
    ...(host === undefined ? {} : { host }),
    ...(io.env.PULSE_DEV_TOKEN ? { token: io.env.PULSE_DEV_TOKEN } : {}),
    timeZone: options.timeZone,
    // PULSE_NOW pins the clock, as everywhere; otherwise each run reads the time.
    clock: () => io.env.PULSE_NOW ?? new Date().toISOString(),
    currency: options.currency,
    locale: options.locale,
    log: io.stderr,
    dataset: {
      ...options.engine,
      // The scratchpad may save a result with COPY (...) TO 'out/name.csv', as `pulse query`.
      writableDirs: [options.outDir],
      ...(options.mapping ? { mapping: options.mapping } : {}),
      allowRejects: options.allowRejects,
      maxRejectShare: options.maxRejectShare,
    },
  });
  io.stdout(
    `pulse dev: ${server.openUrl}  (the report; ${server.url}sql is the SQL scratchpad, ${server.url}index lists reports and KPIs)\n` +
      (server.token
        ? `listening on ${host}: every request needs the access token; open the URL above once (it sets a cookie) or send Authorization: Bearer TOKEN\n`
        : '') +
      `watching queries/, templates/, reports/ and ${options.dataDir}; Ctrl+C stops\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
  });
  await server.close();
  return 0;
}

/** `--port N` and `--host ADDR` (also `--port=N`), which only `dev` takes; the rest are the common flags. */
function takeServerFlags(argv: readonly string[]): {
  port: number | undefined;
  host: string | undefined;
  rest: string[];
} {
  const rest: string[] = [];
  const given: { port?: string; host?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const flag = /^--(port|host)(?:=(.*))?$/s.exec(arg);
    if (!flag) rest.push(arg);
    else given[flag[1] as 'port' | 'host'] = flag[2] ?? argv[++i] ?? '';
  }
  return {
    port: given.port === undefined ? undefined : parsePort(given.port),
    host: given.host === undefined ? undefined : parseDevHost(given.host),
    rest,
  };
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port > 65535)
    throw new PulseError('usage', `--port "${text}" should be a port number (0 picks a free one)`);
  return port;
}
