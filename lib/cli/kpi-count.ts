// How many KPIs a report computed the last time it ran, so that its status line can say "KPI 12
// of about 50": a report's cells decide their KPIs as they run, so the count is known only
// afterwards. Kept by report in <state dir>/kpi-counts.json. A file that cannot be read or
// written is passed over: progress is a courtesy, never a reason for a run to fail.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const FILE = 'kpi-counts.json';

export async function lastKpiCount(stateDir: string, report: string): Promise<number | undefined> {
  const counts = await readCounts(stateDir);
  const count = counts[report];
  return Number.isSafeInteger(count) && (count ?? 0) > 0 ? count : undefined;
}

export async function keepKpiCount(stateDir: string, report: string, count: number): Promise<void> {
  if (count <= 0) return;
  try {
    const counts = { ...(await readCounts(stateDir)), [report]: count };
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
