// How many KPIs a report computed the last time it ran, so that its status line can say "KPI 12
// of about 50": a report's cells decide their KPIs as they run, so the count is known only
// afterwards. Kept by report, params and data in <state dir>/kpi-counts.json (a report on a
// three-table export computes fewer KPIs than on the sample). A file that cannot be read or
// written is passed over: progress is a courtesy, never a reason for a run to fail.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const FILE = 'kpi-counts.json';
/** The most recent runs kept; older keys are dropped (a user trying many exports). */
const KEPT = 100;

/** "monthly/region=EMEA @ /data/crm (mapping /data/crm.json)": what the count depends on. */
export function kpiCountKey(run: {
  readonly report: string;
  readonly paramsFolder?: string | undefined;
  readonly dataDir: string;
  readonly mapping?: string | undefined;
}): string {
  const name = run.paramsFolder ? `${run.report}/${run.paramsFolder}` : run.report;
  return `${name} @ ${resolve(run.dataDir)}${run.mapping ? ` (mapping ${run.mapping})` : ''}`;
}

export async function lastKpiCount(stateDir: string, report: string): Promise<number | undefined> {
  const counts = await readCounts(stateDir);
  const count = counts[report];
  return Number.isSafeInteger(count) && (count ?? 0) > 0 ? count : undefined;
}

export async function keepKpiCount(stateDir: string, report: string, count: number): Promise<void> {
  if (count <= 0) return;
  try {
    // The key moves to the end: the file keeps the KEPT most recently run.
    const { [report]: _, ...others } = await readCounts(stateDir);
    const counts = Object.fromEntries([...Object.entries(others), [report, count]].slice(-KEPT));
    await mkdir(stateDir, { recursive: true });
    // Written aside and renamed: two runs at once never leave half a file.
    const aside = join(stateDir, `${FILE}.${process.pid}.tmp`);
    await writeFile(aside, `${JSON.stringify(counts, null, 2)}\n`);
    await rename(aside, join(stateDir, FILE));
  } catch {
    // A read-only project still runs its reports.
  }
}

async function readCounts(stateDir: string): Promise<Record<string, number>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(stateDir, FILE), 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
    );
  } catch {
    return {};
  }
}
