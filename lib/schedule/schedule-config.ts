// schedules.json: parsed field by field, every mistake listed at once with where it is, what was
// found and what is expected. Pure: the known reports are passed in.

import type { MailAddress } from '../deliver/address.ts';
import type { Recipient } from '../deliver/prepare-messages.ts';
import type { RetryPolicy } from '../deliver/retry.ts';
import type { AlertRule } from '../insights/alert-rule.ts';
import { notAParameter, type ParamDeclarations, unknownParams } from '../report/report-params.ts';
import { type AlertKpis, parseAlertRule } from './alert-config.ts';
import type { DerivedRecipients } from './derived-recipients.ts';
import {
  address,
  checkCron,
  checkTimeZone,
  isObject,
  number,
  parseDerived,
  parseRecipients,
  parseRetry,
  text,
} from './schedule-fields.ts';

export interface Schedule {
  readonly name: string;
  readonly report: string;
  readonly cron: string;
  readonly timezone: string;
  /** Hears about every failure. */
  readonly owner: MailAddress;
  readonly recipients: readonly Recipient[];
  readonly recipientsFrom?: DerivedRecipients;
  readonly catchUpMs: number;
  readonly retry: RetryPolicy;
  readonly pdf: boolean;
  /** Kept, checked and shown, but never run by `pulse schedule` (an example, or on hold). */
  readonly paused: boolean;
  /** Set for an alert: a KPI condition checked on each run, mailed once per change. */
  readonly alert?: AlertRule;
  /** A report sent again for a period only when its numbers changed since it was sent. */
  readonly onlyIfChanged?: boolean;
}

export const SCHEDULE_NAME = /^[a-z0-9_-]{1,64}$/;
const KNOWN_FIELDS = [
  'name',
  'report',
  'cron',
  'timezone',
  'owner',
  'recipients',
  'recipientsFrom',
  'catchUpHours',
  'retry',
  'pdf',
  'paused',
  'alert',
  'onlyIfChanged',
  'description',
];

/** An alert's runs are recorded under this "report" name: `alert:churn-high`. */
export const ALERT_REPORT_PREFIX = 'alert:';

/** What a schedule that leaves a field out gets (the config file's owner), and the KPIs alerts may name. */
export interface ScheduleDefaults {
  readonly owner?: string;
  readonly kpis?: AlertKpis;
}

export type ParseOutcome = { ok: true; schedules: Schedule[] } | { ok: false; errors: string[] };

/**
 * `file` names the source in messages; `reports` are the names under reports/. With
 * `declarations` (each report's params), a recipient's param the report does not take is an
 * error too, so a mistyped "regoin" is refused at start-up, not sent company-wide.
 */
export function parseSchedules(
  text: string,
  file: string,
  reports: readonly string[],
  declarations?: ReadonlyMap<string, ParamDeclarations>,
  defaults: ScheduleDefaults = {},
): ParseOutcome {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`${file}: not valid JSON (${(error as Error).message})`] };
  }
  const list = isObject(json) ? json.schedules : undefined;
  if (!Array.isArray(list)) {
    return { ok: false, errors: [`${file}: expected {"schedules": [...]} at the top level`] };
  }
  const errors: string[] = [];
  const schedules: Schedule[] = [];
  const names = new Set<string>();
  list.forEach((entry, i) => {
    const where = `${file}: schedules[${i}]${isObject(entry) && typeof entry.name === 'string' ? ` (${entry.name})` : ''}`;
    const before = errors.length;
    const schedule = parseSchedule(entry, reports, declarations, defaults, (message) =>
      errors.push(`${where}${message}`),
    );
    if (schedule && names.has(schedule.name))
      errors.push(`${where}.name: "${schedule.name}" is used twice; names must be unique`);
    if (schedule && errors.length === before) {
      names.add(schedule.name);
      schedules.push(schedule);
    }
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, schedules };
}

