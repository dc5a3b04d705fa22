// The simulated world, before it becomes table rows. Entities refer to each other by object,
// not by id: ids are handed out at the end, in time order, so they read chronologically.
// Days and instants are the integers of calendar.ts; money is in whole cents.

import type { LeadSource, Product, Segment, StageName } from './company-profile.ts';

export type Team = 'sales' | 'marketing' | 'service';
export type Role =
  | 'sales_manager'
  | 'sdr'
  | 'ae_smb'
  | 'ae_mid'
  | 'ae_enterprise'
  | 'account_manager'
  | 'marketing_manager'
  | 'marketer'
  | 'service_manager'
  | 'agent';

export interface User {
  id: string;
  readonly name: string;
  readonly team: Team;
  readonly role: Role;
  /** Around 1: above wins more deals and closes them faster. */
  readonly skill: number;
  /** Probability of opening the CRM on a working day. */
  readonly adoption: number;
  readonly activeFrom: number;
  readonly activeTo: number | null;
}

export interface Campaign {
  id: string;
  readonly name: string;
  readonly channel: 'email' | 'paid_search' | 'social' | 'event' | 'content';
  readonly startDay: number;
  /** May lie after the end of the data: the campaign is still running. */
  readonly endDay: number;
  /** Total spend in cents, booked as expenses while the campaign runs. */
  readonly budget: number;
}

export type LeadStatus = 'open' | 'qualified' | 'disqualified' | 'converted' | 'abandoned';

export interface Lead {
  id: string;
  readonly createdAt: number;
  readonly source: LeadSource;
  readonly campaign: Campaign | null;
  readonly product: string;
  readonly owner: User;
  readonly segment: Segment;
  status: LeadStatus;
  qualifiedAt: number | null;
  disqualifiedAt: number | null;
  convertedAt: number | null;
  customer: Customer | null;
  referredBy: Customer | null;
}

export type OpportunityKind = 'new_business' | 'upsell' | 'cross_sell' | 'renewal';

export interface StageVisit {
  readonly stage: StageName;
  readonly enteredAt: number;
  readonly exitedAt: number | null;
}

export interface Opportunity {
  id: string;
  /** The customer account; null for a prospect that never became a customer. */
  account: Customer | null;
  readonly lead: Lead | null;
  owner: User;
  readonly product: string;
  readonly kind: OpportunityKind;
  readonly channel: string;
  readonly amount: number | null;
  readonly cost: number | null;
  readonly createdAt: number;
  readonly closedAt: number | null;
  readonly status: 'open' | 'won' | 'lost';
  readonly stages: readonly StageVisit[];
  readonly lossReason: string | null;
  readonly competitor: string | null;
  readonly segment: Segment;
}

export interface Customer {
  id: string;
  readonly name: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly segment: Segment;
  readonly region: string;
  readonly industry: string;
  readonly acquisitionChannel: string;
  owner: User;
  readonly acquiredDay: number;
  churnedDay: number | null;
  /** Latent satisfaction, standard normal: drives churn, NPS and ticket volume together. */
  readonly health: number;
  /** The won deal that made it a customer; null for customers from before the funnel. */
  readonly origin: Opportunity | null;
}

export interface Subscription {
  id: string;
  readonly customer: Customer;
  readonly product: Product;
  readonly mrr: number;
  readonly startDay: number;
  readonly endDay: number;
  cancelledDay: number | null;
  renewed: boolean | null;
  /** The won deal that created or renewed it: its first invoice links to it. */
  readonly deal: Opportunity | null;
}

export interface Order {
  id: string;
  readonly customer: Customer;
  readonly orderedAt: number;
  readonly product: string;
  readonly amount: number;
  readonly cost: number | null;
  readonly deal: Opportunity | null;
}

export interface Touch {
  readonly campaign: Campaign;
  readonly lead: Lead | null;
  readonly customer: Customer | null;
  readonly touchedAt: number;
  readonly response: 'none' | 'open' | 'click' | 'reply' | 'purchase';
}

export interface Expense {
  readonly day: number;
  readonly category: 'marketing' | 'sales' | 'service' | 'retention';
  readonly campaign: Campaign | null;
  readonly amount: number;
}

export interface Activity {
  id: string;
  readonly user: User;
  readonly kind: 'call' | 'email' | 'meeting' | 'note';
  readonly occurredAt: number;
  readonly opportunity: Opportunity | null;
  readonly customer: Customer | null;
  readonly lead: Lead | null;
}

export interface Ticket {
  id: string;
  readonly customer: Customer;
  readonly createdAt: number;
  readonly channel: 'phone' | 'email' | 'chat' | 'web';
  readonly category: string;
  readonly priority: 'low' | 'normal' | 'high' | 'urgent';
  readonly assignee: User;
  readonly firstResponseAt: number | null;
  readonly resolvedAt: number | null;
  readonly contacts: number | null;
  readonly reopened: boolean;
}

export interface SurveyResponse {
  id: string;
  readonly customer: Customer;
  readonly ticket: Ticket | null;
  readonly kind: 'nps' | 'csat' | 'ces';
  readonly score: number;
  readonly respondedAt: number;
}

export interface Login {
  readonly user: User;
  readonly loggedInAt: number;
}

export interface Target {
  readonly kpi: string;
  readonly periodStart: number;
  readonly target: number;
}

/** One product line of a contract: what a subscription row will carry. */
export interface ContractLine {
  readonly product: Product;
  /** Monthly recurring revenue in cents. */
  readonly mrr: number;
}
