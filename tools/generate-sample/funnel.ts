// The new-business funnel: leads arrive every day (more in Q4, fewer in August, growing),
// some are qualified into deals, the deals walk the stages, and every won deal makes a new
// customer. Lead conversion = leads that became customers ÷ leads.

import {
  anyTimeInstant,
  dayOfInstant,
  END_DAY,
  END_INSTANT,
  growth,
  HISTORY_START,
  isWeekend,
  officeInstant,
  officeInstantAfter,
  seasonality,
} from './calendar.ts';
import { recentCampaign, runningCampaigns } from './campaigns.ts';
import {
  ADD_ONS,
  CORE_PRODUCT,
  type LeadSource,
  SEGMENT_PROFILES,
  SEGMENTS,
  type Segment,
  SOURCE_PROFILES,
} from './company-profile.ts';
import { accountOwnerRoles, createCustomer } from './customers.ts';
import type { Campaign, ContractLine, Customer, Lead, Opportunity, Role } from './model.ts';
import { competition, walkStages } from './pipeline.ts';
import { annualCost, annualValue, firstContract, implementationFee } from './pricing.ts';
import type { Rng } from './rng.ts';
import type { Staff } from './users.ts';

/** A won new-business deal and what the new customer bought. */
export interface WonAccount {
  readonly customer: Customer;
  readonly deal: Opportunity;
  readonly lines: readonly ContractLine[];
  /** One-off implementation fee in cents; 0 when none. */
  readonly implementationFee: number;
}

export interface Funnel {
  readonly leads: Lead[];
  readonly deals: Opportunity[];
  readonly wins: WonAccount[];
}

const WEEKEND_LEADS = 0.22;
const AE_ROLES: Readonly<Record<Segment, Role>> = {
  SMB: 'ae_smb',
  'Mid-Market': 'ae_mid',
  Enterprise: 'ae_enterprise',
};
// Outbound and partners go after larger accounts than the website attracts.
const SEGMENT_MIX: Partial<Record<LeadSource, Record<Segment, number>>> = {
  outbound: { SMB: 0.45, 'Mid-Market': 0.38, Enterprise: 0.17 },
  partner: { SMB: 0.5, 'Mid-Market': 0.35, Enterprise: 0.15 },
};
const DEFAULT_MIX = Object.fromEntries(SEGMENTS.map((s) => [s, SEGMENT_PROFILES[s].leadShare])) as Record<
  Segment,
  number
>;
const SOURCE_SHARES = Object.fromEntries(
  Object.entries(SOURCE_PROFILES).map(([source, p]) => [source, p.share]),
) as Record<LeadSource, number>;

/** Relative demand for leads on a day: growth, season, fewer at weekends. */
const leadDemand = (day: number) => growth(day) * seasonality(day) * (isWeekend(day) ? WEEKEND_LEADS : 1);

/** Total lead demand over the days from `from` to `to` inclusive. */
export function leadDemandBetween(from: number, to: number): number {
  let total = 0;
  for (let day = from; day <= to; day++) total += leadDemand(day);
  return total;
}

export function runFunnel(
  rng: Rng,
  staff: Staff,
  campaigns: readonly Campaign[],
  totalLeads: number,
): Funnel {
  const funnel: Funnel = { leads: [], deals: [], wins: [] };
  // Spread the requested number of leads over the days in proportion to demand.
  const totalDemand = leadDemandBetween(HISTORY_START, END_DAY);
  for (let day = HISTORY_START; day <= END_DAY; day++) {
    const count = rng.poisson((totalLeads * leadDemand(day)) / totalDemand);
    for (let i = 0; i < count; i++) addLead(rng, staff, campaigns, day, funnel);
  }
  return funnel;
}

function leadCampaign(
  rng: Rng,
  campaigns: readonly Campaign[],
  source: LeadSource,
  day: number,
): Campaign | null {
  if (source === 'paid_search')
    return rng.chance(0.93) ? pickOne(rng, runningCampaigns(campaigns, 'paid_search', day)) : null;
  if (source === 'event') return rng.chance(0.8) ? recentCampaign(campaigns, 'event', day, 14) : null;
  if (source === 'web' && rng.chance(0.45)) {
    const channel = rng.weighted({ email: 0.4, content: 0.35, social: 0.25 } as const);
    return recentCampaign(campaigns, channel, day, 10);
  }
  return null;
}

function pickOne<T>(rng: Rng, items: readonly T[]): T | null {
  return items.length > 0 ? rng.pick(items) : null;
}

