import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { withinDistance } from '../data/did-you-mean.ts';
import { PulseError } from '../errors.ts';
import { QUERIES_DIR, TOOLKIT_ROOT } from '../paths.ts';
import type { Origin, OriginFolder } from '../project.ts';
import { type KpiDefinition, parseKpiFile } from './definition.ts';

export interface Catalog {
  readonly kpis: readonly (KpiDefinition & KpiOrigin)[];
  /** By id (`close_rate`) or area/id (`sales/close_rate`). */
  get(id: string): KpiDefinition;
}

// The catalog's own order (kpi-catalog.md): the funnel first, then what follows the sale.
const AREA_ORDER = ['sales', 'marketing', 'customers', 'service', 'adoption'];
const areaRank = (area: string) => (AREA_ORDER.includes(area) ? AREA_ORDER.indexOf(area) : AREA_ORDER.length);

/** Where a KPI comes from, and the built-in file it replaces when a project redefines its id. */
export interface KpiOrigin {
  readonly origin: Origin;
  readonly replaces?: string;
}

/**
 * Reads every <folder>/<area>/<id>.sql of each folder, built-in first; reports every header
 * mistake at once. A later folder's KPI replaces an earlier one's with the same id (a project
 * redefining a built-in); two KPIs with one id in the same folder are a mistake.
 */
export async function readCatalog(folders: string | readonly OriginFolder[] = QUERIES_DIR): Promise<Catalog> {
  const list: readonly OriginFolder[] =
    typeof folders === 'string' ? [{ dir: folders, origin: 'built-in' }] : folders;
  const byId = new Map<string, KpiDefinition & KpiOrigin>();
  const errors: string[] = [];
  for (const folder of list) {
    const seen = new Map<string, string>();
    for (const path of await kpiFiles(folder.dir)) {
      if (dirname(path) === folder.dir) {
        errors.push(
          `${shownPath(path)}: a KPI file belongs in a folder named for its area, e.g. ${shownPath(join(folder.dir, 'sales', basename(path)))}`,
        );
        continue;
      }
      const outcome = parseKpiFile(shownPath(path), await readFile(path, 'utf8'));
      if (!outcome.ok) {
        errors.push(...outcome.errors);
        continue;
      }
      const kpi = outcome.definition;
      const other = seen.get(kpi.id);
      if (other) errors.push(`${kpi.file}: KPI id ${kpi.id} is also defined in ${other}; ids must be unique`);
      seen.set(kpi.id, kpi.file);
      const replaced = byId.get(kpi.id);
      byId.delete(kpi.id);
      byId.set(kpi.id, {
        ...kpi,
        origin: folder.origin,
        ...(replaced && replaced.origin !== folder.origin ? { replaces: replaced.file } : {}),
      });
    }
  }
  if (errors.length > 0) throw new PulseError('kpi_header', errors.join('\n'));
  const kpis = [...byId.values()].sort(
    (a, b) => areaRank(a.area) - areaRank(b.area) || a.area.localeCompare(b.area) || byCodeUnit(a.id, b.id),
  );
  return { kpis, get: (id) => findKpi(kpis, id) };
}

/**
 * Every .sql under <dir>, sorted; the folder right above a file is its area. A missing folder
 * holds none; a file directly in <dir> has no area and is a mistake the header check names.
 */
async function kpiFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.sql'))
    .map((e) => join(e.parentPath, e.name))
    .sort(byCodeUnit);
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** queries/sales/close_rate.sql for the toolkit's own files; the full path for a project's. */
function shownPath(path: string): string {
  return relative(TOOLKIT_ROOT, path).startsWith('..') ? path : relative(TOOLKIT_ROOT, path);
}

function findKpi(kpis: readonly KpiDefinition[], id: string): KpiDefinition {
  const found = kpis.find((k) => k.id === id || `${k.area}/${k.id}` === id);
  if (found) return found;
  const close = withinDistance(
    id,
    kpis.map((k) => k.id),
    Math.max(2, Math.floor(id.length / 4)),
  );
  const hint =
    close.length > 0 ? `did you mean ${close.slice(0, 3).join(', ')}?` : 'run `pulse list` to see them';
  throw new PulseError('kpi_unknown', `unknown KPI "${id}"; ${hint}`);
}
