// A dataset scope: the data of one part of the business (a region, a segment, an industry, an
// acquisition channel, an account owner) under the contract's table names, so every KPI file
// runs unchanged on it. `customers` keeps the customers with the scope's values; every table
// whose rows belong to a customer keeps the rows of those customers. Tables whose rows belong to
// no customer stay whole: reports mark KPIs from them company-wide, never as the scope's own.
//
// A scope is a report filter, not access control: the whole data stays readable as
// unscoped_<table>.

import { PulseError } from '../errors.ts';
import type { TableName } from './contract.ts';
import type { Database } from './database.ts';
import { suggest } from './did-you-mean.ts';
import { quoteIdent, quoteLiteral } from './sql-text.ts';

/** The customers columns a scope filters on: the param names `--param` and schedules accept. */
export const SCOPE_DIMENSIONS = ['region', 'segment', 'industry', 'acquisition_channel', 'owner_id'] as const;
export type ScopeDimension = (typeof SCOPE_DIMENSIONS)[number];

/** How a dimension reads in a sentence: "region EMEA", "account owner U012". */
const DIMENSION_WORDS: Record<ScopeDimension, string> = {
  region: 'region',
  segment: 'segment',
  industry: 'industry',
  acquisition_channel: 'acquisition channel',
  owner_id: 'account owner',
};

/**
 * What a scope does to each contract table. Decided per table from what its rows belong to:
 * - `customers`: filtered on the scope's columns.
 * - `linked`: rows of in-scope customers (through their customer, deal or ticket).
 * - `company-wide`: rows belong to no customer, or mostly not (leads before they convert,
 *   campaign reach, spending, CRM use); kept whole, and a KPI from them is labelled so.
 * - `lookup`: names and attributes other tables join to (campaigns, users); kept whole, they
 *   count nothing by themselves.
 * - `goals`: targets are set for the whole business or a segment; the report picks them.
 */
export type TableRole =
  | { readonly kind: 'customers' }
  | { readonly kind: 'linked'; readonly noun: string }
  | { readonly kind: 'company-wide'; readonly why: string }
  | { readonly kind: 'lookup' }
  | { readonly kind: 'goals' };

export const TABLE_ROLES: Readonly<Record<TableName, TableRole>> = {
  customers: { kind: 'customers' },
  opportunities: { kind: 'linked', noun: 'deals' },
  opportunity_stages: { kind: 'linked', noun: 'deal stages' },
  orders: { kind: 'linked', noun: 'orders' },
  subscriptions: { kind: 'linked', noun: 'subscriptions' },
  tickets: { kind: 'linked', noun: 'tickets' },
  surveys: { kind: 'linked', noun: 'surveys' },
  leads: { kind: 'company-wide', why: 'a lead belongs to no customer until it converts' },
  campaign_touches: { kind: 'company-wide', why: 'campaigns reach leads more than customers' },
  activities: {
    kind: 'company-wide',
    why: 'CRM activity is counted per user, and most of it is about leads',
  },
  expenses: { kind: 'company-wide', why: 'spending is not recorded per customer' },
  logins: { kind: 'company-wide', why: 'logins belong to users, not customers' },
  campaigns: { kind: 'lookup' },
  users: { kind: 'lookup' },
  targets: { kind: 'goals' },
};

/** The scoped tables, each after the ones its condition reads. */
const SCOPED_ORDER = [
  'customers',
  'opportunities',
  'opportunity_stages',
  'orders',
  'subscriptions',
  'tickets',
  'surveys',
] as const satisfies readonly TableName[];
type ScopedTable = (typeof SCOPED_ORDER)[number];

/** The whole table, renamed when a scope takes its contract name. */
export function unscopedName(table: TableName): string {
  return `unscoped_${table}`;
}

/**
 * Without a scope the contract's tables are the whole ones: `unscoped_<table>` names them too, so
 * SQL that must read the whole business (was a column exported at all?) reads one name, scoped
 * or not.
 */
export async function nameWholeTables(db: Database): Promise<void> {
  for (const table of SCOPED_ORDER)
    await db.run(`CREATE VIEW ${quoteIdent(unscopedName(table))} AS SELECT * FROM ${quoteIdent(table)}`);
}

export interface UnattributedRows {
  readonly table: TableName;
  /** Rows that belong to no known customer: in no scope's numbers. */
  readonly rows: number;
  readonly total: number;
}

/** What a scoped dataset holds, for the report to say. */
export interface DatasetScope {
  readonly params: Readonly<Record<string, string>>;
  /** "region EMEA", "region EMEA, segment Enterprise". */
  readonly label: string;
  /** "region", "region and segment": what a company-wide table cannot be split by. */
  readonly dimensions: string;
  readonly customers: number;
  readonly totalCustomers: number;
  /** Customers with no value in a scope column: in no scope of that column. */
  readonly customersWithoutValue: number;
  /** Linked tables with rows that belong to no known customer (only those with some). */
  readonly unattributed: readonly UnattributedRows[];
}

