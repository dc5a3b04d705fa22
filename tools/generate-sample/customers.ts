// Customer accounts: those already on the books when the funnel starts (acquired since 2018,
// still active then) and those the funnel wins. Their churn is decided later, by their
// subscriptions.

import { dayOf, HISTORY_SHIFT, HISTORY_START } from './calendar.ts';
import {
  INDUSTRIES,
  LEGACY_CHANNELS,
  REGIONS,
  SEGMENT_PROFILES,
  SEGMENTS,
  type Segment,
} from './company-profile.ts';
import type { Customer, Lead, Opportunity, Role, User } from './model.ts';
import { companyName, contactData } from './names.ts';
import type { Rng } from './rng.ts';
import type { Staff } from './users.ts';

export interface NewCustomer {
  readonly segment: Segment;
  readonly acquisitionChannel: string;
  readonly acquiredDay: number;
  readonly owner: User;
  readonly origin: Opportunity | null;
  /** Added to the standard-normal health: referred customers start happier. */
  readonly healthBias?: number;
}

export function createCustomer(rng: Rng, spec: NewCustomer): Customer {
  const name = companyName(rng);
  const region = rng.weighted(REGIONS);
  const contact = contactData(rng, name, region);
  return {
    id: '',
    name,
    email: contact.email,
    phone: contact.phone,
    segment: spec.segment,
    region,
    industry: rng.weighted(INDUSTRIES),
    acquisitionChannel: spec.acquisitionChannel,
    owner: spec.owner,
    acquiredDay: spec.acquiredDay,
    churnedDay: null,
    health: rng.normal(spec.healthBias ?? 0, 1),
    origin: spec.origin,
  };
}

/** Small accounts stay with the rep who won them; larger ones get an account manager. */
export function accountOwnerRoles(segment: Segment): Role[] {
  return segment === 'SMB' ? ['ae_smb'] : ['account_manager'];
}

const LEGACY_FROM = dayOf('2018-01-01');
/** Growth of the surviving customer base per year: later cohorts are larger and have churned less. */
const LEGACY_GROWTH = 0.35;

/**
 * Acquisition day of a customer from before the funnel, with a density rising exponentially
 * towards the funnel's start (inverse-CDF sampling), so every calendar month is represented.
 */
function legacyAcquisitionDay(rng: Rng): number {
  // A longer history moves the oldest customers back as far.
  const from = LEGACY_FROM - HISTORY_SHIFT;
  const years = (HISTORY_START - from) / 365;
  const t = Math.log(1 + rng.next() * Math.expm1(LEGACY_GROWTH * years)) / LEGACY_GROWTH;
  return Math.min(HISTORY_START - 1, from + Math.floor(t * 365));
}

export function buildLegacyCustomers(rng: Rng, staff: Staff, count: number): Customer[] {
  const segmentShares = Object.fromEntries(
    SEGMENTS.map((s) => [s, SEGMENT_PROFILES[s].legacyShare]),
  ) as Record<Segment, number>;
  const customers: Customer[] = [];
  for (let i = 0; i < count; i++) {
    const acquiredDay = legacyAcquisitionDay(rng);
    const segment = rng.weighted(segmentShares);
    customers.push(
      createCustomer(rng, {
        segment,
        acquisitionChannel: rng.weighted(LEGACY_CHANNELS),
        acquiredDay,
        // The account's owner today; who owned it back then is not in the export.
        owner: staff.pick(rng, accountOwnerRoles(segment), HISTORY_START),
        origin: null,
        healthBias: 0.2,
      }),
    );
  }
  return customers;
}

/** Active on `day` in the sense of the KPI catalog: acquired before it, not churned before it. */
export function isCustomerOn(customer: Customer, day: number): boolean {
  return customer.acquiredDay < day && (customer.churnedDay === null || customer.churnedDay >= day);
}

/**
 * Referral leads name the customer who referred them: an active one, more often a happy one.
 * `customers` must be sorted by acquisition day.
 */
export function assignReferrers(rng: Rng, leads: readonly Lead[], customers: readonly Customer[]): void {
  for (const lead of leads) {
    if (lead.source !== 'referral') continue;
    const day = Math.floor(lead.createdAt / 86_400);
    const acquiredBefore = countAcquiredBefore(customers, day);
    for (let attempt = 0; attempt < 50 && acquiredBefore > 0; attempt++) {
      const candidate = customers[rng.int(0, acquiredBefore - 1)] as Customer;
      if (isCustomerOn(candidate, day) && rng.chance(1 / (1 + Math.exp(-candidate.health)))) {
        lead.referredBy = candidate;
        break;
      }
    }
  }
}

/** Number of customers (sorted by acquisition day) acquired before `day`: a binary search. */
function countAcquiredBefore(customers: readonly Customer[], day: number): number {
  let lo = 0;
  let hi = customers.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((customers[mid] as Customer).acquiredDay < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