function addLead(rng: Rng, staff: Staff, campaigns: readonly Campaign[], day: number, funnel: Funnel): void {
  const source = rng.weighted(SOURCE_SHARES);
  const segment = rng.weighted(SEGMENT_MIX[source] ?? DEFAULT_MIX);
  const interest = rng.chance(0.8) ? CORE_PRODUCT : rng.pick(ADD_ONS);
  const createdAt =
    source === 'web' || source === 'paid_search' ? anyTimeInstant(rng, day) : officeInstant(rng, day);
  const lead: Lead = {
    id: '',
    createdAt,
    source,
    campaign: leadCampaign(rng, campaigns, source, day),
    product: interest.name,
    owner: staff.pick(rng, ['sdr'], day),
    segment,
    status: 'open',
    qualifiedAt: null,
    disqualifiedAt: null,
    convertedAt: null,
    customer: null,
    referredBy: null,
  };
  funnel.leads.push(lead);
  // A few leads are never worked at all and stay open.
  if (rng.chance(0.02)) return;
  const profile = SOURCE_PROFILES[source];
  if (!rng.chance(profile.qualifyRate * (segment === 'Enterprise' ? 0.9 : 1))) {
    if (rng.chance(0.55)) {
      const at = officeInstantAfter(rng, createdAt, rng.lognormal(4, 0.8));
      if (at <= END_INSTANT) {
        lead.status = 'disqualified';
        lead.disqualifiedAt = at;
      }
    } else if (createdAt + 30 * 86_400 <= END_INSTANT) {
      // No answer after a month of outreach: abandoned, with no status time of its own.
      lead.status = 'abandoned';
    }
    return;
  }
  const qualifiedAt = officeInstantAfter(rng, createdAt, rng.lognormal(2.5, 0.8));
  if (qualifiedAt > END_INSTANT) return;
  lead.status = 'qualified';
  lead.qualifiedAt = qualifiedAt;
  const dealCreatedAt = officeInstantAfter(rng, qualifiedAt, rng.uniform(0, 2));
  if (dealCreatedAt > END_INSTANT) return;
  addDeal(rng, staff, lead, dealCreatedAt, funnel);
}

function addDeal(rng: Rng, staff: Staff, lead: Lead, createdAt: number, funnel: Funnel): void {
  const segment = lead.segment;
  const profile = SEGMENT_PROFILES[segment];
  const source = SOURCE_PROFILES[lead.source];
  const owner = staff.pick(rng, [AE_ROLES[segment]], dayOfInstant(createdAt));
  const winProbability = Math.min(0.7, profile.winRate * source.winFactor * owner.skill ** 1.5);
  const outcome = rng.chance(winProbability) ? 'won' : rng.chance(0.03) ? 'stalled' : 'lost';
  const channelPace = lead.source === 'outbound' ? 1.15 : lead.source === 'referral' ? 0.85 : 1;
  const cycleDays = (profile.cycleDays * channelPace * rng.lognormal(1, 0.3)) / Math.sqrt(owner.skill);
  const path = walkStages(rng, createdAt, cycleDays, outcome);
  const lines = firstContract(rng, segment, lead.product);
  const oneOffFee = implementationFee(rng, segment);
  const planned = annualValue(lines) + oneOffFee;
  const cost = annualCost(lines, oneOffFee);
  // Lost deals were often sized optimistically, and some never got an amount at all.
  const amount =
    path.status === 'won'
      ? planned
      : path.status === 'open' || rng.chance(0.92)
        ? Math.round(planned * rng.uniform(0.9, 1.3))
        : null;
  const { competitor, lossReason } = competition(rng, path.status, segment === 'SMB' ? 0.3 : 0.5);
  const closeDay = path.closedAt === null ? null : dayOfInstant(path.closedAt);
  const deal: Opportunity = {
    id: '',
    account: null,
    lead,
    owner: closeDay === null ? owner : staff.current(rng, owner, closeDay),
    product: lead.product,
    kind: 'new_business',
    channel: source.dealChannel,
    amount,
    cost: path.status === 'lost' ? null : cost,
    createdAt,
    closedAt: path.closedAt,
    status: path.status,
    stages: path.stages,
    lossReason,
    competitor,
    segment,
  };
  funnel.deals.push(deal);
  if (path.status !== 'won' || closeDay === null) return;
  const customer = createCustomer(rng, {
    segment,
    acquisitionChannel: source.acquisitionChannel,
    acquiredDay: closeDay,
    owner: segment === 'SMB' ? deal.owner : staff.pick(rng, accountOwnerRoles(segment), closeDay),
    origin: deal,
    healthBias: lead.source === 'referral' ? 0.3 : 0,
  });
  deal.account = customer;
  lead.status = 'converted';
  lead.convertedAt = path.closedAt;
  lead.customer = customer;
  funnel.wins.push({ customer, deal, lines, implementationFee: oneOffFee });
}