export function isScopeDimension(name: string): name is ScopeDimension {
  return (SCOPE_DIMENSIONS as readonly string[]).includes(name);
}

/** The scope part of report params: {region: 'EMEA'} of {region: 'EMEA', sla_hours: '8'}. */
export function scopeParams(params: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(params)
      .filter(isScopeDimension)
      .sort((a, b) => SCOPE_DIMENSIONS.indexOf(a) - SCOPE_DIMENSIONS.indexOf(b))
      .map((name) => [name, params[name] ?? '']),
  );
}

/** "region EMEA, segment Enterprise". */
export function scopeLabel(params: Readonly<Record<string, string>>): string {
  return Object.entries(scopeParams(params))
    .map(([name, value]) => `${DIMENSION_WORDS[name as ScopeDimension]} ${value}`)
    .join(', ');
}

/** "region", "region and segment". */
export function scopeDimensionWords(params: Readonly<Record<string, string>>): string {
  const words = Object.keys(scopeParams(params)).map((name) => DIMENSION_WORDS[name as ScopeDimension]);
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/**
 * Replaces customers and the linked tables by their in-scope rows, under the contract names
 * (the whole tables stay as unscoped_<table>). Runs before the connection is locked. Refuses a
 * scope that matches no customer, naming the values the data has.
 */
export async function applyScope(
  db: Database,
  params: Readonly<Record<string, string>>,
  dataDir: string,
): Promise<DatasetScope> {
  const scope = checkScopeParams(params);
  const match = Object.entries(scope)
    .map(([name, value]) => `${quoteIdent(name)} = ${quoteLiteral(value)}`)
    .join(' AND ');
  const inScope = (table: ScopedTable) => quoteIdent(table);
  for (const table of SCOPED_ORDER) {
    const kind = await relationKind(db, table);
    const whole = quoteIdent(unscopedName(table));
    await db.run(`ALTER ${kind === 'table' ? 'TABLE' : 'VIEW'} ${quoteIdent(table)} RENAME TO ${whole}`);
    const condition = table === 'customers' ? match : linkCondition(table, inScope);
    const select = `SELECT * FROM ${whole} WHERE ${condition}`;
    // Materialised when the whole table is (CSV, already in memory); a view over Parquet, so
    // period filters still prune row groups.
    await db.run(
      kind === 'table'
        ? `CREATE TEMP TABLE ${quoteIdent(table)} AS ${select}`
        : `CREATE VIEW ${quoteIdent(table)} AS ${select}`,
    );
  }
  const nulls = Object.keys(scope)
    .map((name) => `${quoteIdent(name)} IS NULL`)
    .join(' OR ');
  const [counts] = await db.rows(
    `SELECT count(*) AS total, count(*) FILTER (${match}) AS matched, count(*) FILTER (${nulls}) AS without
     FROM ${quoteIdent(unscopedName('customers'))}`,
  );
  const totalCustomers = Number(counts?.total ?? 0);
  const customers = Number(counts?.matched ?? 0);
  if (customers === 0) throw await noMatchError(db, scope, dataDir, totalCustomers);
  return {
    params: scope,
    label: scopeLabel(scope),
    dimensions: scopeDimensionWords(scope),
    customers,
    totalCustomers,
    customersWithoutValue: Number(counts?.without ?? 0),
    unattributed: await countUnattributed(db),
  };
}

function checkScopeParams(params: Readonly<Record<string, string>>): Record<string, string> {
  const names = Object.keys(params);
  const unknown = names.filter((name) => !isScopeDimension(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new PulseError(
      'param',
      `scope ${unknown.map((n) => `"${n}"`).join(', ') || '(empty)'}: a scope filters customers on ${SCOPE_DIMENSIONS.join(', ')}; use one of those names`,
    );
  }
  for (const [name, value] of Object.entries(params)) {
    if (value.trim() === '' || value.includes('\0')) {
      throw new PulseError(
        'param',
        `--param ${name}=${JSON.stringify(value)}: a scope needs a value as written in customers.${name}, e.g. --param ${name}=EMEA`,
      );
    }
  }
  return scopeParams(params);
}

/**
 * The tables whose rows decide which rows of a linked table a scope keeps (linkCondition reads
 * them): a KPI reading one in a scope depends on theirs too, their rejected rows included.
 */
const CHOSEN_BY: Readonly<Record<Exclude<ScopedTable, 'customers'>, readonly ScopedTable[]>> = {
  opportunities: ['customers'],
  orders: ['customers'],
  subscriptions: ['customers'],
  tickets: ['customers'],
  opportunity_stages: ['opportunities', 'customers'],
  surveys: ['customers', 'tickets'],
};

/** `tables` and, in a scope, the tables that choose their rows. */
export function readInScope(tables: Iterable<string>): Set<string> {
  const read = new Set(tables);
  for (const table of [...read])
    for (const chooser of CHOSEN_BY[table as keyof typeof CHOSEN_BY] ?? []) read.add(chooser);
  return read;
}

/**
 * When a row of a linked table belongs to a customer of the relations `rel` names: its own
 * customer_id, its deal's (stages) or, for a survey without a customer, its ticket's.
 */
function linkCondition(
  table: Exclude<ScopedTable, 'customers'>,
  rel: (table: ScopedTable) => string,
): string {
  const customerIn = `customer_id IN (SELECT customer_id FROM ${rel('customers')})`;
  switch (table) {
    case 'opportunities':
    case 'orders':
    case 'subscriptions':
    case 'tickets':
      return customerIn;
    case 'opportunity_stages':
      return `opportunity_id IN (SELECT opportunity_id FROM ${rel('opportunities')})`;
    case 'surveys':
      return `CASE WHEN customer_id IS NOT NULL THEN ${customerIn} ELSE ticket_id IN (SELECT ticket_id FROM ${rel('tickets')}) END`;
  }
}

/** Per linked table, the rows that belong to no customer at all (prospects' deals, say). */
async function countUnattributed(db: Database): Promise<UnattributedRows[]> {
  // The same conditions over the whole tables: a row is attributable when any customer claims it.
  const attributable = (table: ScopedTable): string =>
    table === 'customers'
      ? quoteIdent(unscopedName('customers'))
      : `(SELECT * FROM ${quoteIdent(unscopedName(table))} WHERE ${linkCondition(table, attributable)})`;
  const found: UnattributedRows[] = [];
  for (const table of SCOPED_ORDER) {
    if (table === 'customers') continue;
    const [row] = await db.rows(
      `SELECT count(*) AS total, count(*) FILTER (NOT coalesce(${linkCondition(table, attributable)}, false)) AS rows
       FROM ${quoteIdent(unscopedName(table))}`,
    );
    const rows = Number(row?.rows ?? 0);
    if (rows > 0) found.push({ table, rows, total: Number(row?.total ?? 0) });
  }
  return found;
}

async function relationKind(db: Database, name: string): Promise<'table' | 'view'> {
  const [row] = await db.rows(
    `SELECT 'table' AS kind FROM duckdb_tables() WHERE table_name = $name AND NOT internal
     UNION ALL SELECT 'view' FROM duckdb_views() WHERE view_name = $name AND NOT internal`,
    { name },
  );
  return row?.kind === 'table' ? 'table' : 'view';
}

/** "no customer has region "EMEAA"; did you mean "EMEA"? The data's regions: ...". */
async function noMatchError(
  db: Database,
  scope: Readonly<Record<string, string>>,
  dataDir: string,
  totalCustomers: number,
): Promise<PulseError> {
  const given = Object.entries(scope)
    .map(([n, v]) => `${n}=${v}`)
    .join(' ');
  if (totalCustomers === 0) {
    return new PulseError(
      'param',
      `scope ${given}: ${dataDir} has no customers, and a scope keeps the rows of the customers it matches; add customers (see docs/data-contract.md) or drop the --param`,
    );
  }
  const hints: string[] = [];
  for (const [name, value] of Object.entries(scope)) {
    const rows = await db.rows(
      `SELECT DISTINCT ${quoteIdent(name)}::VARCHAR AS value FROM ${quoteIdent(unscopedName('customers'))}
       WHERE ${quoteIdent(name)} IS NOT NULL ORDER BY 1 LIMIT 41`,
    );
    const values = rows.map((r) => String(r.value));
    if (values.length === 0) {
      hints.push(`no customer has a ${name} (customers.${name} is empty or missing)`);
    } else if (!values.includes(value)) {
      const shown = values.length > 40 ? `${values.slice(0, 40).join(', ')}, ...` : values.join(', ');
      hints.push(
        `no customer has ${name} ${JSON.stringify(value)}${suggest(value, values)} (values: ${shown})`,
      );
    }
  }
  if (hints.length === 0) hints.push('each value is in the data, but no customer has them all');
  return new PulseError(
    'param',
    `scope ${given} matches no customer in ${dataDir}: ${hints.join('; ')}. Use a value as written in customers (case matters), or drop the --param; a report for no customer would be empty.`,
  );
}
