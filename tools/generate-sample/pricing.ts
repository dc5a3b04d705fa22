// What a contract is worth: list prices by segment with a spread, add-ons priced against the
// core product, yearly price increases at renewal. All money is in cents.

import { ADD_ONS, CORE_PRODUCT, type Product, SEGMENT_PROFILES, type Segment } from './company-profile.ts';
import type { ContractLine } from './model.ts';
import { cents } from './pipeline.ts';
import type { Rng } from './rng.ts';

/** Core MRR of a new customer, to the nearest $10: prices come from a price list. */
export function coreMrr(rng: Rng, segment: Segment, priceLevel = 1): number {
  return cents(
    Math.round((SEGMENT_PROFILES[segment].coreMrr * priceLevel * rng.lognormal(1, 0.45)) / 10) * 10,
  );
}

/** An add-on line, priced as a share of the customer's core MRR, to the nearest $5. */
export function addOnLine(rng: Rng, product: Product, core: number): ContractLine {
  const dollars = Math.round(((core / 100) * product.addOnShare * rng.lognormal(1, 0.25)) / 5) * 5;
  return { product, mrr: cents(Math.max(5, dollars)) };
}

/** The first contract of a new customer: the core product plus the add-ons it wanted. */
export function firstContract(rng: Rng, segment: Segment, interest: string, priceLevel = 1): ContractLine[] {
  const core = coreMrr(rng, segment, priceLevel);
  const lines: ContractLine[] = [{ product: CORE_PRODUCT, mrr: core }];
  for (const addOn of ADD_ONS) {
    const odds = addOn.type === 'service' && segment === 'SMB' ? 0.03 : 0.12;
    if (addOn.name === interest || rng.chance(odds)) lines.push(addOnLine(rng, addOn, core));
  }
  return lines;
}

/** One-off implementation fee in cents (0 when the customer needs none), to the nearest $100. */
export function implementationFee(rng: Rng, segment: Segment): number {
  const { probability, median } = SEGMENT_PROFILES[segment].implementation;
  return rng.chance(probability) ? cents(Math.round((median * rng.lognormal(1, 0.4)) / 100) * 100) : 0;
}

/** Annual contract value: twelve months of recurring revenue. */
export function annualValue(lines: readonly ContractLine[]): number {
  return lines.reduce((sum, line) => sum + 12 * line.mrr, 0);
}

/** Delivery cost of a year of these lines plus a one-off fee. */
export function annualCost(lines: readonly ContractLine[], oneOffFee = 0): number {
  return Math.round(lines.reduce((sum, l) => sum + 12 * l.mrr * l.product.costShare, 0) + oneOffFee * 0.65);
}

/** Renewal price: +2..7 % a year, to the whole dollar. */
export function renewalPrice(rng: Rng, mrr: number): number {
  return Math.round((mrr * rng.uniform(1.02, 1.07)) / 100) * 100;
}

/** Lines of the same product are merged at renewal: the new term has one row per product. */
export function mergeByProduct(lines: readonly ContractLine[]): ContractLine[] {
  const merged = new Map<Product, number>();
  for (const line of lines) merged.set(line.product, (merged.get(line.product) ?? 0) + line.mrr);
  return Array.from(merged, ([product, mrr]) => ({ product, mrr }));
}
