// Where a run finds its inputs: the toolkit's built-in KPIs, reports and templates, and the
// user's project (the folder of its pulse.config.json) with its own queries/ and reports/ beside
// them. A project KPI with a built-in's id replaces it; a project report shadows a built-in one
// of the same name. This repository is such a project too, with nothing beside the built-ins.

import { resolve, sep } from 'node:path';
import { TOOLKIT_ROOT } from './paths.ts';

type Env = Readonly<Record<string, string | undefined>>;

export type Origin = 'built-in' | 'project';

export interface OriginFolder {
  readonly dir: string;
  readonly origin: Origin;
}

export interface ProjectFolders {
  /** The user's project: out/, .pulse/, schedules.json and messages are relative to it. */
  readonly root: string;
  /** KPI folders, built-in first: a later folder's KPI replaces an earlier one's of the same id. */
  readonly queries: readonly OriginFolder[];
  /** Report folders, the project's first: the first holding NAME.ts wins. */
  readonly reports: readonly OriginFolder[];
}

/** Installed from npm (under node_modules) rather than a checkout of the toolkit itself. */
const INSTALLED = TOOLKIT_ROOT.split(sep).includes('node_modules');

/**
 * The project folder: $PULSE_PROJECT (the config file's folder, set when it is read); without a
 * config, the folder the command runs in when the toolkit is installed as a package, or the
 * toolkit's own checkout when it is not (so the repository works as it always has).
 */
export function projectRoot(env: Env, cwd: string): string {
  if (env.PULSE_PROJECT) return resolve(cwd, env.PULSE_PROJECT);
  return INSTALLED ? resolve(cwd) : TOOLKIT_ROOT;
}

export function projectFolders(root: string): ProjectFolders {
  const builtInQueries = resolve(TOOLKIT_ROOT, 'queries');
  const builtInReports = resolve(TOOLKIT_ROOT, 'reports');
  const ownQueries = resolve(root, 'queries');
  const ownReports = resolve(root, 'reports');
  // A project folder that does not exist (yet) holds nothing: readers treat it as empty.
  const own = (dir: string, builtIn: string) =>
    dir !== builtIn ? [{ dir, origin: 'project' as const }] : [];
  return {
    root,
    queries: [{ dir: builtInQueries, origin: 'built-in' }, ...own(ownQueries, builtInQueries)],
    reports: [...own(ownReports, builtInReports), { dir: builtInReports, origin: 'built-in' }],
  };
}

/** The folders in force for a command run with this environment. */
export function foldersFor(env: Env, cwd: string): ProjectFolders {
  return projectFolders(projectRoot(env, cwd));
}

/** $PULSE_STATE_DIR (against cwd), default .pulse/ in the project: ledger, logs, caches. */
export function stateDirFor(env: Env, cwd: string): string {
  return env.PULSE_STATE_DIR ? resolve(cwd, env.PULSE_STATE_DIR) : resolve(projectRoot(env, cwd), '.pulse');
}

/** --out, else $PULSE_OUT (both against cwd), default out/ in the project. */
export function outDirFor(flag: string | undefined, env: Env, cwd: string): string {
  const given = flag ?? env.PULSE_OUT;
  return given ? resolve(cwd, given) : resolve(projectRoot(env, cwd), 'out');
}

/** $PULSE_SCHEDULES (against cwd), default schedules.json in the project. */
export function schedulesFileFor(env: Env, cwd: string): string {
  return env.PULSE_SCHEDULES
    ? resolve(cwd, env.PULSE_SCHEDULES)
    : resolve(projectRoot(env, cwd), 'schedules.json');
}
