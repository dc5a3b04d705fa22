// `pulse schedule` (the daemon), `pulse schedule --once` (what is due now, then exit) and
// `pulse schedule --status` (next run, last outcome, pending retries per schedule).

import { type MailAddress, parseAddress } from '../../deliver/address.ts';
import { type AlertState, readAlertStates } from '../../deliver/alert-states.ts';
import { describeDestination, openDeliverySetup } from '../../deliver/delivery-setup.ts';
import { readSends } from '../../deliver/ledger.ts';
import { withLedgerDb } from '../../deliver/ledger-db.ts';
import { buildStatePaths } from '../../deliver/state-dir.ts';
import { PulseError } from '../../errors.ts';
import { readCatalog } from '../../kpi/catalog.ts';
import { formatLocal } from '../../kpi/local-date.ts';
import { readTargets } from '../../kpi/targets.ts';
import { alertKpis } from '../../schedule/alert-config.ts';
import { missingTargets } from '../../schedule/alert-targets.ts';
import { nextScheduledRun } from '../../schedule/calendar.ts';
import { type Clock, createOffsetClock, systemClock } from '../../schedule/clock.ts';
import { type DaemonDeps, reportAbandonedRuns, runDaemon, runDueNow } from '../../schedule/daemon.ts';
import { acquireDaemonLock } from '../../schedule/daemon-lock.ts';
import {
  type ReportSource,
  readSchedules,
  scheduleDefaults,
  schedulesPath,
} from '../../schedule/read-schedules.ts';
import { describeState, openRunStore } from '../../schedule/run-records.ts';
import type { Schedule } from '../../schedule/schedule-config.ts';
import { buildScheduleStatus, formatStatus, type ScheduleStatus } from '../../schedule/status.ts';
import { dataReadOptions } from '../data-options.ts';
import { type CliIo, type CommonOptions, commonOptions, type ParsedFlags } from '../options.ts';
import { withDataset } from '../with-dataset.ts';

export async function scheduleCommand(flags: ParsedFlags, io: CliIo, reports: ReportSource): Promise<number> {
  const loadReport = (name: string) => reports.load(name);
  if (flags.values.once && flags.values.status)
    throw new PulseError('usage', 'give --once or --status, not both');
  const options = commonOptions(flags.values, io);
  const all = await readSchedules(schedulesPath(io.env, io.cwd), reports, {
    ...scheduleDefaults(io.env),
    kpis: alertKpis((await readCatalog(options.project.queries)).kpis),
  });
  await checkAlertTargets(all, options);
  // Paused schedules are checked and shown by --status, never run.
  const schedules = flags.values.status ? all : all.filter((s) => !s.paused);
  // Fail at start-up, not at the first run: every scheduled report must load.
  for (const schedule of schedules) if (!schedule.alert) await loadReport(schedule.report);
  const clock: Clock = io.env.PULSE_NOW ? createOffsetClock(new Date(options.now)) : systemClock;
  if (flags.values.status) return statusCommand(schedules, io, clock, options.format === 'json');

  const paths = buildStatePaths(io.env, io.cwd);
  const release = acquireDaemonLock(paths.dir);
  const setup = await openDeliverySetup(io, {
    now: () => clock.now().toISOString(),
    echo: (e) => e.level === 'error' || e.event.startsWith('run_') || e.event === 'send_retry',
  });
  const controller = new AbortController();
  const stop = (signal: string) => {
    if (!controller.signal.aborted) {
      io.stderr(`pulse: ${signal}: finishing the send in progress, then stopping\n`);
      setup.log.write({ event: 'stop_requested', signal });
      controller.abort();
    }
  };
  const onTerm = () => stop('SIGTERM');
  const onInt = () => stop('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  const deps: DaemonDeps = {
    store: openRunStore(setup.paths.ledger),
    clock,
    log: setup.log,
    loadReport,
    signal: controller.signal,
    delivery: {
      dataDir: options.dataDir,
      data: dataReadOptions(options, io.env),
      currency: options.currency,
      locale: options.locale,
      ...(options.company ? { company: options.company } : {}),
      outRoot: options.outDir,
      from: setup.settings.from,
      fallback: setup.fallback,
      ledgerPath: setup.paths.ledger,
      transport: setup.transport,
      random: Math.random,
    },
  };
  // A removed schedule's period still waiting for the export: said once, here and to the owner.
  const owner = configOwner(io);
  for (const line of await reportAbandonedRuns(all, owner, deps))
    io.stderr(`pulse schedule: not sent, its schedule removed while it waited for the export: ${line}\n`);
  const paused = all.filter((s) => s.paused).map((s) => s.name);
  if (paused.length > 0) io.stderr(`pulse schedule: paused (not run): ${paused.join(', ')}\n`);
  try {
    if (flags.values.once) {
      const runs = await runDueNow(schedules, deps);
      for (const run of runs) {
        io.stdout(
          `${run.schedule} ${run.period}: ${describeState(run)}${run.detail ? ` (${run.detail})` : ''}\n`,
        );
      }
      if (runs.length === 0) io.stdout('nothing due\n');
      return runs.every((r) => r.state === 'sent' || r.state === 'running') ? 0 : 1;
    }
    io.stderr(
      [
        `pulse schedule: ${schedules.length} schedule${schedules.length === 1 ? '' : 's'}, mail ${describeDestination(setup.settings)}`,
        ...schedules.map((s) => {
          const next = nextScheduledRun(s, clock.now());
          return `  ${s.name}: next run ${next ? formatLocal(next, s.timezone) : 'never'}`;
        }),
        `  log: ${setup.paths.log}; stop with SIGTERM (Ctrl-C)`,
        '',
      ].join('\n'),
    );
    await runDaemon(schedules, deps);
    return 0;
  } finally {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    setup.close();
    release();
  }
}

