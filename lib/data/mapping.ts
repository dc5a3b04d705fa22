// Mapping files: how a CRM export (Salesforce, HubSpot, Pipedrive, ...) becomes the contract's
// tables. Parsing is pure and reports every mistake at once, each with its key.

import { PulseError } from '../errors.ts';
import { CONTRACT, type TableName, tableSpec } from './contract.ts';
import type { CsvDialect, WhitespaceLayout } from './csv-scan.ts';
import { suggest } from './did-you-mean.ts';

export interface ValueMap {
  /** Export value → contract value, matched ignoring case and spaces; null maps to an empty value. */
  readonly pairs: readonly (readonly [string, string | null])[];
  /** `"*"`: what any other non-blank value becomes; absent = left as it is. */
  readonly otherwise?: string | null;
}

export interface TableMapping {
  readonly table: TableName;
  /** `tables.opportunities`, for messages. */
  readonly key: string;
  /** Patterns relative to the data folder. */
  readonly files: readonly string[];
  readonly csv: CsvDialect;
  /** SQL condition over the export's columns: rows where it is not true are left out. */
  readonly where?: string;
  /** Export column → contract column, in the order written: the first one present wins. */
  readonly rename: readonly { readonly source: string; readonly target: string }[];
  /** Contract column → SQL expression over the export's columns. */
  readonly derive: ReadonlyMap<string, string>;
  readonly values: ReadonlyMap<string, ValueMap>;
  /** Contract column → strptime formats, tried in order. */
  readonly dates: ReadonlyMap<string, readonly string[]>;
  readonly constants: ReadonlyMap<string, string>;
  readonly defaults: ReadonlyMap<string, string>;
  /** One contract row per group of the export's rows (an order of several lines). */
  readonly group?: GroupMapping;
}

export interface GroupMapping {
  /** Export columns whose values are the same on every row of one group (an order id). */
  readonly by: readonly string[];
  /** Contract column → SQL aggregate over the group's rows, e.g. `sum("Line Total"::DECIMAL(38,6))`. */
  readonly aggregate: ReadonlyMap<string, string>;
}

/** A table built from another once that is loaded, with no file of its own. */
export interface DerivedTable {
  readonly table: 'customers';
  readonly key: string;
  readonly from: 'orders';
  /**
   * `"first_orders_in_export": true`: the mapping declares every customer's first order is in
   * the export (a young shop's whole history, a first-purchase cohort such as CDNOW's), so an
   * acquisition is never one taken late.
   */
  readonly firstOrdersInExport: boolean;
}

export interface Mapping {
  /** The file it was read from, for messages. */
  readonly file: string;
  /** The mapping's own label ("HubSpot deals and contacts exports"), when it has one. */
  readonly name?: string;
  readonly tables: ReadonlyMap<TableName, TableMapping>;
  /** `"customers": {"from": "orders"}`: customers are the buyers in orders. */
  readonly derived: ReadonlyMap<TableName, DerivedTable>;
}

export interface MappingIssue {
  readonly key: string;
  readonly message: string;
}

const TOP_KEYS = ['$schema', 'name', 'description', 'tables'];
const TABLE_KEYS = [
  'description',
  'files',
  'csv',
  'where',
  'rename',
  'derive',
  'values',
  'dates',
  'constants',
  'defaults',
  'group',
];
// Said of customers derived from orders only: a customers file gives acquired_at itself.
const FIRST_ORDERS_KEY = 'first_orders_in_export';
const ENCODINGS: Readonly<Record<string, 'utf-8' | 'latin-1'>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'latin-1': 'latin-1',
  latin1: 'latin-1',
  'iso-8859-1': 'latin-1',
  'windows-1252': 'latin-1',
  cp1252: 'latin-1',
};
// DuckDB's strptime specifiers.
const DATE_SPECIFIERS = new Set('aAwdbBmyYHIpMSfzZjUWcxXgGVu%'.split(''));

