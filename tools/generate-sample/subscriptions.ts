// A customer's life after the sale: consecutive contract terms (a renewal is a new row per
// product, at a slightly higher price), expansions won in the middle of a term (co-terminated
// with it), add-ons dropped at renewal, and churn: a customer leaves at the end of a term
// or, rarely, cancels in the middle of one. Unhappy customers (low health) leave more often.

import { expansionDeal, renewalDeal } from './account-deals.ts';
import { addMonths, dayOfInstant, dayOfMonthOf, END_DAY, END_INSTANT, HISTORY_START } from './calendar.ts';
import { ADD_ONS, SEGMENT_PROFILES } from './company-profile.ts';
import type { ContractLine, Customer, Opportunity, Subscription } from './model.ts';
import { addOnLine, mergeByProduct, renewalPrice } from './pricing.ts';
import type { Rng } from './rng.ts';
import type { Staff } from './users.ts';

export interface CustomerHistory {
  readonly subscriptions: Subscription[];
  readonly deals: Opportunity[];
}

export interface Start {
  readonly lines: readonly ContractLine[];
  /** The won deal the first term comes from; null for customers from before the funnel. */
  readonly deal: Opportunity | null;
}

/** Churn is less likely for happy customers (mean factor 1 over the population). */
function churnFactor(customer: Customer, day: number): number {
  // A retention programme started in 2025 slowly brings churn down.
  const progress = Math.max(0, Math.min(1, (day - HISTORY_START) / (END_DAY - HISTORY_START)));
  return Math.exp(-0.55 * customer.health - 0.151) * (1.12 - 0.24 * progress);
}

function termLength(rng: Rng, customer: Customer): number {
  return Number(rng.weighted(SEGMENT_PROFILES[customer.segment].termMonths));
}

/** Simulates the customer's terms from acquisition to the end of the data; sets churnedDay. */
export function liveCustomer(rng: Rng, staff: Staff, customer: Customer, start: Start): CustomerHistory {
  const history: CustomerHistory = { subscriptions: [], deals: [] };
  const profile = SEGMENT_PROFILES[customer.segment];
  const anchor = dayOfMonthOf(customer.acquiredDay);
  let lines = start.lines;
  let deal = start.deal;
  let termStart = customer.acquiredDay;
  let months = termLength(rng, customer);
  let firstTerm = true;
  while (termStart <= END_DAY) {
    const termEnd = addMonths(termStart, months, anchor);
    const rows = lines.map((line) => subscriptionRow(customer, line, termStart, termEnd, deal));
    history.subscriptions.push(...rows);

    // Mid-term cancellation: only inside the CRM's history (earlier customers all survived).
    const cancelDay = midTermCancellation(rng, customer, termStart, termEnd);
    const lastOpenDay = Math.min(termEnd - 1, END_DAY, cancelDay === null ? END_DAY : cancelDay - 90);
    const added = expansions(
      rng,
      staff,
      customer,
      lines,
      Math.max(termStart, HISTORY_START),
      lastOpenDay,
      history,
    );
    for (const { line, deal: won } of added) {
      const from = dayOfInstant(won.closedAt ?? END_INSTANT);
      if (cancelDay !== null && from >= cancelDay) continue;
      const row = subscriptionRow(customer, line, from, termEnd, won);
      rows.push(row);
      history.subscriptions.push(row);
    }
    const allLines = [
      ...lines,
      ...added
        .filter((a) => cancelDay === null || dayOfInstant(a.deal.closedAt ?? 0) < cancelDay)
        .map((a) => a.line),
    ];

    if (cancelDay !== null) {
      for (const row of rows) {
        row.cancelledDay = cancelDay;
        row.renewed = false;
      }
      customer.churnedDay = cancelDay - 1;
      return history;
    }

    // End of term: decide the renewal (before the funnel starts, everyone renewed).
    const inHistory = termEnd >= HISTORY_START;
    const risk = profile.nonRenewal * churnFactor(customer, termEnd) * (firstTerm ? 1.3 : 0.9);
    const renews = !inHistory || !rng.chance(risk);
    const nextLines = renews ? nextTerm(rng, customer, allLines, inHistory) : [];
    let renewal: Opportunity | null = null;
    if (profile.renewalDeals && inHistory) {
      renewal = renewalDeal(
        rng,
        staff,
        customer,
        termEnd,
        renews ? nextLines : mergeByProduct(allLines),
        renews,
      );
      if (renewal) history.deals.push(renewal);
    }
    // The decision is known once the term has ended, or earlier when a renewal deal closed.
    const decided = termEnd <= END_DAY || (renewal !== null && renewal.status !== 'open');
    for (const row of rows)
      row.renewed = decided ? renews && nextLines.some((l) => l.product === row.product) : null;
    if (termEnd > END_DAY) return history;
    if (!renews) {
      customer.churnedDay = termEnd - 1;
      return history;
    }
    lines = nextLines;
    deal = renewal;
    termStart = termEnd;
    months = termLength(rng, customer);
    firstTerm = false;
  }
  return history;
}

