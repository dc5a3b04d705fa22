// "Save as KPI" in the scratchpad: a query becomes queries/<area>/<id>.sql with the header
// every KPI file has. Checked like any KPI file before it is written; never overwrites.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalog } from '../kpi/catalog.ts';
import {
  DIRECTIONS,
  type Direction,
  type KpiDefinition,
  parseKpiFile,
  UNITS,
  type Unit,
} from '../kpi/definition.ts';

export const KPI_ID = /^[a-z0-9_]{1,64}$/;
export const KPI_AREA = /^[a-z0-9_-]{1,64}$/;

export interface NewKpi {
  readonly area: string;
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly unit: Unit;
  readonly direction: Direction;
  readonly sql: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Normalises the scratchpad's form field by field; reports every mistake at once. */
export function parseNewKpi(input: unknown): Checked<NewKpi> {
  const fields = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const errors: string[] = [];
  const text = (name: string, max: number): string => {
    const value = fields[name];
    if (typeof value !== 'string') {
      errors.push(`${name} is missing`);
      return '';
    }
    const trimmed = value.trim();
    if (name !== 'sql' && /[\r\n]/.test(trimmed)) errors.push(`${name} must be one line`);
    if (trimmed.length > max) errors.push(`${name} is longer than ${max} characters`);
    return trimmed;
  };
  const area = text('area', 64);
  const id = text('id', 64);
  const title = text('title', 200);
  const description = typeof fields.description === 'string' ? text('description', 2000) : '';
  const unit = text('unit', 16);
  const direction = text('direction', 16);
  const sql = text('sql', 100_000);
  if (area && !KPI_AREA.test(area)) errors.push(`area "${area}" must match ${KPI_AREA.source}`);
  if (id && !KPI_ID.test(id)) errors.push(`id "${id}" must match ${KPI_ID.source}`);
  if (!title && typeof fields.title === 'string') errors.push('title is empty');
  if (unit && !(UNITS as readonly string[]).includes(unit))
    errors.push(`unit "${unit}" is not one of ${UNITS.join(', ')}`);
  if (direction && !(DIRECTIONS as readonly string[]).includes(direction))
    errors.push(`direction "${direction}" is not one of ${DIRECTIONS.join(', ')}`);
  if (!sql && typeof fields.sql === 'string') errors.push('the SQL is empty');
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { area, id, title, description, unit: unit as Unit, direction: direction as Direction, sql },
  };
}

/** The file's text: the header, a note on what to add, then the SQL as typed. */
export function buildKpiFile(kpi: NewKpi, today: string): string {
  return [
    `-- title: ${kpi.title}`,
    ...(kpi.description ? [`-- description: ${kpi.description}`] : []),
    `-- unit: ${kpi.unit}`,
    `-- direction: ${kpi.direction}`,
    `-- source: saved from the pulse dev scratchpad on ${today}`,
    '-- Add "-- needs: table.column, ..." for the columns it reads (it is then shown as missing,',
    '-- not failed, on data without them) and "-- by: name = expression [table.column]" breakdowns.',
    kpi.sql.trim().replace(/;\s*$/, ''),
    '',
  ].join('\n');
}

/**
 * Checks the file as the catalog will read it, that its id is new, and that it runs (`trial`),
 * then writes it. Returns the definition, or every reason it was refused.
 */
export async function saveKpiFile(
  queriesDir: string,
  kpi: NewKpi,
  options: {
    readonly catalog: Catalog | undefined;
    readonly today: string;
    readonly trial: (definition: KpiDefinition) => Promise<void>;
  },
): Promise<Checked<{ file: string; definition: KpiDefinition }>> {
  const file = `queries/${kpi.area}/${kpi.id}.sql`;
  const text = buildKpiFile(kpi, options.today);
  const parsed = parseKpiFile(file, text);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const taken = options.catalog?.kpis.find((k) => k.id === kpi.id);
  if (taken) return { ok: false, errors: [`KPI id ${kpi.id} is taken by ${taken.file}; ids must be unique`] };
  try {
    await options.trial(parsed.definition);
  } catch (error) {
    return { ok: false, errors: [`${file} does not run: ${(error as Error).message}`] };
  }
  await mkdir(join(queriesDir, kpi.area), { recursive: true });
  try {
    await writeFile(join(queriesDir, kpi.area, `${kpi.id}.sql`), text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return { ok: false, errors: [`${file} exists already; pick another id (nothing was overwritten)`] };
    throw error;
  }
  return { ok: true, value: { file, definition: parsed.definition } };
}
