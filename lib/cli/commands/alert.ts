// `pulse alert test NAME [--period P]`: evaluates an alert of schedules.json now and says whether
// it holds and why, per key, with the state it was last seen in. Sends nothing, changes nothing.

import { existsSync } from 'node:fs';
import { readAlertStates } from '../../deliver/alert-states.ts';
import { withLedgerDb } from '../../deliver/ledger-db.ts';
import { buildStatePaths } from '../../deliver/state-dir.ts';
import { PulseError } from '../../errors.ts';
import { readCatalog } from '../../kpi/catalog.ts';
import { formatPeriod, parsePeriod, periodArgument } from '../../kpi/period.ts';
import { alertKpis } from '../../schedule/alert-config.ts';
import { periodForScheduledRun } from '../../schedule/calendar.ts';
import {
  type ReportSource,
  readSchedules,
  scheduleDefaults,
  schedulesPath,
} from '../../schedule/read-schedules.ts';
import { evaluateAlertRun } from '../../schedule/run-alert.ts';
import { dataReadOptions } from '../data-options.ts';
import { type CliIo, commonOptions, type ParsedFlags } from '../options.ts';
import { checkAlertTargets } from './schedule.ts';

export async function alertCommand(flags: ParsedFlags, io: CliIo, reports: ReportSource): Promise<number> {
  const [action, name, ...extra] = flags.positionals.slice(1);
  if (action !== 'test' || !name || extra.length > 0)
    throw new PulseError(
      'usage',
      'give an alert of schedules.json to test: `pulse alert test churn-high [--period 2026-10]`',
    );
  const options = commonOptions(flags.values, io);
  const schedules = await readSchedules(schedulesPath(io.env, io.cwd), reports, {
    ...scheduleDefaults(io.env),
    kpis: alertKpis((await readCatalog(options.project.queries)).kpis),
  });
  const schedule = schedules.find((s) => s.name === name);
  const alerts = schedules.filter((s) => s.alert).map((s) => s.name);
  if (!schedule?.alert)
    throw new PulseError(
      'usage',
      `no alert "${name}" in schedules.json${schedule ? ' (it is a report schedule)' : ''}; alerts: ${alerts.join(', ') || 'none'}`,
    );
  const rule = schedule.alert;
  await checkAlertTargets([schedule], options);
  const period = flags.values.period ? parsePeriod(flags.values.period) : undefined;
  if (period && period.grain !== rule.grain)
    throw new PulseError(
      'usage',
      `alert ${name} is evaluated per ${rule.grain}; --period ${flags.values.period} is a ${period.grain}`,
    );
  const evaluated = await evaluateAlertRun(name, rule, period, {
    dataDir: options.dataDir,
    data: dataReadOptions(options, io.env),
    timeZone: schedule.timezone,
    now: () => options.now,
    currency: options.currency,
    locale: options.locale,
    ...(options.company ? { company: options.company } : {}),
  });
  const ledger = buildStatePaths(io.env, io.cwd).ledger;
  const states = existsSync(ledger)
    ? await withLedgerDb(ledger, (db) => readAlertStates(db, name))
    : new Map();
  const lines = evaluated.findings.map((f) => {
    const verdict = f.verdict.holds === null ? 'unknown' : f.verdict.holds ? 'HOLDS' : 'does not hold';
    const last = states.get(f.key);
    const seen = last
      ? `; last seen ${last.state} since ${last.since.slice(0, 16).replace('T', ' ')} (${last.period})`
      : '; never seen by the scheduler';
    return `  ${verdict.padEnd(13)} ${f.sentence}${seen}`;
  });
  if (options.format === 'json') {
    io.stdout(
      `${JSON.stringify({ alert: name, period: evaluated.period, findings: evaluated.findings }, null, 2)}\n`,
    );
    return 0;
  }
  // Without --period the test takes the last period the data covers; the scheduler, run now,
  // takes the last period before today, and on an export that does not cover it waits and tells
  // the owner: say so, or a HOLDS here reads as an alert about to fire.
  const due = {
    ...periodForScheduledRun(new Date(options.now), schedule.timezone, rule.grain),
    grain: rule.grain,
  };
  const differs = !period && periodArgument(due) !== evaluated.period;
  const note = differs
    ? `note: run now, the scheduler would evaluate ${formatPeriod(due)}, which the data does not cover in full yet: it would wait for the export and tell the owner, not evaluate. This tests ${evaluated.periodLabel}, the last ${rule.grain} the data covers.\n`
    : '';
  io.stdout(
    `alert ${name}: ${rule.kpi} ${rule.when}${rule.value === undefined ? '' : ` ${rule.value}`}${rule.by ? ` by ${rule.by}` : ''}, ${evaluated.periodLabel}\n${lines.join('\n')}\n` +
      note +
      `(a test: nothing was sent and no state changed; pulse schedule sends when a key turns to HOLDS)\n`,
  );
  return 0;
}
