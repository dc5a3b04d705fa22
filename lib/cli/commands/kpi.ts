import { assertNoErrors, type Dataset } from '../../data/dataset.ts';
import { PulseError } from '../../errors.ts';
import { readCatalog } from '../../kpi/catalog.ts';
import { type ComparedResult, runKpiCompared } from '../../kpi/run-compared.ts';
import { readTargets } from '../../kpi/targets.ts';
import type { CliIo, CommonOptions, ParsedFlags } from '../options.ts';
import { parseParamFlags } from '../options.ts';
import { choosePeriod } from '../period-choice.ts';
import { renderKpiResults } from '../render-kpis.ts';
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
    const targets = await readTargets(dataset);
    const results: ComparedResult[] = [];
    for (const kpi of kpis) {
      const own = Object.fromEntries(
        Object.entries(params).filter(([name]) => kpi.params.some((p) => p.name === name)),
      );
      const request = { span, params: own, ...(flags.values.by ? { by: flags.values.by } : {}) };
      results.push(await runKpiCompared(dataset, kpi, request, targets));
    }
    io.stdout(renderKpiResults(results, span, options.format, options, Boolean(flags.values.all)));
    return 0;
  });
}
