// From the simulated world to table rows: ids are handed out in time order (C00001 is the
// oldest customer, L000001 the first lead), then every entity becomes one row per the
// contract, with dates, timestamps and amounts as text DuckDB casts exactly.

import { formatDate, formatTimestamp } from './calendar.ts';
import type { Lead, Opportunity } from './model.ts';
import type { TableName } from './schema.ts';
import type { World } from './world.ts';

export type Cell = string | number | boolean | null;
export type TableRows = Readonly<Record<Exclude<TableName, 'targets'>, Cell[][]>>;

/**
 * Sorts by `key` (stable: ties keep their order) and numbers the items: C00001, C00002...
 * A tag goes between the prefix and the number (C07-00001) to keep several worlds' ids apart.
 */
function assignIds<T extends { id: string }>(
  items: readonly T[],
  prefix: string,
  width: number,
  key: (item: T) => number,
  tag = '',
): void {
  const digits = Math.max(width, String(items.length).length);
  const sorted = items.map((item, index) => ({ item, index, key: key(item) }));
  sorted.sort((a, b) => a.key - b.key || a.index - b.index);
  for (const [n, { item }] of sorted.entries())
    item.id = `${prefix}${tag}${String(n + 1).padStart(digits, '0')}`;
}

const ts = (instant: number | null): string | null => (instant === null ? null : formatTimestamp(instant));
const date = (day: number | null): string | null => (day === null ? null : formatDate(day));
/** Cents as a decimal string: exact, unlike a float. */
const money = (value: number | null): string | null =>
  value === null ? null : `${Math.trunc(value / 100)}.${String(Math.abs(value % 100)).padStart(2, '0')}`;
const idOf = (entity: { id: string } | null): string | null => entity?.id ?? null;

/** A deal with a prospect that never became a customer names the prospect account (P + lead number). */
function accountId(deal: Opportunity): string | null {
  if (deal.account) return deal.account.id;
  return deal.lead ? `P${deal.lead.id.slice(1)}` : null;
}

function leadRow(l: Lead): Cell[] {
  return [
    l.id,
    ts(l.createdAt),
    l.source,
    idOf(l.campaign),
    l.product,
    l.owner.id,
    l.status,
    ts(l.qualifiedAt),
    ts(l.disqualifiedAt),
    ts(l.convertedAt),
    idOf(l.customer),
    idOf(l.referredBy),
  ];
}

function opportunityRow(o: Opportunity): Cell[] {
  const stage = o.stages[o.stages.length - 1]?.stage ?? null;
  return [
    o.id,
    accountId(o),
    idOf(o.lead),
    o.owner.id,
    o.product,
    o.kind,
    o.channel,
    money(o.amount),
    money(o.cost),
    ts(o.createdAt),
    ts(o.closedAt),
    o.status,
    stage,
    o.lossReason,
    o.competitor,
  ];
}

/** Rows of every table but targets. `idTag` marks the ids of one world among several ('07-'). */
export function buildTableRows(world: World, idTag = ''): TableRows {
  assignIds(world.users, 'U', 3, (u) => u.activeFrom, idTag);
  assignIds(world.campaigns, 'CMP', 3, (c) => c.startDay, idTag);
  assignIds(world.customers, 'C', 5, (c) => c.acquiredDay, idTag);
  assignIds(world.leads, 'L', 6, (l) => l.createdAt, idTag);
  assignIds(world.opportunities, 'O', 6, (o) => o.createdAt, idTag);
  assignIds(world.subscriptions, 'S', 6, (s) => s.startDay, idTag);
  assignIds(world.orders, 'I', 7, (o) => o.orderedAt, idTag);
  assignIds(world.activities, 'A', 7, (a) => a.occurredAt, idTag);
  assignIds(world.tickets, 'T', 6, (t) => t.createdAt, idTag);
  assignIds(world.surveys, 'R', 6, (r) => r.respondedAt, idTag);

  return {
    customers: world.customers.map((c) => [
      c.id,
      c.name,
      c.email,
      c.phone,
      c.segment,
      c.region,
      c.industry,
      c.acquisitionChannel,
      c.owner.id,
      date(c.acquiredDay),
      date(c.churnedDay),
    ]),
    leads: world.leads.map(leadRow),
    opportunities: world.opportunities.map(opportunityRow),
    opportunity_stages: world.opportunities.flatMap((o) =>
      o.stages.map((s): Cell[] => [o.id, s.stage, ts(s.enteredAt), ts(s.exitedAt)]),
    ),
    orders: world.orders.map((o) => [
      o.id,
      o.customer.id,
      ts(o.orderedAt),
      o.product,
      money(o.amount),
      money(o.cost),
      idOf(o.deal),
    ]),
    subscriptions: world.subscriptions.map((s) => [
      s.id,
      s.customer.id,
      s.product.name,
      s.product.type,
      money(s.mrr),
      date(s.startDay),
      date(s.endDay),
      date(s.cancelledDay),
      s.renewed,
    ]),
    campaigns: world.campaigns.map((c) => [c.id, c.name, c.channel, date(c.startDay), date(c.endDay)]),
    campaign_touches: world.touches.map((t) => [
      t.campaign.id,
      idOf(t.lead),
      idOf(t.customer),
      ts(t.touchedAt),
      t.response,
    ]),
    expenses: world.expenses.map((e) => [date(e.day), e.category, idOf(e.campaign), money(e.amount)]),
    activities: world.activities.map((a) => [
      a.id,
      a.user.id,
      a.kind,
      ts(a.occurredAt),
      idOf(a.opportunity),
      idOf(a.customer),
      idOf(a.lead),
    ]),
    tickets: world.tickets.map((t) => [
      t.id,
      t.customer.id,
      ts(t.createdAt),
      t.channel,
      t.category,
      t.priority,
      t.assignee.id,
      ts(t.firstResponseAt),
      ts(t.resolvedAt),
      t.contacts,
      t.reopened,
    ]),
    surveys: world.surveys.map((r) => [
      r.id,
      r.customer.id,
      idOf(r.ticket),
      r.kind,
      r.score,
      ts(r.respondedAt),
    ]),
    users: world.users.map((u) => [u.id, u.name, u.team, date(u.activeFrom), date(u.activeTo)]),
    logins: world.logins.map((l) => [l.user.id, ts(l.loggedInAt)]),
  };
}
