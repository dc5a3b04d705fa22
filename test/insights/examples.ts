// Constructed inputs shared by the insights tests, with their answers worked out by hand.

import type { RatioSegmentInput } from '../../lib/insights/decompose.ts';

export const seg = (key: string, numerator: number, denominator: number): RatioSegmentInput => ({
  key,
  numerator,
  denominator,
});

// The issue's example: close rate fell 4.1 points to 24.3 %, −2.9 points from lower win rates in
// Enterprise, −1.2 points from a shift of deals toward SMB. Built backwards, 20,000 closed deals
// in each period:
//   Enterprise  d 4,000 → 4,000 (w 0.2 → 0.2)   won 2,184 → 1,604   r 0.546 → 0.401
//   Mid-market  d 10,000 → 8,000 (w 0.5 → 0.4)  won 2,635 → 2,108   r 0.2635 → 0.2635
//   SMB         d 6,000 → 8,000 (w 0.3 → 0.4)   won 861 → 1,148     r 0.1435 → 0.1435
//   R0 = 5,680 / 20,000 = 0.284, R1 = 4,860 / 20,000 = 0.243, ΔR = −0.041, R̄ = 0.2635.
//   rate: Enterprise 0.2 × (0.401 − 0.546) = −0.029; the others' rates do not move → 0.
//   mix:  Enterprise Δw = 0 → 0; SMB 0.1 × (0.1435 − 0.2635) = −0.012;
//         Mid-market −0.1 × (0.2635 − 0.2635) = 0 (a shift away from an average segment is neutral).
//   −0.029 + −0.012 = −0.041 = ΔR.
export const ISSUE_PREVIOUS = [
  seg('Enterprise', 2184, 4000),
  seg('Mid-market', 2635, 10000),
  seg('SMB', 861, 6000),
];
export const ISSUE_CURRENT = [
  seg('Enterprise', 1604, 4000),
  seg('Mid-market', 2108, 8000),
  seg('SMB', 1148, 8000),
];
