// A report script by name: <folder>/<name>.ts from the project's reports/ or the built-in ones,
// checked to be a plain name inside one of those folders.

import { readdir, stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { PulseError } from '../errors.ts';
import { TOOLKIT_ROOT } from '../paths.ts';
import type { Origin, OriginFolder } from '../project.ts';
import type { ReportDefinition } from './define.ts';
import { isReportName } from './report-name.ts';

const BUILT_IN: readonly OriginFolder[] = [{ dir: `${TOOLKIT_ROOT}/reports`, origin: 'built-in' }];

export interface LoadReportOptions {
  /** Where to look, first match wins. Default: the built-in reports/. */
  readonly folders?: readonly OriginFolder[];
  /**
   * Import the file as it is now, not as this process first saw it: the module URL carries the
   * file's mtime (`?v=<ns>`), so an unchanged file stays one module and a saved one is new.
   */
  readonly fresh?: boolean;
}

/** <folder>/<name>.ts, checked to be a plain name inside one of the folders. */
export async function loadReport(name: string, options: LoadReportOptions = {}): Promise<ReportDefinition> {
  if (!isReportName(name)) {
    throw new PulseError('usage', `report name "${name}" must be lower-case letters, digits, - or _`);
  }
  const folders = options.folders ?? BUILT_IN;
  for (const folder of folders) {
    const path = `${folder.dir}/${name}.ts`;
    const found = await stat(path, { bigint: true }).catch(() => undefined);
    if (!found?.isFile()) continue;
    // An integer: a dot in the query would read as a file extension to some loaders (vite).
    const url = `${pathToFileURL(path).href}${options.fresh ? `?v=${found.mtimeNs}` : ''}`;
    const module = (await import(url).catch((error: Error) => {
      throw new PulseError('usage', `${path} does not load: ${firstLine(error)}${loadHint(error)}`);
    })) as { default?: ReportDefinition };
    if (!module.default) throw new PulseError('usage', `${path} must export default defineReport({...})`);
    return module.default;
  }
  const names = (await listReports(folders)).map((r) => r.name);
  throw new PulseError(
    'usage',
    `no report "${name}" (looked for reports/${name}.ts${folders.length > 1 ? " in the project's and the built-in reports" : ''}); reports: ${names.join(', ') || 'none'}`,
  );
}

function firstLine(error: Error): string {
  return (error.message ?? String(error)).split('\n')[0] ?? '';
}

/** The usual reason a project's report does not load, and its fix. */
function loadHint(error: Error): string {
  return /Cannot find (package|module) 'crm-pulse'/.test(error.message)
    ? '; install the toolkit in the project (npm install crm-pulse) or run pulse from the folder it is installed in'
    : '';
}

export interface ReportEntry {
  readonly name: string;
  readonly origin: Origin;
  readonly file: string;
  /** A project report that shadows the built-in report of the same name. */
  readonly replaces?: string;
}

/** Every report by name, the first folder's winning; sorted by name. */
export async function listReports(folders: readonly OriginFolder[] = BUILT_IN): Promise<ReportEntry[]> {
  const byName = new Map<string, ReportEntry>();
  for (const folder of folders) {
    const files = await readdir(folder.dir).catch(() => [] as string[]);
    for (const file of files.sort()) {
      const name = file.endsWith('.ts') ? file.slice(0, -3) : '';
      if (!isReportName(name)) continue;
      const path = `${folder.dir}/${file}`;
      const earlier = byName.get(name);
      if (earlier) {
        if (earlier.origin !== folder.origin && !earlier.replaces)
          byName.set(name, { ...earlier, replaces: path });
        continue;
      }
      byName.set(name, { name, origin: folder.origin, file: path });
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}
