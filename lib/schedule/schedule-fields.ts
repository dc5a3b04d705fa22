// The fields of a schedule, each parsed on its own; a problem is reported through `error` with
// the field's path and the parse goes on, so every mistake is listed at once. Pure.

import { Cron } from 'croner';
import { usedParams } from '../data/database.ts';
import { headerValueProblem, type MailAddress, parseAddressOutcome } from '../deliver/address.ts';
import type { Recipient } from '../deliver/prepare-messages.ts';
import { DEFAULT_RETRY, type RetryPolicy } from '../deliver/retry.ts';
import type { DerivedRecipients } from './derived-recipients.ts';

type Report = (message: string) => void;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RUN_PARAMS = ['period_start', 'period_end'];

export function checkTimeZone(timezone: string, error: Report): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    error(`.timezone "${timezone}": not an IANA time zone; use e.g. Europe/Berlin, America/New_York or UTC`);
    return false;
  }
}

export function checkCron(cron: string, timezone: string, error: Report): void {
  try {
    // croner checks the time zone only when it computes a run: ask for one.
    const job = new Cron(cron, { timezone, paused: true, mode: '5-part' });
    if (job.nextRun(new Date('2000-01-01T00:00:00Z')) === null) error(`.cron "${cron}": never runs`);
  } catch (e) {
    error(
      `.cron "${cron}": ${(e as Error).message.replace(/^CronPattern: /, '')}; expected 5 fields (minute hour day month weekday), e.g. "0 7 1 * *"`,
    );
  }
}

/** Param names a recipient's params may not use (the report does not take them), with why. */
export type ParamCheck = (params: Readonly<Record<string, string>>) => { name: string; problem: string }[];

export function parseRecipients(value: unknown, error: Report, checkParams?: ParamCheck): Recipient[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    error('.recipients: expected a list of addresses or {"address": ..., "params": {...}}');
    return [];
  }
  const out: Recipient[] = [];
  const seen = new Set<string>();
  value.forEach((item, i) => {
    const where = `.recipients[${i}]`;
    const raw = typeof item === 'string' ? item : isObject(item) ? item.address : undefined;
    const parsed = address(raw, `${where}.address`, error);
    const params = isObject(item) ? parseParams(item.params, `${where}.params`, error) : {};
    const unknown = params && checkParams ? checkParams(params) : [];
    for (const { name, problem } of unknown) error(`${where}.params.${name}: ${problem}`);
    if (isObject(item)) {
      for (const key of Object.keys(item)) {
        if (key !== 'address' && key !== 'params' && key !== 'name')
          error(`${where}.${key}: unknown field; use address, name, params`);
      }
    }
    const name = isObject(item) ? item.name : undefined;
    if (name !== undefined && (typeof name !== 'string' || headerValueProblem(name))) {
      error(`${where}.name: expected a display name on one line, got ${JSON.stringify(name)}`);
      return;
    }
    if (!parsed || !params || unknown.length > 0) return;
    const named = name ? { ...parsed, name } : parsed;
    if (seen.has(named.address)) {
      error(`${where}: ${named.address} is listed twice; each recipient gets one message per period`);
      return;
    }
    seen.add(named.address);
    out.push({ address: named, params });
  });
  return out;
}

export function parseDerived(value: unknown, error: Report): DerivedRecipients | undefined {
  if (!isObject(value) || typeof value.sql !== 'string' || !value.sql.trim()) {
    error('.recipientsFrom: expected {"sql": "SELECT email AS address, region FROM ...", "params": {...}}');
    return undefined;
  }
  const sql = value.sql.trim().replace(/;\s*$/, '');
  if (!/^(select|with)\b/i.test(sql) || sql.includes(';')) {
    error('.recipientsFrom.sql: must be one SELECT (or WITH ... SELECT) statement');
  }
  const params = parseParams(value.params, '.recipientsFrom.params', error) ?? {};
  const used = usedParams(sql);
  for (const name of used) {
    if (!(name in params) && !RUN_PARAMS.includes(name)) {
      error(
        `.recipientsFrom.sql uses $${name} but params has no "${name}"; add it, or use $period_start / $period_end`,
      );
    }
  }
  for (const name of Object.keys(params)) {
    if (!used.includes(name)) error(`.recipientsFrom.params.${name} is not used by the SQL`);
  }
  return { sql, params };
}

export function parseParams(
  value: unknown,
  where: string,
  error: Report,
): Record<string, string> | undefined {
  if (value === undefined) return {};
  if (!isObject(value)) {
    error(`${where}: expected an object of name: "value", e.g. {"region": "EMEA"}`);
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (!PARAM_NAME.test(name)) error(`${where}.${name}: a param name is letters, digits and _`);
    else if (typeof v !== 'string' && typeof v !== 'number')
      error(`${where}.${name}: expected a string, got ${JSON.stringify(v)}`);
    else out[name] = String(v);
  }
  return out;
}

export function parseRetry(value: unknown, error: Report): RetryPolicy | undefined {
  if (value === undefined) return DEFAULT_RETRY;
  if (!isObject(value)) {
    error('.retry: expected {"attempts": 5, "initialDelaySeconds": 30}');
    return undefined;
  }
  const attempts = number(
    value,
    'attempts',
    DEFAULT_RETRY.attempts,
    { min: 1, max: 20, integer: true },
    (m) => error(`.retry${m}`),
  );
  const delay = number(
    value,
    'initialDelaySeconds',
    DEFAULT_RETRY.initialDelayMs / 1000,
    { min: 0, max: 3600 },
    (m) => error(`.retry${m}`),
  );
  if (attempts === undefined || delay === undefined) return undefined;
  return { ...DEFAULT_RETRY, attempts, initialDelayMs: delay * 1000 };
}

export function address(value: unknown, where: string, error: Report): MailAddress | undefined {
  if (typeof value !== 'string') {
    error(`${where}: expected an e-mail address such as "ana@example.com"`);
    return undefined;
  }
  const outcome = parseAddressOutcome(value);
  if ('problem' in outcome) {
    error(`${where}: ${outcome.problem}`);
    return undefined;
  }
  return outcome;
}

export function text(entry: Record<string, unknown>, key: string, error: Report): string | undefined {
  const value = entry[key];
  if (typeof value === 'string' && value.trim()) return value.trim();
  error(`.${key}: ${value === undefined ? 'missing' : `expected text, got ${JSON.stringify(value)}`}`);
  return undefined;
}

export function number(
  entry: Record<string, unknown>,
  key: string,
  fallback: number,
  range: { min: number; max: number; integer?: boolean },
  error: Report,
): number | undefined {
  const value = entry[key];
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    value < range.min ||
    value > range.max ||
    (range.integer && !Number.isInteger(value))
  ) {
    error(
      `.${key}: expected ${range.integer ? 'a whole number' : 'a number'} from ${range.min} to ${range.max}, got ${JSON.stringify(value)}`,
    );
    return undefined;
  }
  return value;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