/** Parses a mapping's JSON text; throws one error listing every problem, each with its key. */
export function parseMapping(text: string, file: string): Mapping {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PulseError('usage', `${file}: not valid JSON: ${jsonErrorWhere(text, error as Error)}`);
  }
  const issues: MappingIssue[] = [];
  const tables = new Map<TableName, TableMapping>();
  const derived = new Map<TableName, DerivedTable>();
  if (!isObject(json)) {
    issues.push({ key: '(top)', message: 'a mapping is a JSON object with a "tables" key' });
  } else {
    checkKeys(json, TOP_KEYS, '', issues);
    const given = json.tables;
    if (!isObject(given) || Object.keys(given).length === 0) {
      issues.push({
        key: 'tables',
        message: 'give at least one contract table, e.g. "tables": {"opportunities": {"files": "deals.csv"}}',
      });
    } else {
      for (const [name, value] of Object.entries(given)) {
        const key = `tables${keyPart(name)}`;
        if (!tableSpec(name)) {
          issues.push({
            key,
            message: `"${name}" is not a contract table${suggest(
              name,
              CONTRACT.map((t) => t.name),
            )}`,
          });
          continue;
        }
        if (isObject(value) && 'from' in value) {
          const found = parseDerived(name as TableName, value, key, issues);
          if (found) derived.set(found.table, found);
          continue;
        }
        const table = parseTable(name as TableName, value, key, issues);
        if (table) tables.set(table.table, table);
      }
    }
  }
  if (tables.size === 0 && issues.length === 0) {
    issues.push({
      key: 'tables',
      message: `${[...derived.values()].map((d) => `${d.key} is derived from ${d.from}`).join('; ')}, which needs its files: add e.g. "orders": {"files": "orders.csv"}`,
    });
  }
  if (issues.length > 0) throw new PulseError('usage', formatMappingIssues(file, issues));
  const name = isObject(json) && typeof json.name === 'string' ? json.name : undefined;
  return { file, ...(name ? { name } : {}), tables, derived };
}

// Customers from orders is the one derived table: an export of orders only (a shop's, CDNOW's)
// still has buyers, each acquired on the day of their first order.
function parseDerived(
  table: TableName,
  value: Record<string, unknown>,
  key: string,
  issues: MappingIssue[],
): DerivedTable | undefined {
  checkKeys(value, ['description', 'from', FIRST_ORDERS_KEY], key, issues);
  if (table !== 'customers') {
    issues.push({
      key: `${key}.from`,
      message: `only customers can be derived (from orders); give ${table} its "files" instead`,
    });
    return undefined;
  }
  if (value.from !== 'orders') {
    issues.push({
      key: `${key}.from`,
      message: `must be "orders": customers are then the buyers in orders, each acquired on the day of their first order (got ${JSON.stringify(value.from)})`,
    });
    return undefined;
  }
  const firstOrders = value[FIRST_ORDERS_KEY] === undefined ? false : value[FIRST_ORDERS_KEY];
  if (typeof firstOrders !== 'boolean') {
    issues.push({
      key: `${key}.${FIRST_ORDERS_KEY}`,
      message: `must be true or false (got ${JSON.stringify(firstOrders)}): true when the orders hold every customer's first order (a young shop's whole history, a first-purchase cohort), false (the default) when some customers may have bought before them`,
    });
    return undefined;
  }
  return { table, key, from: 'orders', firstOrdersInExport: firstOrders };
}

export function formatMappingIssues(file: string, issues: readonly MappingIssue[]): string {
  const lines = issues.map((i) => `  ${file}: ${i.key}: ${i.message}`);
  return `the mapping ${file} has ${issues.length === 1 ? 'a problem' : `${issues.length} problems`}:\n${lines.join('\n')}`;
}

