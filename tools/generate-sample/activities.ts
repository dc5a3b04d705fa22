// What people log in the CRM: SDRs call and e-mail new leads, reps call, mail and meet the
// buyers of each deal (bigger deals, more touches), account managers check in with their
// accounts, and agents log the calls behind phone tickets.

import {
  dayOfInstant,
  END_DAY,
  END_INSTANT,
  monthStart,
  officeInstant,
  randomDay,
  SECONDS_PER_DAY,
  WINDOW_START,
} from './calendar.ts';
import type { Segment } from './company-profile.ts';
import type { Activity, Customer, Lead, Opportunity, Ticket, User } from './model.ts';
import type { Rng } from './rng.ts';
import type { Staff } from './users.ts';

type Kind = Activity['kind'];

/** Mean activities of each kind over a whole deal, by segment. */
const DEAL_TOUCHES: Readonly<Record<Segment, Readonly<Record<Kind, number>>>> = {
  SMB: { call: 2, email: 2.2, meeting: 0.4, note: 0.5 },
  'Mid-Market': { call: 3.2, email: 3.2, meeting: 1.2, note: 0.9 },
  Enterprise: { call: 4.6, email: 4.2, meeting: 2.6, note: 1.4 },
};
const KINDS: readonly Kind[] = ['call', 'email', 'meeting', 'note'];

interface Subject {
  readonly opportunity?: Opportunity | null;
  readonly customer?: Customer | null;
  readonly lead?: Lead | null;
}

function activity(user: User, kind: Kind, occurredAt: number, subject: Subject): Activity {
  return {
    id: '',
    user,
    kind,
    occurredAt,
    opportunity: subject.opportunity ?? null,
    customer: subject.customer ?? null,
    lead: subject.lead ?? null,
  };
}

/** Office-hour instants on working days between two instants (at least one, if the span allows). */
function spread(rng: Rng, count: number, from: number, to: number): number[] {
  const first = dayOfInstant(from);
  const last = dayOfInstant(Math.min(to, END_INSTANT));
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = officeInstant(rng, randomDay(rng, first, last, 0.03));
    times.push(Math.min(Math.max(t, from), Math.min(to, END_INSTANT)));
  }
  return times;
}

export function dealActivities(rng: Rng, staff: Staff, deals: readonly Opportunity[]): Activity[] {
  const out: Activity[] = [];
  for (const deal of deals) {
    const end = deal.closedAt ?? END_INSTANT;
    // Deals lost early got less attention than deals that went the distance.
    const depth = Math.min(1, 0.35 + deal.stages.length * 0.2) * (deal.kind === 'new_business' ? 1 : 0.6);
    const subject = { opportunity: deal, customer: deal.account, lead: deal.lead };
    for (const kind of KINDS) {
      const count = rng.poisson(DEAL_TOUCHES[deal.segment][kind] * depth);
      for (const at of spread(rng, count, deal.createdAt, end)) {
        // Mostly the owner; now and then a manager or an SDR joins a call.
        const user = rng.chance(0.88)
          ? deal.owner
          : staff.pick(rng, ['sales_manager', 'sdr'], dayOfInstant(at));
        out.push(activity(user, kind, at, subject));
      }
    }
  }
  return out;
}

export function leadActivities(rng: Rng, leads: readonly Lead[]): Activity[] {
  const out: Activity[] = [];
  for (const lead of leads) {
    const decided = lead.qualifiedAt ?? lead.disqualifiedAt ?? lead.createdAt + 21 * SECONDS_PER_DAY;
    const calls = rng.poisson(lead.status === 'abandoned' ? 1 : 0.55);
    const emails = rng.poisson(lead.status === 'abandoned' ? 1.3 : 0.65);
    for (const at of spread(rng, calls, lead.createdAt, decided))
      out.push(activity(lead.owner, 'call', at, { lead }));
    for (const at of spread(rng, emails, lead.createdAt, decided))
      out.push(activity(lead.owner, 'email', at, { lead }));
  }
  return out;
}

/** Account management: a check-in a quarter for larger accounts, a yearly one for SMB. */
export function accountActivities(rng: Rng, staff: Staff, customers: readonly Customer[]): Activity[] {
  const out: Activity[] = [];
  for (const customer of customers) {
    const first = Math.max(WINDOW_START, customer.acquiredDay);
    const last = Math.min(END_DAY, customer.churnedDay ?? END_DAY);
    const perMonth = customer.segment === 'SMB' ? 0.1 : customer.segment === 'Mid-Market' ? 0.45 : 1.1;
    for (let month = monthStart(first); month <= last; month = monthStart(month, 1)) {
      const from = Math.max(first, month);
      const to = Math.min(last, monthStart(month, 1) - 1);
      for (let i = rng.poisson(perMonth); i > 0 && from <= to; i--) {
        const day = randomDay(rng, from, to, 0.02);
        const kind = rng.weighted({ email: 0.45, meeting: 0.25, call: 0.2, note: 0.1 } as const);
        out.push(
          activity(staff.current(rng, customer.owner, day), kind, officeInstant(rng, day), { customer }),
        );
      }
    }
  }
  return out;
}

/** Agents log the call behind each phone ticket and a note on some escalations. */
export function serviceActivities(rng: Rng, tickets: readonly Ticket[]): Activity[] {
  const out: Activity[] = [];
  for (const ticket of tickets) {
    if (ticket.firstResponseAt === null) continue;
    if (ticket.channel === 'phone')
      out.push(activity(ticket.assignee, 'call', ticket.firstResponseAt, { customer: ticket.customer }));
    if ((ticket.priority === 'urgent' || ticket.reopened) && rng.chance(0.6)) {
      out.push(
        activity(ticket.assignee, 'note', ticket.firstResponseAt + rng.int(600, 7_200), {
          customer: ticket.customer,
        }),
      );
    }
  }
  return out.filter((a) => a.occurredAt <= END_INSTANT);
}
