// The folders the dev server previews and watches. The project's own by default; tests (and
// anyone trying an idea on a copy) pass another project folder.

import { basename, dirname, relative, resolve } from 'node:path';
import { PulseError } from '../errors.ts';
import { isReportName } from '../report/report-name.ts';

export interface DevRoots {
  /** The project folder: paths in messages are shown relative to it. */
  readonly root: string;
  readonly queriesDir: string;
  readonly reportsDir: string;
  readonly templatesDir: string;
  readonly dataDir: string;
}

export function buildDevRoots(root: string, dataDir: string): DevRoots {
  return {
    root,
    queriesDir: resolve(root, 'queries'),
    reportsDir: resolve(root, 'reports'),
    templatesDir: resolve(root, 'templates'),
    dataDir,
  };
}

/** `monthly`, `reports/monthly.ts` or a path to it → `monthly`. */
export function parseReportArgument(argument: string, roots: DevRoots, cwd: string): string {
  if (isReportName(argument)) return argument;
  const path = resolve(cwd, argument);
  const name = basename(path, '.ts');
  if (!path.endsWith('.ts') || dirname(path) !== roots.reportsDir || !isReportName(name)) {
    throw new PulseError(
      'usage',
      `"${argument}" is not a report; give a name (monthly) or a file in ${shortPath(roots.reportsDir, roots)}/ (reports/monthly.ts)`,
    );
  }
  return name;
}

/** A path as the analyst knows it: relative to the project when inside it. */
export function shortPath(path: string, roots: DevRoots): string {
  const inside = relative(roots.root, path);
  return inside && !inside.startsWith('..') && !inside.startsWith('/') ? inside : path;
}
