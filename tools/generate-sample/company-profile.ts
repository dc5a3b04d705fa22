// Northwind Analytics: who the sample company sells to, what it sells and how its customers
// behave. The numbers here are the knobs behind the KPI shape of the sample (close rate,
// churn, cycle length...); they are chosen to land in ranges typical of a B2B SaaS firm.

export const COMPANY_NAME = 'Northwind Analytics';

export type Segment = 'SMB' | 'Mid-Market' | 'Enterprise';
export const SEGMENTS: readonly Segment[] = ['SMB', 'Mid-Market', 'Enterprise'];

export interface SegmentProfile {
  /** Share of new leads from this segment. */
  readonly leadShare: number;
  /** Share of the customers already on the books when the funnel starts (survivors skew large). */
  readonly legacyShare: number;
  /** Win probability of a new-business deal before source and rep effects. */
  readonly winRate: number;
  /** Median days from opportunity to won deal. */
  readonly cycleDays: number;
  /** Median MRR of the core product for a new customer. */
  readonly coreMrr: number;
  /** Contract term lengths in months and their weights. */
  readonly termMonths: Readonly<Record<'12' | '24' | '36', number>>;
  /** Months between invoices. */
  readonly billingMonths: number;
  /** Probability that a customer does not renew at the end of a term. */
  readonly nonRenewal: number;
  /** Monthly probability of cancelling in the middle of a term (closure, non-payment). */
  readonly midTermCancel: number;
  /** Expansion opportunities per customer and year. */
  readonly expansionsPerYear: number;
  /** Renewals negotiated as a renewal opportunity (the rest renew automatically). */
  readonly renewalDeals: boolean;
  /** Tickets per customer and month. */
  readonly ticketsPerMonth: number;
  /** Probability and median amount of a one-off implementation order. */
  readonly implementation: { readonly probability: number; readonly median: number };
}

export const SEGMENT_PROFILES: Readonly<Record<Segment, SegmentProfile>> = {
  SMB: {
    leadShare: 0.64,
    legacyShare: 0.52,
    winRate: 0.25,
    cycleDays: 21,
    coreMrr: 290,
    termMonths: { '12': 1, '24': 0, '36': 0 },
    billingMonths: 1,
    nonRenewal: 0.3,
    midTermCancel: 0.004,
    expansionsPerYear: 0.25,
    renewalDeals: false,
    ticketsPerMonth: 0.24,
    implementation: { probability: 0.3, median: 900 },
  },
  'Mid-Market': {
    leadShare: 0.27,
    legacyShare: 0.33,
    winRate: 0.22,
    cycleDays: 42,
    coreMrr: 1_450,
    termMonths: { '12': 0.8, '24': 0.2, '36': 0 },
    billingMonths: 3,
    nonRenewal: 0.15,
    midTermCancel: 0.0015,
    expansionsPerYear: 0.6,
    renewalDeals: false,
    ticketsPerMonth: 0.5,
    implementation: { probability: 0.7, median: 6_000 },
  },
  Enterprise: {
    leadShare: 0.09,
    legacyShare: 0.15,
    winRate: 0.19,
    cycleDays: 72,
    coreMrr: 6_800,
    termMonths: { '12': 0.5, '24': 0.3, '36': 0.2 },
    billingMonths: 12,
    nonRenewal: 0.09,
    midTermCancel: 0.0004,
    expansionsPerYear: 0.9,
    renewalDeals: true,
    ticketsPerMonth: 1.1,
    implementation: { probability: 1, median: 28_000 },
  },
};

export type LeadSource = 'web' | 'paid_search' | 'referral' | 'event' | 'outbound' | 'partner';

export interface SourceProfile {
  readonly share: number;
  /** Probability that a lead from this source is qualified into an opportunity. */
  readonly qualifyRate: number;
  /** Multiplier on the segment win rate. */
  readonly winFactor: number;
  /** customers.acquisition_channel of the customers it produces. */
  readonly acquisitionChannel: string;
  /** opportunities.channel of its deals. */
  readonly dealChannel: string;
}

