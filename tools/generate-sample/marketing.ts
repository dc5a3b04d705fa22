// What campaigns did: the touch that produced each campaign lead, newsletters and nurture
// e-mails to leads and customers (mostly ignored, sometimes clicked, now and then a
// purchase), event and webinar attendance; and the money: campaign spend, plus the
// marketing, sales, service and retention costs that CAC and cost-to-retain divide.

import {
  dayOfInstant,
  END_DAY,
  END_INSTANT,
  growth,
  HISTORY_START,
  monthStart,
  officeInstant,
  randomDay,
  SECONDS_PER_DAY,
  weekday,
} from './calendar.ts';
import { isCustomerOn } from './customers.ts';
import type { Campaign, Customer, Expense, Lead, Opportunity, Touch } from './model.ts';
import type { Rng } from './rng.ts';

const BULK_RESPONSES = { none: 0.62, open: 0.25, click: 0.09, reply: 0.02, purchase: 0.02 } as const;

export function buildTouches(
  rng: Rng,
  campaigns: readonly Campaign[],
  leads: readonly Lead[],
  customers: readonly Customer[],
): Touch[] {
  const touches: Touch[] = [];
  // The touch that produced a campaign lead: an ad click, a form, a conversation at a booth.
  for (const lead of leads) {
    if (!lead.campaign) continue;
    const response = lead.campaign.channel === 'event' ? 'reply' : 'click';
    touches.push({
      campaign: lead.campaign,
      lead,
      customer: null,
      touchedAt: lead.createdAt - rng.int(0, 900),
      response,
    });
  }
  // Leads are sorted by creation time: the audience of a send is the recent, unconverted ones.
  for (const campaign of campaigns) {
    if (campaign.channel !== 'email' && campaign.channel !== 'content' && campaign.channel !== 'event')
      continue;
    const day = campaign.startDay;
    if (day > END_DAY) continue;
    const newsletter = campaign.name.startsWith('Newsletter');
    const recentLeads = leads.filter(
      (l) =>
        l.createdAt < day * SECONDS_PER_DAY &&
        l.createdAt > (day - 180) * SECONDS_PER_DAY &&
        l.status !== 'converted',
    );
    const activeCustomers = customers.filter((c) => isCustomerOn(c, day));
    const leadShare = campaign.channel === 'email' ? 0.08 : 0.03;
    const customerShare = newsletter ? 0.2 : campaign.channel === 'event' ? 0.02 : 0.04;
    const last = Math.min(campaign.endDay, END_DAY);
    for (const lead of rng.sample(recentLeads, Math.round(recentLeads.length * leadShare))) {
      const response = rng.weighted(BULK_RESPONSES);
      const at = officeInstant(rng, randomDay(rng, day, last, 0.1));
      touches.push({
        campaign,
        lead,
        customer: null,
        touchedAt: at,
        response: response === 'purchase' ? 'click' : response,
      });
    }
    for (const customer of rng.sample(activeCustomers, Math.round(activeCustomers.length * customerShare))) {
      const response = campaign.channel === 'email' ? rng.weighted(BULK_RESPONSES) : 'reply';
      touches.push({
        campaign,
        lead: null,
        customer,
        touchedAt: officeInstant(rng, randomDay(rng, day, last, 0.1)),
        response,
      });
    }
  }
  return touches.filter((t) => t.touchedAt <= END_INSTANT);
}

/** Campaign spend: paid media weekly, e-mail at the send, events half up front. */
export function campaignExpenses(campaigns: readonly Campaign[]): Expense[] {
  const expenses: Expense[] = [];
  for (const c of campaigns) {
    const book = (day: number, amount: number) => {
      if (day <= END_DAY && amount > 0) expenses.push({ day, category: 'marketing', campaign: c, amount });
    };
    if (c.channel === 'email') book(c.startDay, c.budget);
    else if (c.channel === 'event') {
      book(c.startDay - 60, Math.round(c.budget * 0.5));
      book(c.startDay, c.budget - Math.round(c.budget * 0.5));
    } else {
      // Weekly invoices (each Monday, and on the first day) for the days they cover.
      const days = c.endDay - c.startDay + 1;
      let from = c.startDay;
      for (let day = c.startDay + 1; day <= c.endDay + 1; day++) {
        if (weekday(day) !== 1 && day !== c.endDay + 1) continue;
        book(from, Math.round((c.budget * (day - from)) / days));
        from = day;
      }
    }
  }
  return expenses;
}

/**
 * Running costs by month: marketing staff and tools, sales salaries plus commission on the
 * month's won deals, the service desk, and customer-success (retention) programmes.
 */
export function operatingExpenses(rng: Rng, deals: readonly Opportunity[], scale: number): Expense[] {
  const wonByMonth = new Map<number, number>();
  for (const d of deals) {
    if (d.status !== 'won' || d.closedAt === null || d.amount === null) continue;
    const month = monthStart(dayOfInstant(d.closedAt));
    wonByMonth.set(month, (wonByMonth.get(month) ?? 0) + d.amount);
  }
  const expenses: Expense[] = [];
  for (let month = HISTORY_START; month <= END_DAY; month = monthStart(month, 1)) {
    const lastDay = Math.min(END_DAY, monthStart(month, 1) - 1);
    const level = growth(month) * scale * 100;
    const book = (day: number, category: Expense['category'], dollars: number) =>
      expenses.push({
        day,
        category,
        campaign: null,
        amount: Math.round(dollars * level * rng.uniform(0.95, 1.05)),
      });
    book(month, 'marketing', 95_000);
    book(month + 14, 'marketing', 80_000);
    book(month, 'sales', 380_000);
    book(month + 9, 'sales', 45_000);
    book(month, 'service', 150_000);
    book(month + 4, 'service', 30_000);
    book(month + 2, 'retention', 32_000);
    book(month + 19, 'retention', 14_000);
    // Commission is booked at the end of the month on what was won in it.
    const commission = Math.round((wonByMonth.get(month) ?? 0) * 0.09);
    if (commission > 0)
      expenses.push({ day: lastDay, category: 'sales', campaign: null, amount: commission });
  }
  return expenses.filter((e) => e.day <= END_DAY);
}