function parseTable(
  table: TableName,
  value: unknown,
  key: string,
  issues: MappingIssue[],
): TableMapping | undefined {
  if (!isObject(value)) {
    issues.push({ key, message: 'must be an object such as {"files": "export.csv", "rename": {...}}' });
    return undefined;
  }
  const { [FIRST_ORDERS_KEY]: firstOrders, ...keys } = value;
  if (firstOrders !== undefined)
    issues.push({
      key: `${key}.${FIRST_ORDERS_KEY}`,
      message:
        table === 'customers'
          ? `goes with "from": "orders" (customers derived from their first order): write {"from": "orders", "${FIRST_ORDERS_KEY}": true}, or remove it when customers come from a file, whose acquired_at is then read as it is`
          : `belongs to customers derived from orders ("customers": {"from": "orders", "${FIRST_ORDERS_KEY}": true}); remove it from ${table}`,
    });
  checkKeys(keys, TABLE_KEYS, key, issues);
  const spec = tableSpec(table);
  const columns = spec?.columns.map((c) => c.name) ?? [];
  const column = (name: string, at: string): boolean => {
    if (columns.includes(name)) return true;
    issues.push({
      key: at,
      message: `"${name}" is not a column of ${table}${suggest(name, columns)} (columns: ${columns.join(', ')})`,
    });
    return false;
  };
  const files = stringList(value.files, `${key}.files`, issues, 'a file name or pattern, e.g. "deals*.csv"');
  for (const pattern of files) {
    if (pattern.startsWith('/') || pattern.split('/').includes('..')) {
      issues.push({
        key: `${key}.files`,
        message: `"${pattern}" must be relative to the data folder, without ..`,
      });
    }
  }
  const rename: { source: string; target: string }[] = [];
  for (const [source, target] of entries(value.rename, `${key}.rename`, issues)) {
    const at = `${key}.rename${keyPart(source)}`;
    const targets = typeof target === 'string' ? [target] : target;
    if (!Array.isArray(targets) || targets.length === 0 || !targets.every((t) => typeof t === 'string')) {
      issues.push({ key: at, message: 'must be a contract column name, or a list of them' });
      continue;
    }
    for (const t of targets as string[]) if (column(t, at)) rename.push({ source, target: t });
  }
  const derive = new Map<string, string>();
  for (const [name, sql] of entries(value.derive, `${key}.derive`, issues)) {
    const at = `${key}.derive${keyPart(name)}`;
    if (!column(name, at)) continue;
    if (typeof sql !== 'string' || sql.trim() === '') {
      issues.push({
        key: at,
        message: 'must be a SQL expression over the export\'s columns, e.g. "\\"Amount\\" * 100"',
      });
    } else derive.set(name, sql);
  }
  const values = new Map<string, ValueMap>();
  for (const [name, map] of entries(value.values, `${key}.values`, issues)) {
    const at = `${key}.values${keyPart(name)}`;
    if (!column(name, at)) continue;
    const parsed = parseValueMap(map, at, issues);
    if (parsed) values.set(name, parsed);
  }
  const dates = new Map<string, string[]>();
  for (const [name, formats] of entries(value.dates, `${key}.dates`, issues)) {
    const at = `${key}.dates${keyPart(name)}`;
    if (!column(name, at)) continue;
    const type = spec?.columns.find((c) => c.name === name)?.type;
    if (type !== 'ts' && type !== 'date') {
      issues.push({ key: at, message: `${name} is ${type}, not a date or timestamp` });
      continue;
    }
    const list = stringList(formats, at, issues, 'a strptime format such as "%m/%d/%Y", or a list of them');
    if (list.every((f) => checkDateFormat(f, at, issues))) {
      const zoned = list.filter((f) => /%[zZ]/.test(f)).length;
      if (zoned > 0 && zoned < list.length) {
        issues.push({ key: at, message: 'use %z in every format or in none' });
      } else if (list.length > 0) dates.set(name, list);
    }
  }
  const constants = literals(value.constants, `${key}.constants`, issues, column);
  const defaults = literals(value.defaults, `${key}.defaults`, issues, column);
  const group = parseGroup(value.group, `${key}.group`, issues, column);
  checkOneSource(key, rename, derive, constants, group?.aggregate ?? new Map(), issues);
  const csv = parseCsv(value.csv, `${key}.csv`, issues);
  let where: string | undefined;
  if (value.where !== undefined) {
    if (typeof value.where !== 'string' || value.where.trim() === '') {
      issues.push({
        key: `${key}.where`,
        message: 'must be a SQL condition, e.g. "\\"Stage\\" <> \'Deleted\'"',
      });
    } else where = value.where;
  }
  return {
    table,
    key,
    files,
    csv,
    ...(where ? { where } : {}),
    rename,
    derive,
    values,
    dates,
    constants,
    defaults,
    ...(group ? { group } : {}),
  };
}

