// Per-customer, per-period state that several KPIs read: `customer_mrr($start, $end, $grain)`
// (customer-sql.ts) puts every subscription in every period it was active and groups by customer,
// the costliest step of NRR, GRR and CAC payback alike. A report asks for it over the same window
// several times, so the engine computes it once per dataset and window, into a temporary table,
// and the KPI reads that table where its SQL calls the macro with the series' own parameters.
// The KPI file is unchanged, and so are its rows: the table holds what the macro gives. A call
// written otherwise (other arguments) runs the macro as written.

import type { Database, SqlParams } from '../data/database.ts';
import { stripLiterals } from '../data/database.ts';
import { quoteLiteral } from '../data/sql-text.ts';

const CALL = /\bcustomer_mrr[ \t]*\([ \t]*\$start[ \t]*,[ \t]*\$end[ \t]*,[ \t]*\$grain[ \t]*\)/gi;

/** Tables made per database: window key → table name. */
const made = new WeakMap<Database, Map<string, Promise<string>>>();

/**
 * `body` with each `customer_mrr($start, $end, $grain)` in its code (not in a comment or a
 * string) read from the window's table, made on first use.
 */
export async function withSharedState(db: Database, body: string, params: SqlParams): Promise<string> {
  const calls = [...stripLiterals(body).matchAll(CALL)];
  const { start, end, grain } = params;
  if (calls.length === 0 || typeof start !== 'string' || typeof end !== 'string' || typeof grain !== 'string')
    return body;
  // Should the table fail, the KPI runs the macro itself and reports its own error.
  const table = await customerMrrTable(db, start, end, grain).catch(() => undefined);
  if (table === undefined) return body;
  let out = '';
  let at = 0;
  for (const call of calls) {
    out += `${body.slice(at, call.index)}${table}`;
    at = call.index + call[0].length;
  }
  return out + body.slice(at);
}

function customerMrrTable(db: Database, start: string, end: string, grain: string): Promise<string> {
  let tables = made.get(db);
  if (!tables) {
    tables = new Map();
    made.set(db, tables);
  }
  const key = JSON.stringify([start, end, grain]);
  let table = tables.get(key);
  if (!table) {
    const name = `__pulse_customer_mrr_${tables.size + 1}`;
    const args = [start, end, grain].map(quoteLiteral).join(', ');
    table = db.runOwn(`CREATE TEMP TABLE ${name} AS FROM customer_mrr(${args})`).then(() => name);
    table.catch(() => tables?.delete(key));
    tables.set(key, table);
  }
  return table;
}