/** Each schedule's status from the state database. */
export async function readScheduleStatuses(
  ledgerPath: string,
  schedules: readonly Schedule[],
  now: Date,
): Promise<ScheduleStatus[]> {
  const store = openRunStore(ledgerPath);
  const { open, alerts } = await withLedgerDb(ledgerPath, async (db) => {
    const alerts = new Map<string, AlertState[]>();
    for (const s of schedules)
      if (s.alert) alerts.set(s.name, [...(await readAlertStates(db, s.name)).values()]);
    return { open: await readSends(db, { states: ['pending', 'unknown'] }), alerts };
  });
  const statuses: ScheduleStatus[] = [];
  for (const schedule of schedules) {
    statuses.push(
      buildScheduleStatus(
        schedule,
        await store.readRecent(schedule.name, 6),
        open,
        now,
        alerts.get(schedule.name),
      ),
    );
  }
  return statuses;
}

async function statusCommand(
  schedules: Awaited<ReturnType<typeof readSchedules>>,
  io: CliIo,
  clock: Clock,
  json: boolean,
): Promise<number> {
  const paths = buildStatePaths(io.env, io.cwd);
  const statuses = await readScheduleStatuses(paths.ledger, schedules, clock.now());
  io.stdout(json ? `${JSON.stringify(statuses, null, 2)}\n` : formatStatus(statuses));
  return 0;
}

/** Off-target alerts whose KPI has no targets in the data: refused at start-up, all listed. */
export async function checkAlertTargets(
  schedules: readonly Schedule[],
  options: CommonOptions,
): Promise<void> {
  if (!schedules.some((s) => s.alert?.when === 'off_target')) return;
  const problems = missingTargets(schedules, await withDataset(options, readTargets));
  if (problems.length > 0)
    throw new PulseError(
      'usage',
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in the schedules; nothing was scheduled:\n  ${problems.join('\n  ')}`,
    );
}

/** The config's owner, for what no schedule owns; a bad one is said, not fatal to the schedules. */
function configOwner(io: CliIo): MailAddress | undefined {
  if (!io.env.PULSE_OWNER) return undefined;
  try {
    return parseAddress(io.env.PULSE_OWNER, 'the config\'s "owner" (PULSE_OWNER)');
  } catch (error) {
    io.stderr(`pulse schedule: warning: ${(error as Error).message}\n`);
    return undefined;
  }
}
