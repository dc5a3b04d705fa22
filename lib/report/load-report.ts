// A report script by name: reports/<name>.ts, checked to be a plain name inside the project.

import { stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { PulseError } from '../errors.ts';
import { PROJECT_ROOT } from '../paths.ts';
import type { ReportDefinition } from './define.ts';
import { isReportName } from './report-name.ts';

export interface LoadReportOptions {
  /** Default: the project's reports/. The dev server passes the folder it previews. */
  readonly reportsDir?: string;
  /**
   * Import the file as it is now, not as this process first saw it: the module URL carries the
   * file's mtime (`?v=<ns>`), so an unchanged file stays one module and a saved one is new.
   */
  readonly fresh?: boolean;
}

/** reports/<name>.ts, checked to be a plain name inside the project. */
export async function loadReport(name: string, options: LoadReportOptions = {}): Promise<ReportDefinition> {
  if (!isReportName(name)) {
    throw new PulseError('usage', `report name "${name}" must be lower-case letters, digits, - or _`);
  }
  const path = `${options.reportsDir ?? `${PROJECT_ROOT}/reports`}/${name}.ts`;
  const found = await stat(path, { bigint: true }).catch(() => undefined);
  if (!found?.isFile()) throw new PulseError('usage', `no report "${name}" (looked for reports/${name}.ts)`);
  // An integer: a dot in the query would read as a file extension to some loaders (vite).
  const url = `${pathToFileURL(path).href}${options.fresh ? `?v=${found.mtimeNs}` : ''}`;
  const module = (await import(url)) as { default?: ReportDefinition };
  if (!module.default)
    throw new PulseError('usage', `reports/${name}.ts must export default defineReport({...})`);
  return module.default;
}
