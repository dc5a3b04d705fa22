import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { Env } from '../deliver/smtp-config.ts';
import { PulseError } from '../errors.ts';
import { PROJECT_ROOT } from '../paths.ts';
import type { ReportDefinition } from '../report/define.ts';
import type { ParamDeclarations } from '../report/report-params.ts';
import { parseSchedules, type Schedule } from './schedule-config.ts';

/** Where reports come from: the project's reports/ folder (tests pass their own). */
export interface ReportSource {
  load(name: string): Promise<ReportDefinition>;
  names(): Promise<string[]>;
}

/** schedules.json at the project root, or $PULSE_SCHEDULES. */
export function schedulesPath(env: Env, cwd: string): string {
  return env.PULSE_SCHEDULES ? resolve(cwd, env.PULSE_SCHEDULES) : resolve(PROJECT_ROOT, 'schedules.json');
}

/**
 * Reads and validates every schedule; refuses with every problem listed. Each scheduled report
 * is loaded so its recipients' params are checked against the params it takes.
 */
export async function readSchedules(path: string, reports: ReportSource): Promise<Schedule[]> {
  const shown = relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path) || path;
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new PulseError(
      'usage',
      `${shown}: cannot read the schedules (${error.code ?? 'error'}); create it (see README, "Sending reports and schedules") or set PULSE_SCHEDULES`,
    );
  });
  const reportNames = await reports.names();
  const outcome = parseSchedules(
    text,
    shown,
    reportNames,
    await readDeclarations(text, reports, reportNames),
  );
  if (!outcome.ok) {
    const count = outcome.errors.length;
    throw new PulseError(
      'usage',
      `${count} problem${count === 1 ? '' : 's'} in the schedules; nothing was scheduled:\n  ${outcome.errors.join('\n  ')}`,
    );
  }
  return outcome.schedules;
}

/** The params of each report the schedules name (a report that does not load is left out here). */
async function readDeclarations(
  text: string,
  reports: ReportSource,
  names: readonly string[],
): Promise<Map<string, ParamDeclarations>> {
  const named = new Set<string>();
  try {
    const json = JSON.parse(text) as { schedules?: { report?: unknown }[] };
    for (const s of Array.isArray(json.schedules) ? json.schedules : []) {
      if (typeof s?.report === 'string' && names.includes(s.report)) named.add(s.report);
    }
  } catch {
    // Not JSON: parseSchedules says so.
  }
  const declarations = new Map<string, ParamDeclarations>();
  for (const name of named) {
    const definition = await reports.load(name).catch(() => undefined);
    if (definition) declarations.set(name, definition);
  }
  return declarations;
}
