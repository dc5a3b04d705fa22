// `pulse send NAME [--period P] [--to ADDR]... [--param k=v]... [--dry-run] [--force] [--partial] [--pdf]`.
// NAME is a schedule in schedules.json (its recipients, owner and time zone) or a report (then
// --to is required; --param gives those recipients' report params, e.g. region=EMEA).

import { existsSync } from 'node:fs';
import { parseAddress, recipientKey } from '../../deliver/address.ts';
import { deliverReport } from '../../deliver/deliver-report.ts';
import { countOutcomes } from '../../deliver/delivery-outcome.ts';
import { describeDestination, openDeliverySetup } from '../../deliver/delivery-setup.ts';
import type { DeliveryResult } from '../../deliver/delivery-types.ts';
import type { Recipient } from '../../deliver/prepare-messages.ts';
import type { DataReadOptions } from '../../deliver/render-report.ts';
import { buildResendCommand } from '../../deliver/resend-command.ts';
import { DEFAULT_RETRY } from '../../deliver/retry.ts';
import { PulseError } from '../../errors.ts';
import { formatPeriod, type PeriodSpan, parsePeriod, periodArgument } from '../../kpi/period.ts';
import { periodForScheduledRun } from '../../schedule/calendar.ts';
import { sleep } from '../../schedule/clock.ts';
import {
  type ReportSource,
  readSchedules,
  scheduleDefaults,
  schedulesPath,
} from '../../schedule/read-schedules.ts';
import { readDerivedRecipients } from '../../schedule/recipients-from.ts';
import type { Schedule } from '../../schedule/schedule-config.ts';
import { dataReadOptions } from '../data-options.ts';
import { type CliIo, commonOptions, type ParsedFlags, parseParamFlags, repeatedFlag } from '../options.ts';

export const MANUAL_SCHEDULE = 'manual';

export async function sendCommand(
  argv: readonly string[],
  flags: ParsedFlags,
  io: CliIo,
  reports: ReportSource,
): Promise<number> {
  const name = flags.positionals[1];
  if (!name)
    throw new PulseError(
      'usage',
      'name a schedule or a report, e.g. `pulse send monthly --to ana@example.com`',
    );
  const options = commonOptions(flags.values, io);
  const schedule = await findSchedule(name, io, reports);
  const definition = await reports.load(schedule?.report ?? name);
  const params = parseParamFlags(flags.values.param);
  const to = repeatedFlag(argv, 'to').map((text) => ({
    // Quoted as JSON: a line break in it is shown, not printed as a line of its own.
    address: parseAddress(text, `--to ${JSON.stringify(text)}`),
    params,
  }));
  if (to.length === 0 && Object.keys(params).length > 0) {
    throw new PulseError(
      'usage',
      `--param applies to the --to recipients; the recipients of schedule "${name}" have their params in schedules.json`,
    );
  }
  if (!schedule && to.length === 0) {
    throw new PulseError(
      'usage',
      `"${name}" is a report, not a schedule: name the recipients with --to ADDR (repeatable), or send a schedule from schedules.json`,
    );
  }
  const timeZone = schedule && flags.values.tz === undefined ? schedule.timezone : options.timeZone;
  // A schedule's default period is that of a run scheduled now; a report's, the data's last complete one.
  const period: PeriodSpan | undefined = flags.values.period
    ? parsePeriod(flags.values.period)
    : schedule
      ? periodForScheduledRun(new Date(options.now), timeZone, definition.grain)
      : undefined;
  const started = Date.now();
  const now = () => new Date(Date.parse(options.now) + (Date.now() - started)).toISOString();
  const setup = await openDeliverySetup(io, { now, echo: (e) => e.level === 'warn' || e.level === 'error' });
  try {
    const recipients =
      to.length > 0
        ? to
        : await scheduleRecipients(
            schedule as Schedule,
            period,
            { ...options, data: dataReadOptions(options, io.env) },
            timeZone,
          );
    const dryRun = Boolean(flags.values['dry-run']);
    const result = await deliverReport(
      {
        schedule: schedule?.name ?? MANUAL_SCHEDULE,
        definition,
        ...(period ? { period: { ...period, grain: definition.grain } } : {}),
        recipients,
        ...(schedule ? { owner: schedule.owner } : {}),
        force: Boolean(flags.values.force),
        // A period the export covers only in part goes out only on purpose, marked partial.
        ...(flags.values.partial ? { allowPartial: true } : {}),
        dryRun,
        pdf: Boolean(flags.values.pdf) || (schedule?.pdf ?? false),
        retry: schedule?.retry ?? DEFAULT_RETRY,
      },
      {
        dataDir: options.dataDir,
        data: dataReadOptions(options, io.env),
        timeZone,
        currency: options.currency,
        locale: options.locale,
        ...(options.company ? { company: options.company } : {}),
        outRoot: options.outDir,
        from: setup.settings.from,
        fallback: setup.fallback,
        ledgerPath: setup.paths.ledger,
        transport: setup.transport,
        now,
        sleep,
        random: Math.random,
        log: setup.log,
      },
    );
    // A report sent without --period takes the data's last complete period: said on stderr, as
    // `pulse report` does, and when the clock is past it (an export behind), said as such.
    if (!period && result.period && result.periodLabel) {
      const due = {
        ...periodForScheduledRun(new Date(options.now), timeZone, definition.grain),
        grain: definition.grain,
      };
      const behind =
        periodArgument(due) !== result.period
          ? `; the last complete ${definition.grain} by the clock is ${formatPeriod(due)}, which the export does not cover in full (a schedule would wait for it)`
          : '';
      io.stderr(
        `period: ${result.periodLabel}, the last complete ${definition.grain} in the data (--period chooses another)${behind}\n`,
      );
    }
    io.stdout(formatResult(result, { dryRun, destination: describeDestination(setup.settings) }));
    // A dry run fails as the real send would: a group that could not be composed goes to nobody.
    if (result.state === 'dry-run') return result.groups.some((g) => g.problems.length > 0) ? 1 : 0;
    return result.state === 'sent' ? 0 : 1;
  } finally {
    setup.close();
  }
}

