// Invoices (the orders table): every subscription is billed in advance, monthly for SMB,
// quarterly for Mid-Market and yearly for Enterprise, from the start of the window. The
// first invoice after a won deal links to it. Implementation work is billed once after a
// new-business win (in two milestones for Enterprise).

import {
  addMonths,
  dayOfInstant,
  dayOfMonthOf,
  END_DAY,
  END_INSTANT,
  instantOf,
  nextWorkday,
  officeInstant,
  SECONDS_PER_DAY,
  WINDOW_START,
} from './calendar.ts';
import { IMPLEMENTATION, SEGMENT_PROFILES } from './company-profile.ts';
import type { WonAccount } from './funnel.ts';
import type { Order, Subscription } from './model.ts';
import type { Rng } from './rng.ts';

/** Share of invoices exported without a cost (margin KPIs must cope with it). */
const MISSING_COST = 0.03;

function costOf(rng: Rng, amount: number, costShare: number): number | null {
  return rng.chance(MISSING_COST) ? null : Math.round(amount * costShare * rng.uniform(0.85, 1.15));
}

export function invoiceSubscriptions(rng: Rng, subscriptions: readonly Subscription[]): Order[] {
  const orders: Order[] = [];
  for (const sub of subscriptions) {
    const step = SEGMENT_PROFILES[sub.customer.segment].billingMonths;
    const stop = Math.min(sub.cancelledDay ?? sub.endDay, sub.endDay);
    const anchor = dayOfMonthOf(sub.startDay);
    for (let n = 0; ; n += step) {
      const day = addMonths(sub.startDay, n, anchor);
      if (day >= stop || day > END_DAY) break;
      if (day < WINDOW_START) continue;
      // The last period of a term can be short (an add-on co-terminated with the contract).
      const fullEnd = addMonths(sub.startDay, n + step, anchor);
      const periodEnd = Math.min(fullEnd, sub.endDay);
      const months = (step * (periodEnd - day)) / (fullEnd - day);
      const amount = Math.round(sub.mrr * months);
      if (amount <= 0) continue;
      const first = n === 0 && sub.deal !== null;
      // Invoices go out in the nightly billing run; a deal's first one right after it closes.
      const dealClosed = first ? sub.deal?.closedAt : null;
      const orderedAt =
        dealClosed != null && dayOfInstant(dealClosed) === day
          ? Math.min(END_INSTANT, dealClosed + rng.int(600, 7_200))
          : instantOf(day, 1) + rng.int(0, 3_599);
      orders.push({
        id: '',
        customer: sub.customer,
        orderedAt,
        product: sub.product.name,
        amount,
        cost: costOf(rng, amount, sub.product.costShare),
        deal: first ? sub.deal : null,
      });
    }
  }
  return orders;
}

export function invoiceImplementations(rng: Rng, wins: readonly WonAccount[]): Order[] {
  const orders: Order[] = [];
  for (const { customer, deal, implementationFee } of wins) {
    if (implementationFee <= 0 || deal.closedAt === null) continue;
    const milestones = customer.segment === 'Enterprise' ? [0.5, 0.5] : [1];
    let at = deal.closedAt;
    for (const [i, share] of milestones.entries()) {
      at = officeInstant(
        rng,
        nextWorkday(dayOfInstant(at + (i === 0 ? rng.int(1, 10) : rng.int(30, 60)) * SECONDS_PER_DAY)),
      );
      if (at > END_INSTANT) break;
      if (at < WINDOW_START * SECONDS_PER_DAY) continue;
      const amount = Math.round(implementationFee * share);
      orders.push({
        id: '',
        customer,
        orderedAt: at,
        product: IMPLEMENTATION.name,
        amount,
        cost: costOf(rng, amount, IMPLEMENTATION.costShare),
        deal,
      });
    }
  }
  return orders;
}
