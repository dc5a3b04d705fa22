// The data contract (shared/design/data-contract.md) as data: the loader, the validator,
// the KPI availability check and the README all read it from here.

export type ColumnType = 'id' | 'text' | 'ts' | 'date' | 'money' | 'int' | 'bool' | 'double';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly required?: boolean;
  /** Allowed values; anything else is an error. */
  readonly values?: readonly string[];
  /** Foreign key: the table whose primary key this column refers to. */
  readonly references?: TableName;
  /** Records when something happened: used for "data as of" and future-date warnings. */
  readonly event?: boolean;
}

export interface TableSpec {
  readonly name: TableName;
  readonly description: string;
  readonly primaryKey: readonly string[];
  readonly columns: readonly ColumnSpec[];
}

export const TABLE_NAMES = [
  'customers',
  'leads',
  'opportunities',
  'opportunity_stages',
  'orders',
  'subscriptions',
  'campaigns',
  'campaign_touches',
  'expenses',
  'activities',
  'tickets',
  'surveys',
  'users',
  'logins',
  'targets',
] as const;
export type TableName = (typeof TABLE_NAMES)[number];

export const GRAINS = ['week', 'month', 'quarter', 'year'] as const;

const id = (name: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, type: 'id', ...extra });
const text = (name: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({
  name,
  type: 'text',
  ...extra,
});
const ts = (name: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({
  name,
  type: 'ts',
  event: true,
  ...extra,
});
const date = (name: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({
  name,
  type: 'date',
  ...extra,
});
const money = (name: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({
  name,
  type: 'money',
  ...extra,
});
const required = { required: true } as const;

export const CONTRACT: readonly TableSpec[] = [
  {
    name: 'customers',
    description: 'one row per customer account',
    primaryKey: ['customer_id'],
    columns: [
      id('customer_id', required),
      text('name'),
      text('email'),
      text('phone'),
      text('segment'),
      text('region'),
      text('industry'),
      text('acquisition_channel'),
      id('owner_id', { references: 'users' }),
      date('acquired_at', { ...required, event: true }),
      date('churned_at', { event: true }),
    ],
  },
  {
    name: 'leads',
    description: 'prospects before they buy',
    primaryKey: ['lead_id'],
    columns: [
      id('lead_id', required),
      ts('created_at', required),
      text('source'),
      id('campaign_id', { references: 'campaigns' }),
      text('product'),
      id('owner_id', { references: 'users' }),
      text('status', {
        ...required,
        values: ['open', 'qualified', 'disqualified', 'converted', 'abandoned'],
      }),
      ts('qualified_at'),
      ts('disqualified_at'),
      ts('converted_at'),
      id('customer_id', { references: 'customers' }),
      id('referred_by', { references: 'customers' }),
    ],
  },
  {
    name: 'opportunities',
    description: 'deals',
    primaryKey: ['opportunity_id'],
    columns: [
      id('opportunity_id', required),
      // May be a prospect not yet in customers, so no foreign key check.
      id('customer_id'),
      id('lead_id', { references: 'leads' }),
      id('owner_id', { references: 'users' }),
      text('product'),
      text('kind', { values: ['new_business', 'upsell', 'cross_sell', 'renewal'] }),
      text('channel'),
      money('amount'),
      money('cost'),
      ts('created_at', required),
      ts('closed_at'),
      text('status', { ...required, values: ['open', 'won', 'lost'] }),
      text('stage'),
      text('loss_reason'),
      text('competitor'),
    ],
  },
  {
    name: 'opportunity_stages',
    description: 'stage history',
    primaryKey: ['opportunity_id', 'stage', 'entered_at'],
    columns: [
      id('opportunity_id', { ...required, references: 'opportunities' }),
      text('stage', required),
      ts('entered_at', required),
      ts('exited_at'),
    ],
  },
  {
    name: 'orders',
    description: 'purchases and invoices',
    primaryKey: ['order_id'],
    columns: [
      id('order_id', required),
      id('customer_id', { ...required, references: 'customers' }),
      ts('ordered_at', required),
      text('product'),
      money('amount', required),
      money('cost'),
      id('opportunity_id', { references: 'opportunities' }),
    ],
  },
  {
    name: 'subscriptions',
    description: 'contracts with a term',
    primaryKey: ['subscription_id'],
    columns: [
      id('subscription_id', required),
      id('customer_id', { ...required, references: 'customers' }),
      text('product'),
      text('product_type', { values: ['product', 'service'] }),
      money('mrr', required),
      date('started_at', { ...required, event: true }),
      // The end of the term is usually in the future: not an event.
      date('ends_at', required),
      date('cancelled_at', { event: true }),
      { name: 'renewed', type: 'bool' },
    ],
  },
  {
    name: 'campaigns',
    description: 'marketing campaigns',
    primaryKey: ['campaign_id'],
    columns: [
      id('campaign_id', required),
      text('name'),
      text('channel'),
      date('started_at'),
      date('ended_at'),
    ],
  },
  {
    name: 'campaign_touches',
    description: 'who a campaign reached and how they responded',
    primaryKey: [],
    columns: [
      id('campaign_id', { ...required, references: 'campaigns' }),
      id('lead_id', { references: 'leads' }),
      id('customer_id', { references: 'customers' }),
      ts('touched_at', required),
      text('response', { values: ['none', 'open', 'click', 'reply', 'purchase'] }),
    ],
  },
  {
    name: 'expenses',
    description: 'money spent (CAC, campaign ROI, cost to retain)',
    primaryKey: [],
    columns: [
      date('spent_on', { ...required, event: true }),
      text('category', { ...required, values: ['marketing', 'sales', 'service', 'retention'] }),
      id('campaign_id', { references: 'campaigns' }),
      money('amount', required),
    ],
  },
  {
    name: 'activities',
    description: 'calls, e-mails, meetings logged in the CRM',
    primaryKey: ['activity_id'],
    columns: [
      id('activity_id', required),
      id('user_id', { ...required, references: 'users' }),
      text('kind', { ...required, values: ['call', 'email', 'meeting', 'note'] }),
      ts('occurred_at', required),
      id('opportunity_id', { references: 'opportunities' }),
      id('customer_id', { references: 'customers' }),
      id('lead_id', { references: 'leads' }),
    ],
  },
  {
    name: 'tickets',
    description: 'service cases',
    primaryKey: ['ticket_id'],
    columns: [
      id('ticket_id', required),
      id('customer_id', { references: 'customers' }),
      ts('created_at', required),
      text('channel'),
      text('category'),
      text('priority'),
      id('assignee_id', { references: 'users' }),
      ts('first_response_at'),
      ts('resolved_at'),
      { name: 'contacts', type: 'int' },
      { name: 'reopened', type: 'bool' },
    ],
  },
  {
    name: 'surveys',
    description: 'NPS, CSAT and CES answers',
    primaryKey: ['response_id'],
    columns: [
      id('response_id', required),
      id('customer_id', { references: 'customers' }),
      id('ticket_id', { references: 'tickets' }),
      text('kind', { ...required, values: ['nps', 'csat', 'ces'] }),
      { name: 'score', type: 'int', required: true },
      ts('responded_at', required),
    ],
  },
  {
    name: 'users',
    description: 'people who work in the CRM',
    primaryKey: ['user_id'],
    columns: [id('user_id', required), text('name'), text('team'), date('active_from'), date('active_to')],
  },
  {
    name: 'logins',
    description: 'CRM sessions (adoption)',
    primaryKey: [],
    columns: [id('user_id', { ...required, references: 'users' }), ts('logged_in_at', required)],
  },
  {
    name: 'targets',
    description: 'optional goals per KPI',
    primaryKey: ['kpi', 'period_start', 'grain', 'segment'],
    columns: [
      text('kpi', required),
      date('period_start', required),
      text('grain', { ...required, values: GRAINS }),
      { name: 'target', type: 'double', required: true },
      text('segment'),
    ],
  },
];

/** Valid score ranges per survey kind (surveys.score). */
export const SURVEY_SCORE_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  nps: [0, 10],
  csat: [1, 5],
  ces: [1, 7],
};

export function tableSpec(name: string): TableSpec | undefined {
  return CONTRACT.find((t) => t.name === name);
}

export function columnSpec(table: string, column: string): ColumnSpec | undefined {
  return tableSpec(table)?.columns.find((c) => c.name === column);
}

/** DuckDB type a contract type is stored as once loaded. */
export const SQL_TYPES: Readonly<Record<ColumnType, string>> = {
  id: 'VARCHAR',
  text: 'VARCHAR',
  ts: 'TIMESTAMPTZ',
  date: 'DATE',
  money: 'DECIMAL(18,2)',
  int: 'INTEGER',
  bool: 'BOOLEAN',
  double: 'DOUBLE',
};
