import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { withinDistance } from '../data/did-you-mean.ts';
import { PulseError } from '../errors.ts';
import { PROJECT_ROOT, QUERIES_DIR } from '../paths.ts';
import { type KpiDefinition, parseKpiFile } from './definition.ts';

export interface Catalog {
  readonly kpis: readonly KpiDefinition[];
  /** By id (`close_rate`) or area/id (`sales/close_rate`). */
  get(id: string): KpiDefinition;
}

// The catalog's own order (kpi-catalog.md): the funnel first, then what follows the sale.
const AREA_ORDER = ['sales', 'marketing', 'customers', 'service', 'adoption'];
const areaRank = (area: string) => (AREA_ORDER.includes(area) ? AREA_ORDER.indexOf(area) : AREA_ORDER.length);

/** Reads every queries/<area>/<id>.sql; reports every header mistake at once. */
export async function readCatalog(queriesDir = QUERIES_DIR): Promise<Catalog> {
  const kpis: KpiDefinition[] = [];
  const errors: string[] = [];
  const areas = (await readdir(queriesDir, { withFileTypes: true })).filter((e) => e.isDirectory());
  for (const area of areas.sort(
    (a, b) => areaRank(a.name) - areaRank(b.name) || a.name.localeCompare(b.name),
  )) {
    const files = (await readdir(join(queriesDir, area.name))).filter((f) => f.endsWith('.sql')).sort();
    for (const file of files) {
      const path = join(queriesDir, area.name, file);
      const inProject = !relative(PROJECT_ROOT, path).startsWith('..');
      const outcome = parseKpiFile(
        inProject ? relative(PROJECT_ROOT, path) : path,
        await readFile(path, 'utf8'),
      );
      if (outcome.ok) kpis.push(outcome.definition);
      else errors.push(...outcome.errors);
    }
  }
  const seen = new Map<string, string>();
  for (const kpi of kpis) {
    const other = seen.get(kpi.id);
    if (other) errors.push(`${kpi.file}: KPI id ${kpi.id} is also defined in ${other}; ids must be unique`);
    seen.set(kpi.id, kpi.file);
  }
  if (errors.length > 0) throw new PulseError('kpi_header', errors.join('\n'));
  return { kpis, get: (id) => findKpi(kpis, id) };
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
