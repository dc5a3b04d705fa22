// A report's name: its file is reports/<name>.ts and its outputs out/<name>/<period>/, so the
// name is a plain, file-safe word. One rule for defineReport, loading a report by name, the
// schedules and the dev server.

import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from '../paths.ts';

export const REPORT_NAME = /^[a-z0-9_-]{1,64}$/;

/** Lower-case letters, digits, - or _, 1 to 64 of them. */
export function isReportName(name: string): boolean {
  return REPORT_NAME.test(name);
}

/** The report names in a reports folder (reports/<name>.ts), sorted; none when it cannot be read. */
export async function readReportNames(reportsDir = resolve(PROJECT_ROOT, 'reports')): Promise<string[]> {
  const files = await readdir(reportsDir).catch(() => [] as string[]);
  return files
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .filter(isReportName)
    .sort();
}
