// `pulse init [DIR]`: a project of the user's own, from the toolkit's starter/ folder: a config
// file, queries/ with a README, one report to start from, paused example schedules, .gitignore,
// a README and a tsconfig for the editor. It never overwrites: a file already there stops it
// before anything is written, with the list.

import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { PulseError } from '../../errors.ts';
import { TOOLKIT_ROOT } from '../../paths.ts';
import type { CliIo } from '../options.ts';

export const STARTER_DIR = join(TOOLKIT_ROOT, 'starter');

/** npm leaves .gitignore out of packages, so the starter keeps it as gitignore. */
const RENAMED: Readonly<Record<string, string>> = { gitignore: '.gitignore' };

export async function initCommand(positionals: readonly string[], io: CliIo): Promise<number> {
  if (positionals.length > 1)
    throw new PulseError('usage', `pulse init takes one folder, got ${positionals.join(', ')}`);
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  const files = await starterFiles();
  const taken = files.filter((f) => existsSync(join(dir, f.target)));
  if (taken.length > 0) {
    throw new PulseError(
      'usage',
      `${dir} already has ${taken.map((f) => f.target).join(', ')}; nothing was written. ` +
        'Run pulse init in an empty folder (or a new one: pulse init my-crm), or move those files away',
    );
  }
  for (const file of files) {
    await mkdir(dirname(join(dir, file.target)), { recursive: true });
    await writeFile(join(dir, file.target), await readFile(join(STARTER_DIR, file.source)), { flag: 'wx' });
  }
  const packageNote = await ensurePackageJson(dir);
  const shown = relative(io.cwd, dir) || '.';
  io.stdout(
    [
      `Created a crm-pulse project in ${dir}:`,
      ...files.map((f) => `  ${f.target}`),
      ...(packageNote ? [`  ${packageNote}`] : []),
      '',
      'Next:',
      ...(shown === '.' ? [] : [`  cd ${shown}`]),
      ...(canResolveToolkit(dir) ? [] : ['  npm install']),
      '  npx pulse report overview     # your report, on the sample data',
      '  npx pulse dev overview        # live preview: edit reports/overview.ts and save',
      '  then set "data" (and "mapping") in pulse.config.json to your CRM export; README.md says more',
      '',
    ].join('\n'),
  );
  return 0;
}

interface StarterFile {
  readonly source: string;
  readonly target: string;
}

async function starterFiles(): Promise<StarterFile[]> {
  const entries = await readdir(STARTER_DIR, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(STARTER_DIR, join(e.parentPath, e.name)))
    .sort()
    .map((source) => ({ source, target: RENAMED[source] ?? source }));
}

/**
 * Report scripts are ES modules that import 'crm-pulse': the folder needs a package.json saying
 * "type": "module", and crm-pulse as a dependency when it is not installed around it already.
 * Returns what it did, for the summary.
 */
async function ensurePackageJson(dir: string): Promise<string | undefined> {
  const path = join(dir, 'package.json');
  if (!existsSync(path)) {
    const version = JSON.parse(await readFile(join(TOOLKIT_ROOT, 'package.json'), 'utf8')).version as string;
    const manifest = {
      name: safePackageName(dir),
      private: true,
      type: 'module',
      ...(canResolveToolkit(dir) ? {} : { dependencies: { 'crm-pulse': `^${version}` } }),
    };
    await writeFile(path, `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
    return 'package.json';
  }
  const text = await readFile(path, 'utf8');
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new PulseError(
      'usage',
      `${path} is not valid JSON (${(error as Error).message}); the project was created, but fix it and add "type": "module" so the report scripts run`,
    );
  }
  if (manifest.type === 'module') return undefined;
  // npm init writes "type": "commonjs"; report scripts need ES modules (import, top-level await).
  const indent = /^[ \t]+/m.exec(text)?.[0] ?? '  ';
  await writeFile(path, `${JSON.stringify({ ...manifest, type: 'module' }, null, indent)}\n`);
  return `package.json: "type" set to "module" (was ${manifest.type === undefined ? 'unset' : JSON.stringify(manifest.type)}): report scripts are ES modules`;
}

/** True when `import 'crm-pulse'` from inside `dir` finds this toolkit (installed around it). */
function canResolveToolkit(dir: string): boolean {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'node_modules', 'crm-pulse', 'package.json'))) return true;
    if (dirname(at) === at) return false;
  }
}

function safePackageName(dir: string): string {
  const base = dir.split('/').at(-1) ?? 'crm-reports';
  const name = base
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+/, '');
  return name || 'crm-reports';
}
