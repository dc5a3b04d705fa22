// `pulse copy kpi ID` / `pulse copy report NAME`: a built-in KPI or report copied into the
// project, where it replaces the built-in one and is the user's to change. Never overwrites.

import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { PulseError } from '../../errors.ts';
import { readCatalog } from '../../kpi/catalog.ts';
import { TOOLKIT_ROOT } from '../../paths.ts';
import type { ProjectFolders } from '../../project.ts';
import { listReports } from '../../report/load-report.ts';
import type { CliIo } from '../options.ts';

const WHAT = ['kpi', 'report'] as const;

export async function copyCommand(
  positionals: readonly string[],
  project: ProjectFolders,
  io: CliIo,
): Promise<number> {
  const [what, name, ...extra] = positionals;
  if (!what || !(WHAT as readonly string[]).includes(what) || !name || extra.length > 0) {
    throw new PulseError(
      'usage',
      'give what to copy and its name: `pulse copy kpi close_rate` or `pulse copy report monthly`',
    );
  }
  if (project.root === TOOLKIT_ROOT) {
    throw new PulseError(
      'usage',
      `this is the toolkit's own folder (${TOOLKIT_ROOT}): edit its queries/ and reports/ directly, or create a project with \`pulse init DIR\``,
    );
  }
  const copied = what === 'kpi' ? await copyKpi(name, project) : await copyReport(name, project);
  const shown = relative(io.cwd, copied.to) || copied.to;
  io.stdout(
    `copied the built-in ${copied.from} (crm-pulse) to ${shown}; it now replaces the built-in ${what} ${name}\n`,
  );
  return 0;
}

async function copyKpi(id: string, project: ProjectFolders) {
  const builtIn = await readCatalog(project.queries.filter((f) => f.origin === 'built-in'));
  const kpi = builtIn.get(id);
  const to = join(project.root, 'queries', kpi.area, `${kpi.id}.sql`);
  const from = join(TOOLKIT_ROOT, kpi.file);
  await writeNew(to, await readFile(from, 'utf8'));
  return { from: kpi.file, to };
}

async function copyReport(name: string, project: ProjectFolders) {
  const reports = await listReports(project.reports.filter((f) => f.origin === 'built-in'));
  const report = reports.find((r) => r.name === name);
  if (!report) {
    throw new PulseError(
      'usage',
      `no built-in report "${name}"; built-in reports: ${reports.map((r) => r.name).join(', ')}`,
    );
  }
  const to = join(project.root, 'reports', `${name}.ts`);
  await writeNew(to, asProjectScript(await readFile(report.file, 'utf8'), report.file));
  return { from: relative(TOOLKIT_ROOT, report.file), to };
}

/** A built-in report imports the public API by path; a project's imports the package. */
export function asProjectScript(text: string, file: string): string {
  const rewritten = text.replaceAll(/from '\.\.\/lib\/index\.ts'/g, "from 'crm-pulse'");
  const deep = /from '\.\.\/lib\/[^']+'/.exec(rewritten);
  if (deep) {
    // A toolkit bug, guarded by a test: every built-in report imports the public entry only.
    throw new Error(
      `${file} imports ${deep[0].slice(5)}, which a project cannot: built-in reports import only '../lib/index.ts'`,
    );
  }
  return rewritten;
}

async function writeNew(path: string, text: string): Promise<void> {
  if (existsSync(path)) {
    throw new PulseError('usage', `${path} already exists; nothing was copied (move it away to copy again)`);
  }
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text, { flag: 'wx' });
}