function parseSchedule(
  entry: unknown,
  reports: readonly string[],
  declarations: ReadonlyMap<string, ParamDeclarations> | undefined,
  defaults: ScheduleDefaults,
  error: (message: string) => void,
): Schedule | undefined {
  if (!isObject(entry)) {
    error(': expected an object with name, report, cron, timezone, owner, recipients');
    return undefined;
  }
  for (const key of Object.keys(entry)) {
    if (!KNOWN_FIELDS.includes(key)) error(`.${key}: unknown field; fields are ${KNOWN_FIELDS.join(', ')}`);
  }
  const name = text(entry, 'name', error);
  if (name !== undefined && !SCHEDULE_NAME.test(name))
    error(`.name "${name}": use 1-64 lower-case letters, digits, - or _`);
  const isAlert = entry.alert !== undefined;
  if (isAlert && entry.report !== undefined)
    error('.report: a schedule is a report or an alert, not both; remove "report" or "alert"');
  const alert = isAlert ? parseAlertRule(entry.alert, defaults.kpis, error) : undefined;
  const report = isAlert ? name && `${ALERT_REPORT_PREFIX}${name}` : text(entry, 'report', error);
  if (!isAlert && report !== undefined && !reports.includes(report)) {
    error(`.report "${report}": no reports/${report}.ts; known reports: ${reports.join(', ') || 'none'}`);
  }
  const timezone = text(entry, 'timezone', error);
  const timezoneOk = timezone !== undefined && checkTimeZone(timezone, error);
  const cron = text(entry, 'cron', error);
  if (cron !== undefined && timezoneOk) checkCron(cron, timezone, error);
  const owner =
    entry.owner === undefined && defaults.owner !== undefined
      ? address(defaults.owner, ' (the owner in pulse.config.json)', error)
      : address(entry.owner, '.owner', error);
  const declared = report === undefined ? undefined : declarations?.get(report);
  const recipients = parseRecipients(
    entry.recipients,
    error,
    declared &&
      ((params) =>
        unknownParams(declared, params).map((name) => ({ name, problem: notAParameter(declared) }))),
  );
  const recipientsFrom =
    entry.recipientsFrom === undefined ? undefined : parseDerived(entry.recipientsFrom, error);
  const listed = Array.isArray(entry.recipients) && entry.recipients.length > 0;
  if (!listed && entry.recipientsFrom === undefined) {
    error('.recipients: give at least one recipient, or recipientsFrom to derive them from the data');
  }
  const catchUpHours = number(entry, 'catchUpHours', 24, { min: 0, max: 24 * 31 }, error);
  const retry = parseRetry(entry.retry, error);
  const pdf =
    entry.pdf === undefined ? false : entry.pdf === true ? true : entry.pdf === false ? false : undefined;
  if (pdf === undefined) error(`.pdf: expected true or false, got ${JSON.stringify(entry.pdf)}`);
  const onlyIfChanged = entry.onlyIfChanged;
  if (onlyIfChanged !== undefined && typeof onlyIfChanged !== 'boolean')
    error(`.onlyIfChanged: expected true or false, got ${JSON.stringify(onlyIfChanged)}`);
  if (onlyIfChanged !== undefined && isAlert)
    error('.onlyIfChanged: an alert is sent once per change already; onlyIfChanged is for reports');
  const paused =
    entry.paused === undefined ? false : typeof entry.paused === 'boolean' ? entry.paused : undefined;
  if (paused === undefined) error(`.paused: expected true or false, got ${JSON.stringify(entry.paused)}`);
  if (
    !name ||
    !report ||
    !timezone ||
    !cron ||
    !owner ||
    pdf === undefined ||
    paused === undefined ||
    (isAlert && !alert) ||
    !retry ||
    catchUpHours === undefined
  ) {
    return undefined;
  }
  return {
    name,
    report,
    cron,
    timezone,
    owner,
    recipients,
    ...(recipientsFrom ? { recipientsFrom } : {}),
    catchUpMs: catchUpHours * 3_600_000,
    retry,
    pdf,
    paused,
    ...(alert ? { alert } : {}),
    ...(onlyIfChanged === true ? { onlyIfChanged } : {}),
  };
}