function parseGroup(
  value: unknown,
  at: string,
  issues: MappingIssue[],
  column: (name: string, at: string) => boolean,
): GroupMapping | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) {
    issues.push({
      key: at,
      message:
        'must be an object such as {"by": "Order ID", "aggregate": {"amount": "sum(\\"Line Total\\"::DECIMAL(38,6))"}}',
    });
    return undefined;
  }
  checkKeys(value, ['by', 'aggregate'], at, issues);
  const by = stringList(
    value.by,
    `${at}.by`,
    issues,
    'the export column whose value is the same on every row of a group (e.g. "Order ID"), or a list of them',
  );
  const aggregate = new Map<string, string>();
  for (const [name, sql] of entries(value.aggregate, `${at}.aggregate`, issues)) {
    const key = `${at}.aggregate${keyPart(name)}`;
    if (!column(name, key)) continue;
    if (typeof sql !== 'string' || sql.trim() === '') {
      issues.push({
        key,
        message:
          'must be a SQL aggregate over the group\'s rows, e.g. "sum(\\"Line Total\\"::DECIMAL(38,6))"',
      });
    } else if (by.some((b) => b.trim().toLowerCase() === name.toLowerCase())) {
      issues.push({
        key,
        message: `${name} is in group.by, so it is already one value per group; leave it out here`,
      });
    } else aggregate.set(name, sql);
  }
  return { by, aggregate };
}

function parseValueMap(map: unknown, at: string, issues: MappingIssue[]): ValueMap | undefined {
  if (!isObject(map)) {
    issues.push({
      key: at,
      message: 'must map export values to contract values, e.g. {"Closed Won": "won", "*": "open"}',
    });
    return undefined;
  }
  const pairs: [string, string | null][] = [];
  let otherwise: string | null | undefined;
  const seen = new Map<string, string>();
  for (const [from, to] of Object.entries(map)) {
    const same = seen.get(from.trim().toLowerCase());
    if (to !== null && typeof to !== 'string') {
      issues.push({ key: `${at}${keyPart(from)}`, message: 'must be a text value or null' });
    } else if (from === '*') otherwise = to;
    else if (same !== undefined) {
      issues.push({
        key: `${at}${keyPart(from)}`,
        message: `values match ignoring case and spaces, so this is the same as "${same}"; keep one`,
      });
    } else {
      seen.set(from.trim().toLowerCase(), from);
      pairs.push([from.trim(), to]);
    }
  }
  return { pairs, ...(otherwise !== undefined ? { otherwise } : {}) };
}

function parseCsv(value: unknown, at: string, issues: MappingIssue[]): CsvDialect {
  const dialect: {
    delimiter: string;
    encoding: 'utf-8' | 'latin-1';
    footer?: boolean;
    whitespace?: WhitespaceLayout;
  } = { delimiter: ',', encoding: 'utf-8' };
  if (value === undefined) return dialect;
  if (!isObject(value)) {
    issues.push({
      key: at,
      message: 'must be an object such as {"delimiter": ";", "encoding": "latin-1", "footer": true}',
    });
    return dialect;
  }
  checkKeys(value, ['delimiter', 'encoding', 'footer', 'header', 'columns'], at, issues);
  if (value.footer !== undefined) {
    if (typeof value.footer !== 'boolean')
      issues.push({ key: `${at}.footer`, message: 'must be true or false' });
    else dialect.footer = value.footer;
  }
  const whitespace = value.delimiter === 'whitespace';
  if (value.delimiter !== undefined && !whitespace) {
    const d = value.delimiter;
    if (typeof d !== 'string' || d.length !== 1 || d.charCodeAt(0) > 127 || '"\r\n'.includes(d)) {
      issues.push({
        key: `${at}.delimiter`,
        message:
          'must be one ASCII character such as "," ";" or "\\t", or "whitespace" for columns separated by runs of spaces',
      });
    } else dialect.delimiter = d;
  }
  if (value.encoding !== undefined) {
    const e = typeof value.encoding === 'string' ? ENCODINGS[value.encoding.toLowerCase()] : undefined;
    if (!e)
      issues.push({ key: `${at}.encoding`, message: 'must be "utf-8" or "latin-1" (also for Windows-1252)' });
    else dialect.encoding = e;
  }
  if (!whitespace) {
    // A CSV file names its columns in its first line; reading it without one is not supported.
    for (const name of ['header', 'columns'].filter((k) => value[k] !== undefined)) {
      issues.push({
        key: `${at}.${name}`,
        message:
          'is read only with "delimiter": "whitespace"; a CSV file names its columns in its first line',
      });
    }
    return dialect;
  }
  if (dialect.footer)
    issues.push({ key: `${at}.footer`, message: 'is not read with "delimiter": "whitespace"' });
  let header = true;
  if (value.header !== undefined) {
    if (typeof value.header !== 'boolean')
      issues.push({ key: `${at}.header`, message: 'must be true or false' });
    else header = value.header;
  }
  let columns: string[] | undefined;
  if (value.columns !== undefined || !header) {
    columns = stringList(
      value.columns,
      `${at}.columns`,
      issues,
      `the columns' names in order, e.g. ["customer_id", "date", "cds", "dollars"]${header ? '' : ' (the file has no header line)'}`,
    );
    const seen = new Set<string>();
    for (const name of columns) {
      if (seen.has(name.toLowerCase()) || name.startsWith('__')) {
        issues.push({
          key: `${at}.columns`,
          message: `"${name}" ${name.startsWith('__') ? 'may not start with __' : 'is given twice'}; give each column a name of its own`,
        });
      }
      seen.add(name.toLowerCase());
    }
  }
  dialect.whitespace = { header, ...(columns && columns.length > 0 ? { columns } : {}) };
  return dialect;
}