export const SOURCE_PROFILES: Readonly<Record<LeadSource, SourceProfile>> = {
  web: { share: 0.3, qualifyRate: 0.33, winFactor: 1, acquisitionChannel: 'organic', dealChannel: 'inbound' },
  paid_search: {
    share: 0.22,
    qualifyRate: 0.25,
    winFactor: 0.85,
    acquisitionChannel: 'paid',
    dealChannel: 'inbound',
  },
  referral: {
    share: 0.09,
    qualifyRate: 0.58,
    winFactor: 1.45,
    acquisitionChannel: 'referral',
    dealChannel: 'referral',
  },
  event: { share: 0.1, qualifyRate: 0.36, winFactor: 1, acquisitionChannel: 'event', dealChannel: 'event' },
  outbound: {
    share: 0.19,
    qualifyRate: 0.26,
    winFactor: 0.8,
    acquisitionChannel: 'outbound',
    dealChannel: 'outbound',
  },
  partner: {
    share: 0.1,
    qualifyRate: 0.42,
    winFactor: 1.15,
    acquisitionChannel: 'partner',
    dealChannel: 'partner',
  },
};

export const EXPANSION_CHANNEL = 'account_management';

export type ProductType = 'product' | 'service';

export interface Product {
  readonly name: string;
  readonly type: ProductType;
  /** Delivery cost as a share of revenue (gross margin = 1 - costShare). */
  readonly costShare: number;
  /** MRR of an add-on as a share of the customer's core MRR; 0 for the core and one-offs. */
  readonly addOnShare: number;
}

export const CORE_PRODUCT: Product = { name: 'Pulse Core', type: 'product', costShare: 0.17, addOnShare: 0 };
export const ADD_ONS: readonly Product[] = [
  { name: 'Pulse Insights', type: 'product', costShare: 0.22, addOnShare: 0.35 },
  { name: 'Pulse Connect', type: 'product', costShare: 0.26, addOnShare: 0.2 },
  { name: 'Managed Analytics', type: 'service', costShare: 0.58, addOnShare: 0.45 },
];
/** One-off work billed once, never a subscription. */
export const IMPLEMENTATION: Product = {
  name: 'Implementation Services',
  type: 'service',
  costShare: 0.65,
  addOnShare: 0,
};

export const REGIONS: Readonly<Record<string, number>> = {
  'North America': 0.46,
  EMEA: 0.32,
  APAC: 0.14,
  LATAM: 0.08,
};

export const INDUSTRIES: Readonly<Record<string, number>> = {
  Software: 0.2,
  'Financial Services': 0.14,
  Retail: 0.13,
  Manufacturing: 0.12,
  Healthcare: 0.1,
  'Professional Services': 0.11,
  Logistics: 0.08,
  Education: 0.06,
  Media: 0.06,
};

export const LEGACY_CHANNELS: Readonly<Record<string, number>> = {
  organic: 0.3,
  paid: 0.17,
  referral: 0.15,
  partner: 0.12,
  outbound: 0.16,
  event: 0.1,
};

export const COMPETITORS: Readonly<Record<string, number>> = {
  Metricly: 0.32,
  'Lumen BI': 0.26,
  Quantiva: 0.2,
  ChartHouse: 0.14,
  'Spreadsheet (status quo)': 0.08,
};

export const LOSS_REASONS: Readonly<Record<string, number>> = {
  price: 0.24,
  competitor: 0.22,
  no_decision: 0.26,
  timing: 0.12,
  product_fit: 0.1,
  budget: 0.06,
};

/** Stages every deal walks through, with the share of the cycle a won deal spends in each. */
export const STAGES = [
  { name: 'prospecting', cycleShare: 0.14, lostShare: 0.24 },
  { name: 'qualification', cycleShare: 0.24, lostShare: 0.33 },
  { name: 'proposal', cycleShare: 0.36, lostShare: 0.27 },
  { name: 'negotiation', cycleShare: 0.26, lostShare: 0.16 },
] as const;
export type StageName = (typeof STAGES)[number]['name'];
