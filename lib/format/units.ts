// The units a KPI's value is in: the vocabulary of the `-- unit:` header line and of every
// formatter. Here, below the KPIs, so formatting does not depend on the KPI catalog.

export const UNITS = ['ratio', 'money', 'count', 'days', 'hours', 'months', 'score', 'table'] as const;
export type Unit = (typeof UNITS)[number];
