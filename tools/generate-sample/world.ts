// The whole simulation, step by step. Each step draws from its own random stream, so a
// change in one step leaves the others' data as it was.

import { accountActivities, dealActivities, leadActivities, serviceActivities } from './activities.ts';
import { invoiceImplementations, invoiceSubscriptions } from './billing.ts';
import {
  configureHistory,
  DEFAULT_HISTORY_START,
  DEFAULT_HISTORY_YEARS,
  END_DAY,
  HISTORY_SHIFT,
  HISTORY_START,
} from './calendar.ts';
import { buildCampaigns } from './campaigns.ts';
import { assignReferrers, buildLegacyCustomers } from './customers.ts';
import { leadDemandBetween, runFunnel } from './funnel.ts';
import { buildLogins } from './logins.ts';
import { buildTouches, campaignExpenses, operatingExpenses } from './marketing.ts';
import type {
  Activity,
  Campaign,
  Customer,
  Expense,
  Lead,
  Login,
  Opportunity,
  Order,
  Subscription,
  SurveyResponse,
  Ticket,
  Touch,
  User,
} from './model.ts';
import { firstContract } from './pricing.ts';
import { Rng } from './rng.ts';
import { liveCustomer } from './subscriptions.ts';
import { buildCaseSurveys, buildNpsSurveys } from './surveys.ts';
import { buildTickets } from './tickets.ts';
import { buildUsers, Staff } from './users.ts';

export interface World {
  readonly users: readonly User[];
  readonly campaigns: readonly Campaign[];
  readonly customers: readonly Customer[];
  readonly leads: readonly Lead[];
  readonly opportunities: readonly Opportunity[];
  readonly subscriptions: readonly Subscription[];
  readonly orders: readonly Order[];
  readonly touches: readonly Touch[];
  readonly expenses: readonly Expense[];
  readonly activities: readonly Activity[];
  readonly tickets: readonly Ticket[];
  readonly surveys: readonly SurveyResponse[];
  readonly logins: readonly Login[];
}

export interface WorldOptions {
  readonly seed: number;
  /** Customer accounts in the customers table (funnel wins plus earlier customers). */
  readonly customers: number;
  /**
   * Years of reported months, ending 2026-10-31 (default 2, the sample). A longer history runs
   * the funnel longer at the same daily rate, so the customers table then holds more
   * accounts than `customers`: the extra years' wins.
   */
  readonly years?: number;
}

/** The sample is sized around 5,000 customers; budgets scale with the requested count. */
const REFERENCE_CUSTOMERS = 5_000;
/** Leads over the 28 months of funnel per requested customer: about half the customers come from the funnel. */
const LEADS_PER_CUSTOMER = 8.2;

export function buildWorld(options: WorldOptions): World {
  configureHistory(options.years ?? DEFAULT_HISTORY_YEARS);
  const rng = new Rng(options.seed);
  const scale = options.customers / REFERENCE_CUSTOMERS;
  // Lead demand of this history relative to the default one (1 for the sample).
  const history =
    HISTORY_SHIFT === 0
      ? 1
      : leadDemandBetween(HISTORY_START, END_DAY) / leadDemandBetween(DEFAULT_HISTORY_START, END_DAY);

  // 1. The people in the CRM and the marketing calendar.
  const staff = new Staff(buildUsers(rng.derive('users')));
  const campaigns = buildCampaigns(rng.derive('campaigns'), scale);

  // 2. Leads → deals → new customers.
  const funnel = runFunnel(
    rng.derive('funnel'),
    staff,
    campaigns,
    Math.round(options.customers * LEADS_PER_CUSTOMER * history),
  );

  // 3. Customers from before the funnel make up the requested count.
  const legacy = buildLegacyCustomers(
    rng.derive('legacy'),
    staff,
    Math.max(0, options.customers - Math.round(funnel.wins.length / history)),
  );

  // 4. Every customer's contracts: renewals, expansion deals, churn.
  const lifeRng = rng.derive('lifecycle');
  const subscriptions: Subscription[] = [];
  const opportunities: Opportunity[] = [...funnel.deals];
  for (const customer of legacy) {
    // Prices were lower when they signed; renewals since have raised them.
    const priceLevel = 0.96 ** ((HISTORY_START - customer.acquiredDay) / 365);
    const lines = firstContract(lifeRng, customer.segment, 'Pulse Core', priceLevel);
    const history = liveCustomer(lifeRng, staff, customer, { lines, deal: null });
    subscriptions.push(...history.subscriptions);
    opportunities.push(...history.deals);
  }
  for (const win of funnel.wins) {
    const history = liveCustomer(lifeRng, staff, win.customer, { lines: win.lines, deal: win.deal });
    subscriptions.push(...history.subscriptions);
    opportunities.push(...history.deals);
  }
  const customers = [...legacy, ...funnel.wins.map((w) => w.customer)].sort(
    (a, b) => a.acquiredDay - b.acquiredDay,
  );

  // 5. Referrals point at existing customers; leavers' accounts and open deals are handed over.
  assignReferrers(rng.derive('referrals'), funnel.leads, customers);
  const handover = rng.derive('handover');
  for (const customer of customers) customer.owner = staff.current(handover, customer.owner, END_DAY);
  for (const deal of opportunities)
    if (deal.status === 'open') deal.owner = staff.current(handover, deal.owner, END_DAY);

  // 6. Billing.
  const orders = [
    ...invoiceSubscriptions(rng.derive('billing'), subscriptions),
    ...invoiceImplementations(rng.derive('implementation'), funnel.wins),
  ];

  // 7. Service and satisfaction.
  const tickets = buildTickets(rng.derive('tickets'), staff, customers);
  const surveys = [
    ...buildCaseSurveys(rng.derive('case-surveys'), tickets),
    ...buildNpsSurveys(rng.derive('nps'), customers),
  ];

  // 8. CRM usage.
  const activities = [
    ...dealActivities(rng.derive('deal-activities'), staff, opportunities),
    ...leadActivities(rng.derive('lead-activities'), funnel.leads),
    ...accountActivities(rng.derive('account-activities'), staff, customers),
    ...serviceActivities(rng.derive('service-activities'), tickets),
  ];
  const logins = buildLogins(rng.derive('logins'), staff);

  // 9. Marketing reach and the money spent.
  const touches = buildTouches(rng.derive('touches'), campaigns, funnel.leads, customers);
  const expenses = [
    ...campaignExpenses(campaigns),
    ...operatingExpenses(rng.derive('expenses'), opportunities, scale),
  ];

  return {
    users: staff.users,
    campaigns,
    customers,
    leads: funnel.leads,
    opportunities,
    subscriptions,
    orders,
    touches,
    expenses,
    activities,
    tickets,
    surveys,
    logins,
  };
}
