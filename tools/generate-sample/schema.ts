// The tables of the data contract (shared/design/data-contract.md) as the generator writes
// them: column names and types, and the row order that makes the files reproducible.

export type ColumnType = 'id' | 'text' | 'ts' | 'date' | 'money' | 'int' | 'bool' | 'double';

export interface TableSpec {
  readonly name: string;
  readonly columns: readonly (readonly [name: string, type: ColumnType])[];
  /** A total order of the rows (ties are identical rows), so every run writes the same bytes. */
  readonly orderBy: readonly string[];
}

/** Parquet column types: timestamps are naive and mean UTC. */
export const SQL_TYPES: Readonly<Record<ColumnType, string>> = {
  id: 'VARCHAR',
  text: 'VARCHAR',
  ts: 'TIMESTAMP',
  date: 'DATE',
  money: 'DECIMAL(18,2)',
  int: 'INTEGER',
  bool: 'BOOLEAN',
  double: 'DOUBLE',
};

export const TABLES = [
  {
    name: 'customers',
    columns: [
      ['customer_id', 'id'],
      ['name', 'text'],
      ['email', 'text'],
      ['phone', 'text'],
      ['segment', 'text'],
      ['region', 'text'],
      ['industry', 'text'],
      ['acquisition_channel', 'text'],
      ['owner_id', 'id'],
      ['acquired_at', 'date'],
      ['churned_at', 'date'],
    ],
    orderBy: ['customer_id'],
  },
  {
    name: 'leads',
    columns: [
      ['lead_id', 'id'],
      ['created_at', 'ts'],
      ['source', 'text'],
      ['campaign_id', 'id'],
      ['product', 'text'],
      ['owner_id', 'id'],
      ['status', 'text'],
      ['qualified_at', 'ts'],
      ['disqualified_at', 'ts'],
      ['converted_at', 'ts'],
      ['customer_id', 'id'],
      ['referred_by', 'id'],
    ],
    orderBy: ['lead_id'],
  },
  {
    name: 'opportunities',
    columns: [
      ['opportunity_id', 'id'],
      ['customer_id', 'id'],
      ['lead_id', 'id'],
      ['owner_id', 'id'],
      ['product', 'text'],
      ['kind', 'text'],
      ['channel', 'text'],
      ['amount', 'money'],
      ['cost', 'money'],
      ['created_at', 'ts'],
      ['closed_at', 'ts'],
      ['status', 'text'],
      ['stage', 'text'],
      ['loss_reason', 'text'],
      ['competitor', 'text'],
    ],
    orderBy: ['opportunity_id'],
  },
  {
    name: 'opportunity_stages',
    columns: [
      ['opportunity_id', 'id'],
      ['stage', 'text'],
      ['entered_at', 'ts'],
      ['exited_at', 'ts'],
    ],
    orderBy: ['opportunity_id', 'entered_at', 'stage'],
  },
  {
    name: 'orders',
    columns: [
      ['order_id', 'id'],
      ['customer_id', 'id'],
      ['ordered_at', 'ts'],
      ['product', 'text'],
      ['amount', 'money'],
      ['cost', 'money'],
      ['opportunity_id', 'id'],
    ],
    orderBy: ['order_id'],
  },
  {
    name: 'subscriptions',
    columns: [
      ['subscription_id', 'id'],
      ['customer_id', 'id'],
      ['product', 'text'],
      ['product_type', 'text'],
      ['mrr', 'money'],
      ['started_at', 'date'],
      ['ends_at', 'date'],
      ['cancelled_at', 'date'],
      ['renewed', 'bool'],
    ],
    orderBy: ['subscription_id'],
  },
  {
    name: 'campaigns',
    columns: [
      ['campaign_id', 'id'],
      ['name', 'text'],
      ['channel', 'text'],
      ['started_at', 'date'],
      ['ended_at', 'date'],
    ],
    orderBy: ['campaign_id'],
  },
  {
    name: 'campaign_touches',
    columns: [
      ['campaign_id', 'id'],
      ['lead_id', 'id'],
      ['customer_id', 'id'],
      ['touched_at', 'ts'],
      ['response', 'text'],
    ],
    orderBy: ['touched_at', 'campaign_id', 'lead_id', 'customer_id', 'response'],
  },
  {
    name: 'expenses',
    columns: [
      ['spent_on', 'date'],
      ['category', 'text'],
      ['campaign_id', 'id'],
      ['amount', 'money'],
    ],
    orderBy: ['spent_on', 'category', 'campaign_id', 'amount'],
  },
  {
    name: 'activities',
    columns: [
      ['activity_id', 'id'],
      ['user_id', 'id'],
      ['kind', 'text'],
      ['occurred_at', 'ts'],
      ['opportunity_id', 'id'],
      ['customer_id', 'id'],
      ['lead_id', 'id'],
    ],
    orderBy: ['activity_id'],
  },
  {
    name: 'tickets',
    columns: [
      ['ticket_id', 'id'],
      ['customer_id', 'id'],
      ['created_at', 'ts'],
      ['channel', 'text'],
      ['category', 'text'],
      ['priority', 'text'],
      ['assignee_id', 'id'],
      ['first_response_at', 'ts'],
      ['resolved_at', 'ts'],
      ['contacts', 'int'],
      ['reopened', 'bool'],
    ],
    orderBy: ['ticket_id'],
  },
  {
    name: 'surveys',
    columns: [
      ['response_id', 'id'],
      ['customer_id', 'id'],
      ['ticket_id', 'id'],
      ['kind', 'text'],
      ['score', 'int'],
      ['responded_at', 'ts'],
    ],
    orderBy: ['response_id'],
  },
  {
    name: 'users',
    columns: [
      ['user_id', 'id'],
      ['name', 'text'],
      ['team', 'text'],
      ['active_from', 'date'],
      ['active_to', 'date'],
    ],
    orderBy: ['user_id'],
  },
  {
    name: 'logins',
    columns: [
      ['user_id', 'id'],
      ['logged_in_at', 'ts'],
    ],
    orderBy: ['logged_in_at', 'user_id'],
  },
  {
    name: 'targets',
    columns: [
      ['kpi', 'text'],
      ['period_start', 'date'],
      ['grain', 'text'],
      ['target', 'double'],
      ['segment', 'text'],
    ],
    orderBy: ['kpi', 'period_start', 'grain', 'segment'],
  },
] as const satisfies readonly TableSpec[];

export type TableName = (typeof TABLES)[number]['name'];

export function tableSpec(name: TableName): TableSpec {
  const spec = TABLES.find((t) => t.name === name);
  if (!spec) throw new Error(`unknown table: ${name}`);
  return spec;
}
