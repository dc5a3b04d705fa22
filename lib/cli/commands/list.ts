import { objectsToCsv, renderTextTable } from '../../format/table.ts';
import { readCatalog } from '../../kpi/catalog.ts';
import { buildKpiListing } from '../../kpi/kpi-listing.ts';
import { listReports } from '../../report/load-report.ts';
import type { CliIo, CommonOptions } from '../options.ts';

/** `pulse list`: the KPI catalog by area, with unit and the tables each needs; then the reports. */
export async function listCommand(options: CommonOptions, io: CliIo): Promise<number> {
  const catalog = await readCatalog(options.project.queries);
  const rows = catalog.kpis.map((k) => ({
    ...buildKpiListing(k),
    source: k.replaces ? `project (replaces built-in ${k.replaces})` : k.origin,
  }));
  const ownKpis = rows.some((r) => r.source !== 'built-in');
  if (options.format === 'json') {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  if (options.format === 'csv') {
    io.stdout(objectsToCsv(rows));
    return 0;
  }
  const areas = [...new Set(rows.map((r) => r.area))];
  const sections = areas.map((area) => {
    // The source column only where a project adds KPIs: otherwise every row says built-in.
    const table = renderTextTable(
      [
        { header: 'id' },
        { header: 'title' },
        { header: 'unit' },
        { header: 'tables' },
        { header: 'by' },
        ...(ownKpis ? [{ header: 'source' }] : []),
      ],
      rows
        .filter((r) => r.area === area)
        .map((r) => [r.id, r.title, r.unit, r.tables, r.breakdowns, ...(ownKpis ? [r.source] : [])]),
    );
    return `${area}\n${table}`;
  });
  const own = rows.filter((r) => r.source !== 'built-in').length;
  const replaced = rows.filter((r) => r.source.startsWith('project (replaces')).length;
  const counts = own
    ? ` (${own} from this project${replaced ? `, ${replaced} replacing a built-in` : ''})`
    : '';
  const reports = (await listReports(options.project.reports)).map((r) =>
    r.origin === 'built-in'
      ? r.name
      : `${r.name} (project${r.replaces ? ', replaces the built-in one' : ''})`,
  );
  io.stdout(
    `${sections.join('\n\n')}\n\n${rows.length} KPIs${counts}; \`pulse kpi ID\` computes one, \`pulse copy kpi ID\` copies a built-in one into the project to change it.\n` +
      `Reports: ${reports.join(', ')}; \`pulse report NAME\` runs one.\n`,
  );
  return 0;
}
