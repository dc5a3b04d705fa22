// What a KPI file says about itself, parsed from its comment header. Pure: the catalog reads
// the files, this turns text into a definition or a list of every mistake in it.

import { columnSpec } from '../data/contract.ts';
import { usedParams } from '../data/database.ts';
import { oneOf } from '../errors.ts';
import { UNITS, type Unit } from '../format/units.ts';
import { EXACT_DIGITS, exactNumber, isDecimal } from './exact-number.ts';

// Units are defined with their formatting; KPI code may keep naming them from here.
export { UNITS, type Unit };
export const DIRECTIONS = ['up', 'down', 'none'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const PARAM_TYPES = ['number', 'text', 'date', 'bool'] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

/** Parameters the engine always provides: the period series. */
export const BUILT_IN_PARAMS = ['start', 'end', 'grain'] as const;

export interface KpiParam {
  readonly name: string;
  readonly type: ParamType;
  readonly default: string | number | boolean | null;
  readonly description: string;
}

export interface KpiBreakdown {
  readonly name: string;
  /** SQL expression written by the KPI's author; chosen by name, never typed by a user. */
  readonly expression: string;
  /** table.column this breakdown needs beyond the KPI's own needs. */
  readonly needs: readonly string[];
}

export interface KpiDefinition {
  readonly id: string;
  readonly area: string;
  readonly file: string;
  readonly title: string;
  readonly description: string;
  readonly unit: Unit;
  readonly direction: Direction;
  readonly needs: readonly string[];
  readonly breakdowns: readonly KpiBreakdown[];
  readonly params: readonly KpiParam[];
  readonly source: string;
  /**
   * What the value adds up, when it may be blank ("amount of open deals"): the SQL then returns
   * `value_known` and `value_of`, the rows whose input was known and all it is about. On a list
   * (unit table), the column blank on every row of its table makes the list unavailable.
   */
  readonly known?: string;
  /**
   * `-- window: 12 months`: the value is computed over this span ending at each period's end,
   * whatever the period's length; rows are labelled with the window (lib/kpi/window.ts).
   */
  readonly window?: KpiWindow;
  /** The SQL after the header. */
  readonly sql: string;
}

export interface KpiWindow {
  readonly months: number;
}

export type ParseOutcome = { ok: true; definition: KpiDefinition } | { ok: false; errors: string[] };

const KEYS = [
  'title',
  'description',
  'unit',
  'direction',
  'needs',
  'by',
  'param',
  'known',
  'source',
  'window',
] as const;
const REPEATABLE = new Set(['by', 'param', 'description', 'needs']);
const BY_PLACEHOLDER = '{by}';

/** `file` is the path relative to the project, e.g. `queries/sales/close_rate.sql`. */
export function parseKpiFile(file: string, text: string): ParseOutcome {
  const match = /(?:^|\/)([a-z0-9_-]+)\/([a-z0-9_]+)\.sql$/.exec(file);
  const errors: string[] = [];
  const fail = (message: string, line?: number) =>
    errors.push(`${file}${line ? `:${line}` : ''}: ${message}`);
  if (!match?.[1] || !match[2]) {
    fail('a KPI file must be queries/<area>/<id>.sql with a lower-case snake_case id');
    return { ok: false, errors };
  }
  const lines = text.split('\n');
  const fields = new Map<string, { value: string; line: number }[]>();
  let bodyStart = lines.length;
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const header = /^--\s*([a-z_]+)\s*:\s*(.*)$/.exec(line);
    if (!line.startsWith('--')) {
      bodyStart = index;
      break;
    }
    if (!header?.[1]) continue; // a plain comment
    const key = header[1];
    if (!(KEYS as readonly string[]).includes(key)) {
      fail(`unknown header key "${key}"; expected ${oneOf(KEYS)}`, index + 1);
      continue;
    }
    const list = fields.get(key) ?? [];
    if (list.length > 0 && !REPEATABLE.has(key)) fail(`"${key}" is given twice`, index + 1);
    fields.set(key, [...list, { value: (header[2] ?? '').trim(), line: index + 1 }]);
  }
  const one = (key: string) => fields.get(key)?.[0];
  const sql = lines.slice(bodyStart).join('\n').trim().replace(/;\s*$/, '');
  if (sql === '') fail('has no SQL after its header');

  const title = one('title')?.value ?? '';
  if (!title) fail('the header needs a "-- title: ..." line');
  const unit = one('unit');
  if (!unit) fail(`the header needs a "-- unit: ..." line (${oneOf(UNITS)})`);
  else if (!(UNITS as readonly string[]).includes(unit.value)) {
    fail(`unknown unit "${unit.value}"; expected ${oneOf(UNITS)}`, unit.line);
  }
  const direction = one('direction');
  if (!direction) fail(`the header needs a "-- direction: ..." line (${oneOf(DIRECTIONS)})`);
  else if (!(DIRECTIONS as readonly string[]).includes(direction.value)) {
    fail(`unknown direction "${direction.value}"; expected ${oneOf(DIRECTIONS)}`, direction.line);
  }

  const needs = (fields.get('needs') ?? []).flatMap(({ value, line }) => {
    const list = splitList(value);
    for (const need of list) checkNeed(need, line, fail);
    return list;
  });

  const breakdowns = (fields.get('by') ?? []).flatMap(({ value, line }) => {
    const parsed = /^([a-z][a-z0-9_]*)\s*=\s*(.+?)\s*(?:\[([^\]]*)\])?$/.exec(value);
    if (!parsed?.[1] || !parsed[2]) {
      fail(`"by: ${value}" should read "by: name = sql_expression [table.column, ...]"`, line);
      return [];
    }
    const byNeeds = splitList(parsed[3] ?? '');
    for (const need of byNeeds) checkNeed(need, line, fail);
    return [{ name: parsed[1], expression: parsed[2], needs: byNeeds }];
  });
  const usesBy = sql.includes(BY_PLACEHOLDER);
  if (usesBy && breakdowns.length === 0)
    fail(`the SQL uses ${BY_PLACEHOLDER} but the header declares no "-- by:"`);
  if (!usesBy && breakdowns.length > 0)
    fail(`the header declares breakdowns but the SQL never uses ${BY_PLACEHOLDER}`);

  const params = (fields.get('param') ?? []).flatMap(({ value, line }) => {
    const parsed = /^([a-z][a-z0-9_]*)\s+([a-z]+)\s*=\s*("[^"]*"|\S+)\s*(.*)$/.exec(value);
    if (!parsed?.[1] || !parsed[2] || parsed[3] === undefined) {
      fail(`"param: ${value}" should read "param: name type = default description"`, line);
      return [];
    }
    const type = parsed[2];
    if (!(PARAM_TYPES as readonly string[]).includes(type)) {
      fail(`param ${parsed[1]} has unknown type "${type}"; expected ${oneOf(PARAM_TYPES)}`, line);
      return [];
    }
    const coerced = coerceParam(parsed[3].replace(/^"|"$/g, ''), type as ParamType);
    if (!coerced.ok) {
      fail(`param ${parsed[1]} default ${parsed[3]}: ${coerced.error}`, line);
      return [];
    }
    return [
      { name: parsed[1], type: type as ParamType, default: coerced.value, description: parsed[4] ?? '' },
    ];
  });

  const used = usedParams(sql);
  const declared = new Set([...BUILT_IN_PARAMS, ...params.map((p) => p.name)]);
  for (const name of used) {
    if (!declared.has(name)) {
      fail(
        `$${name} is used but not declared (declared: ${[...declared].join(', ')}); add "-- param: ${name} number = 0 what it means"`,
      );
    }
  }
  for (const param of params) {
    if (!used.includes(param.name))
      fail(`param ${param.name} is declared but the SQL never uses $${param.name}`);
  }

  const known = one('known');
  if (known && unit?.value !== 'table' && !(/\bvalue_known\b/.test(sql) && /\bvalue_of\b/.test(sql)))
    fail(
      '"known:" needs the SQL to return value_known and value_of (rows whose input was known, of all)',
      known.line,
    );
  const windowField = one('window');
  const window = windowField ? parseWindow(windowField.value) : undefined;
  if (windowField && !window) {
    fail(
      `"window: ${windowField.value}" should read "window: 12 months" (a whole number of months)`,
      windowField.line,
    );
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    definition: {
      id: match[2],
      area: match[1],
      file,
      title,
      description: (fields.get('description') ?? []).map((d) => d.value).join(' '),
      unit: unit?.value as Unit,
      direction: direction?.value as Direction,
      needs,
      breakdowns,
      params,
      source: one('source')?.value ?? '',
      ...(known ? { known: known.value } : {}),
      ...(window ? { window } : {}),
      sql,
    },
  };
}

