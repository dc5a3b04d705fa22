import { assertNoErrors, type Dataset } from '../../data/dataset.ts';
import { PulseError } from '../../errors.ts';
import { objectsToCsv, renderTextTable } from '../../format/table.ts';
import { formatExtra, formatKpiValue } from '../../format/values.ts';
import { readCatalog } from '../../kpi/catalog.ts';
import { type PeriodSpan, periodLabel, type SeriesGrain } from '../../kpi/period.ts';
import { type KpiResult, runKpi } from '../../kpi/run.ts';
import type { CliIo, CommonOptions, ParsedFlags } from '../options.ts';
import { parseParamFlags } from '../options.ts';
import { choosePeriod } from '../period-choice.ts';
import { withDataset } from '../with-dataset.ts';

/** `pulse kpi ID... [--period | --from --to] [--grain] [--by] [--param] [--format]` */
export async function kpiCommand(flags: ParsedFlags, options: CommonOptions, io: CliIo): Promise<number> {
  const catalog = await readCatalog();
  const ids = flags.positionals.slice(1);
  if (ids.length === 0 && !flags.values.all) {
    throw new PulseError(
      'usage',
      'name at least one KPI, e.g. `pulse kpi close_rate`; `pulse list` shows them all',
    );
  }
  const kpis = flags.values.all
    ? catalog.kpis.filter((k) => k.unit !== 'table')
    : ids.map((id) => catalog.get(id));
  const params = parseParamFlags(flags.values.param);
  const unknown = Object.keys(params).filter(
    (name) => !kpis.some((k) => k.params.some((p) => p.name === name)),
  );
  if (unknown.length > 0) {
    const declared = [...new Set(kpis.flatMap((k) => k.params.map((p) => p.name)))];
    throw new PulseError(
      'usage',
      `--param ${unknown[0]} is not a parameter of ${kpis.map((k) => k.id).join(', ')}; ${declared.length ? `parameters: ${declared.join(', ')}` : 'they take none'}`,
    );
  }
  return withDataset(options, async (dataset: Dataset) => {
    assertNoErrors(dataset);
    const { span, note } = await choosePeriod(flags.values, dataset, options.now);
    if (note) io.stderr(`${note}\n`);
    const results: KpiResult[] = [];
    for (const kpi of kpis) {
      const own = Object.fromEntries(
        Object.entries(params).filter(([name]) => kpi.params.some((p) => p.name === name)),
      );
      results.push(
        await runKpi(dataset, kpi, {
          span,
          params: own,
          ...(flags.values.by ? { by: flags.values.by } : {}),
        }),
      );
    }
    io.stdout(renderResults(results, options, span));
    return 0;
  });
}

/** JSON and CSV carry exact values; a table is for people. */
export function renderResults(
  results: readonly KpiResult[],
  options: CommonOptions,
  span: PeriodSpan,
): string {
  const flat = results.flatMap<Record<string, unknown>>((r) =>
    r.available
      ? r.rows
      : [
          {
            id: r.kpi.id,
            period_start: span.start,
            period_end: span.end,
            value: null,
            available: false,
            needs: r.missing,
          },
        ],
  );
  if (options.format === 'json') return `${JSON.stringify(flat, null, 2)}\n`;
  if (options.format === 'csv') return objectsToCsv(flat);
  return `${results.map((r) => renderOne(r, options, span.grain)).join('\n\n')}\n`;
}

function renderOne(result: KpiResult, options: CommonOptions, grain: SeriesGrain): string {
  const title = `${result.kpi.title} (${result.kpi.id})`;
  if (!result.available) return `${title}\n  not available (needs: ${result.missing.join(', ')})`;
  const by = result.by;
  const extras = [...new Set(result.rows.flatMap((r) => Object.keys(r)))].filter(
    (k) => !['id', 'period_start', 'period_end', 'value'].includes(k) && k !== by,
  );
  const columns = [
    { header: 'period' },
    ...(by ? [{ header: by }] : []),
    { header: 'value', align: 'right' as const },
    ...extras.map((header) => ({ header, align: 'right' as const })),
  ];
  const rows = result.rows.map((row) => [
    periodLabel(row.period_start, row.period_end, grain),
    ...(by ? [row[by] === null ? '(none)' : String(row[by])] : []),
    formatKpiValue(row.value, result.kpi.unit, options),
    ...extras.map((name) => formatExtra(name, row[name], result.kpi.unit, options)),
  ]);
  return `${title}\n${renderTextTable(columns, rows)}`;
}
