import { objectsToCsv, renderTextTable } from '../../format/table.ts';
import { readCatalog } from '../../kpi/catalog.ts';
import { buildKpiListing } from '../../kpi/kpi-listing.ts';
import type { CliIo, CommonOptions } from '../options.ts';

/** `pulse list`: the KPI catalog by area, with unit and the tables each needs. */
export async function listCommand(options: CommonOptions, io: CliIo): Promise<number> {
  const catalog = await readCatalog();
  const rows = catalog.kpis.map(buildKpiListing);
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
    const table = renderTextTable(
      [{ header: 'id' }, { header: 'title' }, { header: 'unit' }, { header: 'tables' }, { header: 'by' }],
      rows.filter((r) => r.area === area).map((r) => [r.id, r.title, r.unit, r.tables, r.breakdowns]),
    );
    return `${area}\n${table}`;
  });
  io.stdout(`${sections.join('\n\n')}\n\n${rows.length} KPIs; \`pulse kpi ID\` computes one.\n`);
  return 0;
}
