// The dev server's JSON API: run SQL or a KPI for the scratchpad, save a KPI file, change the
// preview's settings. Each handler takes the parsed body and answers a value or throws.

import type { Json } from '@duckdb/node-api';
import { renderSvg } from '../charts/render.ts';
import type { Dataset } from '../data/dataset.ts';
import { PulseError } from '../errors.ts';
import type { Catalog } from '../kpi/catalog.ts';
import {
  formatPeriod,
  lastCompleteMonth,
  type PeriodSpan,
  parsePeriod,
  trailingSeries,
} from '../kpi/period.ts';
import { runKpi } from '../kpi/run.ts';
import { buildAutoChart } from './auto-chart.ts';
import { HttpError } from './http.ts';
import type { PreviewSession, PreviewSettings } from './preview-session.ts';
import { isNumericType, type ResultColumn } from './result-table.ts';
import { parseNewKpi, saveKpiFile } from './save-kpi.ts';
import { runScratchQuery } from './scratch-query.ts';

export interface QueryAnswer {
  readonly columns: readonly (ResultColumn & { readonly numeric: boolean })[];
  readonly rows: readonly Record<string, Json>[];
  readonly rowCount: number;
  readonly ms: number;
  readonly chart?: { readonly svg: string; readonly alt: string };
}

/** What `$start`, `$end` and `$grain` mean in the scratchpad: 12 periods up to the preview's. */
export function scratchSpan(session: PreviewSession): { span: PeriodSpan; note: string } | undefined {
  const { period, grain, asOf } = session.previewPeriod();
  const last = period ? parsePeriod(period) : asOf ? lastCompleteMonth(asOf) : undefined;
  if (!last) return undefined;
  const g = grain ?? (last.grain === 'range' ? 'month' : last.grain);
  const span = trailingSeries(last.start, g, 12);
  return { span, note: `$start, $end, $grain: the 12 ${g}s up to ${formatPeriod({ ...last, grain: g })}` };
}

export async function answerQuery(session: PreviewSession, body: unknown): Promise<QueryAnswer> {
  const { sql } = fields(body, { sql: 'string' });
  const scope = scratchSpan(session);
  const params: Record<string, string> = scope
    ? { start: scope.span.start, end: scope.span.end, grain: scope.span.grain }
    : {};
  const result = await session.withDataset((dataset) => runScratchQuery(dataset, String(sql), params));
  return withChart(result.columns, result.rows, result.rowCount, result.ms);
}

export async function answerKpi(session: PreviewSession, body: unknown): Promise<QueryAnswer> {
  const { id, by, params } = fields(body, { id: 'string', by: 'string?', params: 'record?' });
  const scope = scratchSpan(session);
  if (!scope) throw new PulseError('usage', 'the data holds no dated records to pick a period from');
  return session.withDataset(async (dataset, catalog) => {
    const kpi = (await catalog()).get(String(id));
    const started = performance.now();
    const result = await runKpi(dataset, kpi, {
      span: scope.span,
      ...(by ? { by: String(by) } : {}),
      params: (params ?? {}) as Record<string, string>,
    });
    const ms = performance.now() - started;
    if (!result.available)
      throw new PulseError('kpi_unavailable', `${kpi.id} needs ${result.missing.join(', ')}`);
    const names = [...new Set(result.rows.flatMap((row) => Object.keys(row)))];
    const columns = names.map((name) => ({
      name,
      type: result.rows.some((row) => typeof row[name] === 'number') ? 'DOUBLE' : 'VARCHAR',
    }));
    return withChart(columns, result.rows.slice(0, 200), result.rows.length, ms);
  });
}

export async function answerSaveKpi(
  session: PreviewSession,
  queriesDir: string,
  today: string,
  body: unknown,
): Promise<{ file: string }> {
  const parsed = parseNewKpi(body);
  if (!parsed.ok) throw new HttpError(400, parsed.errors.join('\n'));
  const scope = scratchSpan(session);
  const saved = await session.withDataset(async (dataset: Dataset, catalog: () => Promise<Catalog>) =>
    saveKpiFile(queriesDir, parsed.value, {
      catalog: await catalog().catch(() => undefined),
      today,
      trial: async (definition) => {
        if (scope) await runKpi(dataset, definition, { span: scope.span });
      },
    }),
  );
  if (!saved.ok) throw new HttpError(400, saved.errors.join('\n'));
  return { file: saved.value.file };
}

export async function answerSettings(session: PreviewSession, body: unknown): Promise<void> {
  const { report, period, params } = fields(body, {
    report: 'string?',
    period: 'string?',
    params: 'record?',
  });
  const settings: PreviewSettings = {
    ...(report !== undefined ? { report: String(report) } : {}),
    ...(period !== undefined ? { period: String(period) } : {}),
    ...(params !== undefined ? { params: params as Record<string, string> } : {}),
  };
  if (settings.params) {
    for (const name of Object.keys(settings.params)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name))
        throw new HttpError(400, `parameter name "${name}" must be letters, digits or _`);
    }
  }
  await session.applySettings(settings);
}

async function withChart(
  columns: readonly ResultColumn[],
  rows: readonly Record<string, Json>[],
  rowCount: number,
  ms: number,
): Promise<QueryAnswer> {
  const chart = buildAutoChart(columns, rows);
  return {
    columns: columns.map((c) => ({ ...c, numeric: isNumericType(c.type) })),
    rows,
    rowCount,
    ms,
    ...(chart ? { chart: { svg: await renderSvg(chart), alt: chart.alt } } : {}),
  };
}

type FieldType = 'string' | 'string?' | 'record?';

/** The body's fields, each checked for its type; a record holds only strings. */
function fields<K extends string>(body: unknown, spec: Record<K, FieldType>): Record<K, unknown> {
  const object = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const out = {} as Record<K, unknown>;
  for (const [name, type] of Object.entries(spec) as [K, FieldType][]) {
    const value = object[name];
    if (value === undefined) {
      if (type === 'string') throw new HttpError(400, `${name} is missing`);
      continue;
    }
    const ok =
      type === 'record?'
        ? typeof value === 'object' &&
          value !== null &&
          Object.values(value).every((v) => typeof v === 'string')
        : typeof value === 'string';
    if (!ok)
      throw new HttpError(400, `${name} must be ${type === 'record?' ? 'an object of strings' : 'a string'}`);
    out[name] = value;
  }
  return out;
}
