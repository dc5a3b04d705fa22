// Deals with existing customers: upsells (more of what they have), cross-sells (an add-on
// they do not have yet) and, for Enterprise accounts, the renewal negotiated as a deal.
// They are shorter than new business and won more often, which is why close rate must be
// read by kind as well as overall.

import {
  dayOfInstant,
  END_INSTANT,
  HISTORY_START,
  nextWorkday,
  officeInstant,
  SECONDS_PER_DAY,
} from './calendar.ts';
import {
  ADD_ONS,
  COMPETITORS,
  EXPANSION_CHANNEL,
  SEGMENT_PROFILES,
  STAGES,
  type StageName,
} from './company-profile.ts';
import type { ContractLine, Customer, Opportunity, StageVisit } from './model.ts';
import { competition, walkStages } from './pipeline.ts';
import { addOnLine, annualCost, annualValue } from './pricing.ts';
import type { Rng } from './rng.ts';
import type { Staff } from './users.ts';

export interface Expansion {
  readonly deal: Opportunity;
  /** What the customer adds if the deal is won. */
  readonly line: ContractLine;
}

/** An upsell or cross-sell opened on `day` with a customer that owns `owned`. */
export function expansionDeal(
  rng: Rng,
  staff: Staff,
  customer: Customer,
  day: number,
  owned: readonly ContractLine[],
): Expansion {
  const core = owned[0]?.mrr ?? 0;
  const missing = ADD_ONS.filter((p) => !owned.some((l) => l.product === p));
  const crossSell = missing.length > 0 && rng.chance(0.55);
  let line: ContractLine;
  if (crossSell) line = addOnLine(rng, rng.pick(missing), core);
  else {
    const base = rng.pick(owned);
    line = {
      product: base.product,
      mrr: Math.max(500, Math.round((base.mrr * rng.uniform(0.15, 0.5)) / 100) * 100),
    };
  }
  const owner = staff.current(rng, customer.owner, day);
  const happiness = Math.max(-1, Math.min(1, customer.health));
  const winRate = (crossSell ? 0.4 : 0.5) * (1 + 0.2 * happiness) * owner.skill;
  const outcome = rng.chance(winRate) ? 'won' : 'lost';
  const createdAt = officeInstant(rng, nextWorkday(day));
  const cycleDays = SEGMENT_PROFILES[customer.segment].cycleDays * 0.55 * rng.lognormal(1, 0.3);
  const path = walkStages(rng, createdAt, cycleDays, outcome, 1);
  const value = annualValue([line]);
  const { competitor, lossReason } = competition(rng, path.status, 0.12);
  const deal: Opportunity = {
    id: '',
    account: customer,
    lead: null,
    owner,
    product: line.product.name,
    kind: crossSell ? 'cross_sell' : 'upsell',
    channel: EXPANSION_CHANNEL,
    amount: path.status === 'lost' && rng.chance(0.1) ? null : value,
    cost: path.status === 'lost' ? null : annualCost([line]),
    createdAt,
    closedAt: path.closedAt,
    status: path.status,
    stages: path.stages,
    lossReason,
    competitor,
    segment: customer.segment,
  };
  return { deal, line };
}

const RENEWAL_LOSS_REASONS = {
  price: 0.3,
  budget: 0.2,
  product_fit: 0.2,
  competitor: 0.15,
  no_decision: 0.15,
};

/**
 * The renewal negotiation of a term ending on `termEnd`: opened two to three months before,
 * closed in the last weeks of the term. `renews` is the customer's decision; the deal only
 * shows it once it has closed.
 */
export function renewalDeal(
  rng: Rng,
  staff: Staff,
  customer: Customer,
  termEnd: number,
  nextLines: readonly ContractLine[],
  renews: boolean,
): Opportunity | null {
  const createdAt = officeInstant(rng, nextWorkday(termEnd - rng.int(60, 95)));
  // The CRM's history starts with the funnel: no deals from before it.
  if (createdAt > END_INSTANT || createdAt < HISTORY_START * SECONDS_PER_DAY) return null;
  let closeAt = officeInstant(rng, nextWorkday(termEnd - rng.int(3, 24)));
  if (closeAt <= createdAt) closeAt = createdAt + 7 * SECONDS_PER_DAY;
  const proposal: StageName = STAGES[2].name;
  const negotiation: StageName = STAGES[3].name;
  const switchAt = createdAt + Math.round((closeAt - createdAt) * rng.uniform(0.35, 0.7));
  const lostInProposal = !renews && rng.chance(0.4);
  const closed = closeAt <= END_INSTANT;
  const stages: StageVisit[] = [];
  if (lostInProposal)
    stages.push({ stage: proposal, enteredAt: createdAt, exitedAt: closed ? closeAt : null });
  else {
    stages.push({
      stage: proposal,
      enteredAt: createdAt,
      exitedAt: switchAt <= END_INSTANT ? switchAt : null,
    });
    if (switchAt <= END_INSTANT)
      stages.push({ stage: negotiation, enteredAt: switchAt, exitedAt: closed ? closeAt : null });
  }
  const status = closed ? (renews ? 'won' : 'lost') : 'open';
  const owner = staff.current(rng, customer.owner, dayOfInstant(Math.min(closeAt, END_INSTANT)));
  const lossReason = status === 'lost' ? rng.weighted(RENEWAL_LOSS_REASONS) : null;
  return {
    id: '',
    account: customer,
    lead: null,
    owner,
    product: nextLines[0]?.product.name ?? 'Pulse Core',
    kind: 'renewal',
    channel: EXPANSION_CHANNEL,
    amount: annualValue(nextLines),
    cost: status === 'lost' ? null : annualCost(nextLines),
    createdAt,
    closedAt: closed ? closeAt : null,
    status,
    stages,
    lossReason,
    competitor:
      lossReason === 'competitor' || (status === 'won' && rng.chance(0.1)) ? rng.weighted(COMPETITORS) : null,
    segment: customer.segment,
  };
}