function checkOneSource(
  key: string,
  rename: readonly { source: string; target: string }[],
  derive: ReadonlyMap<string, string>,
  constants: ReadonlyMap<string, string>,
  aggregate: ReadonlyMap<string, string>,
  issues: MappingIssue[],
): void {
  const setBy = new Map<string, string[]>();
  const add = (column: string, how: string) => setBy.set(column, [...(setBy.get(column) ?? []), how]);
  for (const { source, target } of rename) add(target, `rename${keyPart(source)}`);
  for (const column of derive.keys()) add(column, `derive${keyPart(column)}`);
  for (const column of constants.keys()) add(column, `constants${keyPart(column)}`);
  for (const column of aggregate.keys()) add(column, `group.aggregate${keyPart(column)}`);
  for (const [column, ways] of setBy) {
    const kinds = new Set(ways.map((w) => w.split(/[."]/)[0]));
    if (kinds.size > 1) {
      issues.push({
        key: `${key}.${ways[ways.length - 1]}`,
        message: `${column} is set more than once (${ways.join(', ')}); keep one`,
      });
    }
  }
}

function checkDateFormat(format: string, at: string, issues: MappingIssue[]): boolean {
  const specifiers = [...format.matchAll(/%-?(.)/g)].map((m) => m[1] ?? '');
  const bad = specifiers.find((s) => !DATE_SPECIFIERS.has(s));
  if (specifiers.length === 0 || bad !== undefined) {
    issues.push({
      key: at,
      message: `"${format}" is not a strptime format${bad ? ` (unknown %${bad})` : ''}; e.g. "%m/%d/%Y" for 3/31/2026 or "%d.%m.%Y %H:%M" for 31.03.2026 14:05`,
    });
    return false;
  }
  return true;
}

function literals(
  value: unknown,
  at: string,
  issues: MappingIssue[],
  column: (name: string, at: string) => boolean,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, literal] of entries(value, at, issues)) {
    const key = `${at}${keyPart(name)}`;
    if (!column(name, key)) continue;
    if (typeof literal === 'string' || typeof literal === 'number' || typeof literal === 'boolean') {
      out.set(name, String(literal));
    } else issues.push({ key, message: 'must be a text, number or true/false' });
  }
  return out;
}

function entries(value: unknown, at: string, issues: MappingIssue[]): [string, unknown][] {
  if (value === undefined) return [];
  if (!isObject(value)) {
    issues.push({ key: at, message: 'must be an object keyed by column name' });
    return [];
  }
  return Object.entries(value);
}

function stringList(value: unknown, at: string, issues: MappingIssue[], what: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string' && v !== '')) {
    issues.push({ key: at, message: `${value === undefined ? 'is missing: give' : 'must be'} ${what}` });
    return [];
  }
  return list as string[];
}

function checkKeys(
  value: Record<string, unknown>,
  allowed: readonly string[],
  at: string,
  issues: MappingIssue[],
) {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      issues.push({
        key: `${at ? `${at}` : ''}${at ? keyPart(key) : key}`,
        message: `unknown key${suggest(key, allowed)} (keys: ${allowed.filter((k) => !k.startsWith('$')).join(', ')})`,
      });
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `.files`, or `."Close Date"` for names that are not plain identifiers. */
export function keyPart(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `.${name}` : `.${JSON.stringify(name)}`;
}

function jsonErrorWhere(text: string, error: Error): string {
  const position = /position (\d+)/.exec(error.message)?.[1];
  if (position === undefined) return error.message;
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return `${error.message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
}