function subscriptionRow(
  customer: Customer,
  line: ContractLine,
  startDay: number,
  endDay: number,
  deal: Opportunity | null,
): Subscription {
  return {
    id: '',
    customer,
    product: line.product,
    mrr: line.mrr,
    startDay,
    endDay,
    cancelledDay: null,
    renewed: null,
    deal,
  };
}

/** A day on which the customer cancels mid-term, or null. */
function midTermCancellation(
  rng: Rng,
  customer: Customer,
  termStart: number,
  termEnd: number,
): number | null {
  const from = Math.max(termStart + 30, HISTORY_START);
  const to = Math.min(termEnd - 1, END_DAY);
  const hazard = SEGMENT_PROFILES[customer.segment].midTermCancel;
  for (let blockStart = from; blockStart <= to; blockStart += 30) {
    if (rng.chance(hazard * churnFactor(customer, blockStart)))
      return rng.int(blockStart, Math.min(blockStart + 29, to));
  }
  return null;
}

/** Expansion deals opened in [from, to]; returns the won ones with the line they add. */
function expansions(
  rng: Rng,
  staff: Staff,
  customer: Customer,
  owned: readonly ContractLine[],
  from: number,
  to: number,
  history: CustomerHistory,
): { deal: Opportunity; line: ContractLine }[] {
  if (to - from < 30) return [];
  const rate = SEGMENT_PROFILES[customer.segment].expansionsPerYear * Math.exp(0.3 * customer.health);
  const count = rng.poisson((rate * (to - from)) / 365);
  const won: { deal: Opportunity; line: ContractLine }[] = [];
  for (let i = 0; i < count; i++) {
    // Opened early enough to close within the term, as account managers plan them.
    // Deals opened near the end of the data are simply still open.
    const planned = to >= END_DAY ? 5 : Math.round(SEGMENT_PROFILES[customer.segment].cycleDays * 0.8);
    const latest = Math.max(from, to - planned);
    const expansion = expansionDeal(rng, staff, customer, rng.int(from, latest), owned);
    history.deals.push(expansion.deal);
    const closeDay = expansion.deal.closedAt === null ? null : dayOfInstant(expansion.deal.closedAt);
    if (expansion.deal.status === 'won' && closeDay !== null && closeDay < to) won.push(expansion);
  }
  return won;
}

/** The lines of the next term: the same products, a bit dearer, sometimes an add-on less or more. */
function nextTerm(
  rng: Rng,
  customer: Customer,
  lines: readonly ContractLine[],
  inHistory: boolean,
): ContractLine[] {
  const merged = mergeByProduct(lines);
  const next: ContractLine[] = [];
  for (const [i, line] of merged.entries()) {
    // Contraction: an add-on is dropped now and then; the core product never is.
    if (i > 0 && rng.chance(0.08)) continue;
    next.push({ product: line.product, mrr: renewalPrice(rng, line.mrr) });
  }
  // Before the CRM's history, expansions happened at renewals (no deals on record).
  if (!inHistory && rng.chance(0.15)) {
    const missing = ADD_ONS.filter((p) => !next.some((l) => l.product === p));
    const core = next[0]?.mrr ?? 0;
    if (missing.length > 0 && !(customer.segment === 'SMB' && rng.chance(0.5)))
      next.push(addOnLine(rng, rng.pick(missing), core));
  }
  return next;
}