function parseWindow(value: string): KpiWindow | undefined {
  const match = /^([1-9]\d{0,2}) months?$/.exec(value);
  return match ? { months: Number(match[1]) } : undefined;
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function checkNeed(need: string, line: number | undefined, fail: (m: string, l?: number) => void): void {
  const [table, column] = need.split('.');
  if (!table || !column || !columnSpec(table, column)) {
    fail(`needs "${need}", which is not a table.column of the data contract`, line);
  }
}

export type Coerced = { ok: true; value: string | number | boolean | null } | { ok: false; error: string };

/** Turns a parameter's text (from a header or the command line) into its typed value. */
export function coerceParam(text: string, type: ParamType): Coerced {
  if (text === 'null') return { ok: true, value: null };
  switch (type) {
    case 'number': {
      const value = exactNumber(text.trim());
      if (value !== undefined) return { ok: true, value };
      // A number with more digits than a double keeps is refused, never rounded.
      return isDecimal(text.trim())
        ? {
            ok: false,
            error: `"${text}" has more digits than a number parameter keeps (${EXACT_DIGITS} significant digits); round it, or declare the parameter as text (an id, say)`,
          }
        : { ok: false, error: `expected a number, got "${text}"` };
    }
    case 'bool':
      if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
      return { ok: false, error: `expected true or false, got "${text}"` };
    case 'date':
      return isIsoDate(text)
        ? { ok: true, value: text }
        : { ok: false, error: `expected a date YYYY-MM-DD, got "${text}"` };
    case 'text':
      return { ok: true, value: text };
  }
}

export function isIsoDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}
