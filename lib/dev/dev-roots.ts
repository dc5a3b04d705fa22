// The folders the dev server previews and watches. The project's own by default; tests (and
// anyone trying an idea on a copy) pass another project folder.

import { existsSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { PulseError } from '../errors.ts';
import { type OriginFolder, projectFolders } from '../project.ts';
import { TEMPLATES_DIR } from '../render/templates.ts';
import { listReports } from '../report/load-report.ts';
import { isReportName } from '../report/report-name.ts';

export interface DevRoots {
  /** The project folder: paths in messages are shown relative to it. */
  readonly root: string;
  /** The project's own queries/: where the scratchpad saves a KPI. */
  readonly queriesDir: string;
  /** The project's own reports/. */
  readonly reportsDir: string;
  /** Every KPI folder (built-in, then the project's) and report folder (the project's first). */
  readonly queryFolders: readonly OriginFolder[];
  readonly reportFolders: readonly OriginFolder[];
  readonly templatesDir: string;
  readonly dataDir: string;
}

export function buildDevRoots(root: string, dataDir: string): DevRoots {
  const folders = projectFolders(root);
  const ownTemplates = resolve(root, 'templates');
  return {
    root,
    queriesDir: resolve(root, 'queries'),
    reportsDir: resolve(root, 'reports'),
    queryFolders: folders.queries,
    reportFolders: folders.reports,
    // A project may keep its own templates; otherwise the built-in ones.
    templatesDir: existsSync(ownTemplates) ? ownTemplates : TEMPLATES_DIR,
    dataDir,
  };
}

/** `monthly`, `reports/monthly.ts` or a path to it → `monthly`. */
export function parseReportArgument(argument: string, roots: DevRoots, cwd: string): string {
  if (isReportName(argument)) return argument;
  const path = resolve(cwd, argument);
  const name = basename(path, '.ts');
  if (
    !path.endsWith('.ts') ||
    !roots.reportFolders.some((f) => f.dir === dirname(path)) ||
    !isReportName(name)
  ) {
    throw new PulseError(
      'usage',
      `"${argument}" is not a report; give a name (monthly) or a file in ${shortPath(roots.reportsDir, roots)}/ (reports/monthly.ts)`,
    );
  }
  return name;
}

/** The report names, the project's and the built-in ones, sorted. */
export async function readReportNames(roots: DevRoots): Promise<string[]> {
  return (await listReports(roots.reportFolders)).map((r) => r.name);
}

/** A path as the analyst knows it: relative to the project when inside it. */
export function shortPath(path: string, roots: DevRoots): string {
  const inside = relative(roots.root, path);
  return inside && !inside.startsWith('..') && !inside.startsWith('/') ? inside : path;
}