async function findSchedule(name: string, io: CliIo, reports: ReportSource): Promise<Schedule | undefined> {
  const path = schedulesPath(io.env, io.cwd);
  if (!existsSync(path)) return undefined;
  const names = await reports.names();
  try {
    return (await readSchedules(path, reports, scheduleDefaults(io.env))).find((s) => s.name === name);
  } catch (error) {
    // A broken schedules file must not block sending a report by hand; it does block a schedule.
    if (names.includes(name)) {
      io.stderr(
        `pulse: warning: ${(error as Error).message.split('\n')[0]} (run \`pulse schedule --status\` for the list)\n`,
      );
      return undefined;
    }
    throw error;
  }
}

async function scheduleRecipients(
  schedule: Schedule,
  period: PeriodSpan | undefined,
  options: { dataDir: string; now: string; data: DataReadOptions },
  timeZone: string,
): Promise<Recipient[]> {
  if (!schedule.recipientsFrom || !period) return [...schedule.recipients];
  const derived = await readDerivedRecipients(schedule.recipientsFrom, { ...options, timeZone, period });
  const listed = new Set(schedule.recipients.map((r) => recipientKey(r.address.address)));
  return [
    ...schedule.recipients,
    ...derived.recipients.filter((r) => !listed.has(recipientKey(r.address.address))),
  ];
}

function formatResult(result: DeliveryResult, options: { dryRun: boolean; destination: string }): string {
  const lines: string[] = [];
  for (const group of result.groups) {
    const params = Object.keys(group.params).length > 0 ? ` ${JSON.stringify(group.params)}` : '';
    if (group.subject) {
      lines.push(
        `"${group.subject}"${params}: ${group.dir}/email.html (${Math.round((group.bytes ?? 0) / 1024)} KB message)`,
      );
    }
    for (const problem of group.problems) lines.push(`  not sent: ${problem}`);
    for (const o of group.outcomes) {
      const state =
        o.state === 'sent'
          ? `sent (${o.response ?? ''})`
          : o.state === 'already-sent'
            ? 'already sent for this period; --force sends it again'
            : o.state === 'failed'
              ? `FAILED after ${o.attempts} attempt${o.attempts === 1 ? '' : 's'}: ${o.failure?.message ?? ''}`
              : o.state === 'unknown'
                ? `OUTCOME UNKNOWN (it may have arrived; not resent automatically): ${o.unknownSince ?? ''}; to send it again on purpose: ${buildResendCommand(o.key, o.params)}`
                : options.dryRun && group.problems.length === 0
                  ? 'would be sent (dry run)'
                  : options.dryRun
                    ? 'would not be sent (see above)'
                    : 'not sent';
      lines.push(`  ${o.key.recipient}: ${state}`);
    }
  }
  for (const sentence of result.restatements) lines.push(`  note: ${sentence}`);
  const c = countOutcomes(result.groups);
  const refused = result.groups
    .filter((g) => g.problems.length > 0)
    .reduce((n, g) => n + g.outcomes.length, 0);
  const composed = c.recipients - refused;
  const outcome = options.dryRun
    ? `dry run: ${composed} message${composed === 1 ? '' : 's'} composed and checked, ${refused > 0 ? `${refused} would not be sent, ` : ''}nothing sent`
    : `${result.state}: ${c.sent} sent, ${c.alreadySent} already sent, ${c.failed} failed, ${c.unknown ? `${c.unknown} outcome unknown, ` : ''}${c.notSent} not sent`;
  // A dry run writes no message: where a real send would go is said as that.
  lines.push(`${outcome}; ${options.dryRun ? `a real send: ${options.destination}` : options.destination}`);
  if (result.stopped) lines.push(`stopped: ${result.stopped}`);
  return `${lines.join('\n')}\n`;
}
