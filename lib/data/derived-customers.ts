// `"customers": {"from": "orders"}`: an export of orders alone (a shop's, CDNOW's) still has
// buyers. Each customer in the loaded orders becomes a customer acquired on the day (in the
// dataset's time zone) of their first order; every other customer column is NULL, so KPIs that
// need one say it is missing rather than reading a made-up value.

import { SQL_TYPES, tableSpec } from './contract.ts';
import type { Database } from './database.ts';
import type { Mapping } from './mapping.ts';
import type { Problem } from './problems.ts';
import { quoteIdent, quoteLiteral } from './sql-text.ts';

/** The columns a derived customers table has; the others are NULL. */
export const DERIVED_CUSTOMER_COLUMNS: readonly string[] = ['customer_id', 'acquired_at'];

/** Registers `customers` from the typed `orders` table; returns how many customers it has. */
export async function registerCustomersFromOrders(db: Database, timeZone: string): Promise<number> {
  const spec = tableSpec('customers');
  const columns = (spec?.columns ?? []).map((c) => {
    if (c.name === 'customer_id') return 'customer_id';
    if (c.name === 'acquired_at')
      return `timezone(${quoteLiteral(timeZone)}, min(ordered_at))::DATE AS acquired_at`;
    return `NULL::${SQL_TYPES[c.type]} AS ${quoteIdent(c.name)}`;
  });
  await db.run(`DROP VIEW IF EXISTS customers`);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE customers AS
     SELECT ${columns.join(', ')} FROM orders
     WHERE customer_id IS NOT NULL AND ordered_at IS NOT NULL GROUP BY customer_id`,
  );
  const [row] = await db.rows(`SELECT count(*) AS n FROM customers`);
  return Number(row?.n ?? 0);
}

/**
 * What a report says under its numbers: `Customers derived from the first order in orders.csv`,
 * and when the mapping says so, that every first order is in the export: new customers then
 * rest on that claim.
 */
export function derivedNote(ordersFiles: readonly string[], firstOrdersInExport: boolean): string {
  const names = ordersFiles.map((f) => f.split('/').at(-1) ?? f);
  const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')}, ...` : names.join(', ');
  const claim = firstOrdersInExport
    ? "; the mapping declares every customer's first order is in the export"
    : '';
  return `Customers derived from the first order in ${shown}${claim}`;
}

/** A warning when the mapping derives customers but there are no orders to derive them from. */
export function derivedProblems(mapping: Mapping | undefined, orders: unknown): Problem[] {
  const derived = mapping?.derived.get('customers');
  if (!mapping || !derived || orders) return [];
  return [
    {
      severity: 'warning',
      rule: 'mapping',
      table: 'customers',
      file: mapping.file,
      column: `${derived.key}.from`,
      expected: 'an orders table to derive customers from; there is none, so customers is absent',
      count: 0,
      examples: [],
      hint: 'give tables.orders its "files" in the mapping, or put orders.csv in the data folder',
    },
  ];
}
