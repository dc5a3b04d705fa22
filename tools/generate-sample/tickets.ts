// Service cases. Customers open tickets at any time; the desk answers 07:00-20:00 on working
// days and runs a small weekend rota. First response is minutes on phone and chat and a few
// hours by e-mail, and got faster after the desk grew in 2025-26. Some tickets are still
// open at the end of the data.

import {
  anyTimeInstant,
  dayOfInstant,
  END_DAY,
  END_INSTANT,
  isWeekend,
  monthStart,
  randomDay,
  SECONDS_PER_DAY,
  SECONDS_PER_HOUR,
  WINDOW_START,
} from './calendar.ts';
import { SEGMENT_PROFILES } from './company-profile.ts';
import type { Customer, Ticket } from './model.ts';
import type { Rng } from './rng.ts';
import type { Staff } from './users.ts';

const CHANNELS = { email: 0.38, chat: 0.24, phone: 0.22, web: 0.16 } as const;
const CATEGORIES = {
  how_to: 0.26,
  technical: 0.2,
  billing: 0.14,
  bug: 0.12,
  integration: 0.1,
  account: 0.1,
  feature_request: 0.08,
} as const;
/** Median hours from first response to resolution, by category. */
const RESOLUTION_HOURS: Readonly<Record<keyof typeof CATEGORIES, number>> = {
  how_to: 3,
  account: 5,
  billing: 8,
  technical: 18,
  feature_request: 20,
  integration: 30,
  bug: 48,
};
const PRIORITY_PACE = { urgent: 0.35, high: 0.6, normal: 1, low: 1.4 } as const;

/** When the desk can first pick up a ticket created at `instant`. */
function deskOpensAt(instant: number, phone: boolean): number {
  const day = dayOfInstant(instant);
  const hour = (instant - day * SECONDS_PER_DAY) / SECONDS_PER_HOUR;
  const [open, close] = isWeekend(day) ? [9, 17] : [7, 20];
  if (isWeekend(day) && phone) return deskOpensAt((day + 1) * SECONDS_PER_DAY, phone);
  if (hour < open) return day * SECONDS_PER_DAY + open * SECONDS_PER_HOUR;
  if (hour >= close) return deskOpensAt((day + 1) * SECONDS_PER_DAY, phone);
  return instant;
}

export function buildTickets(rng: Rng, staff: Staff, customers: readonly Customer[]): Ticket[] {
  const tickets: Ticket[] = [];
  for (const customer of customers) {
    const first = Math.max(WINDOW_START, customer.acquiredDay);
    const last = Math.min(END_DAY, customer.churnedDay ?? END_DAY);
    const baseRate = SEGMENT_PROFILES[customer.segment].ticketsPerMonth * Math.exp(-0.25 * customer.health);
    for (let month = monthStart(first); month <= last; month = monthStart(month, 1)) {
      const from = Math.max(first, month);
      const to = Math.min(last, monthStart(month, 1) - 1);
      if (to < from) continue;
      // New customers need more help while they onboard.
      const onboarding = from - customer.acquiredDay < 90 ? 1.8 : 1;
      const count = rng.poisson((baseRate * onboarding * (to - from + 1)) / 30.44);
      for (let i = 0; i < count; i++)
        tickets.push(ticket(rng, staff, customer, randomDay(rng, from, to, 0.35)));
    }
  }
  return tickets;
}

function ticket(rng: Rng, staff: Staff, customer: Customer, day: number): Ticket {
  const createdAt = anyTimeInstant(rng, day);
  const channel = rng.weighted(CHANNELS);
  const category = rng.weighted(CATEGORIES);
  const priority = rng.weighted(
    customer.segment === 'Enterprise'
      ? ({ urgent: 0.09, high: 0.26, normal: 0.45, low: 0.2 } as const)
      : ({ urgent: 0.04, high: 0.16, normal: 0.52, low: 0.28 } as const),
  );
  const onCall = staff.onCall(day);
  const assignee = onCall.length > 0 ? rng.pick(onCall) : staff.pick(rng, ['agent'], day);
  // The desk grew during the two years: responses got faster.
  const staffing = 1.2 - 0.35 * ((day - WINDOW_START) / (END_DAY - WINDOW_START));
  const responseHours =
    channel === 'phone'
      ? rng.lognormal(0.03, 0.6)
      : channel === 'chat'
        ? rng.lognormal(0.08, 0.8)
        : rng.lognormal(channel === 'email' ? 2.2 : 3, 0.9) * PRIORITY_PACE[priority] * staffing;
  const firstResponse =
    deskOpensAt(createdAt, channel === 'phone') + Math.round(responseHours * SECONDS_PER_HOUR) + 30;
  if (firstResponse > END_INSTANT) {
    return {
      id: '',
      customer,
      createdAt,
      channel,
      category,
      priority,
      assignee,
      firstResponseAt: null,
      resolvedAt: null,
      contacts: null,
      reopened: false,
    };
  }
  let hours = rng.lognormal(RESOLUTION_HOURS[category], 1) * (priority === 'urgent' ? 0.5 : 1);
  const contacts = 1 + rng.poisson(0.25 + 0.12 * Math.log1p(hours));
  const reopened = rng.chance(0.04 + 0.03 * (contacts - 1));
  if (reopened) hours = hours * 1.5 + 24;
  const resolvedAt = firstResponse + Math.round(hours * SECONDS_PER_HOUR);
  const open = resolvedAt > END_INSTANT;
  return {
    id: '',
    customer,
    createdAt,
    channel,
    category,
    priority,
    assignee,
    firstResponseAt: firstResponse,
    resolvedAt: open ? null : resolvedAt,
    contacts: open ? Math.max(1, contacts - 1) : contacts,
    reopened: open ? false : reopened,
  };
}
