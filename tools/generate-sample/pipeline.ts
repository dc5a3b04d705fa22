// How one deal moves through the stages. Every kind of deal (new business, expansion,
// renewal) uses this: it walks prospecting → qualification → proposal → negotiation, a won
// deal closes at the end of negotiation, a lost one drops out in some stage, and a deal that
// has not finished by the end of the data is still open in the stage it has reached.

import { END_INSTANT, isWeekend, SECONDS_PER_DAY } from './calendar.ts';
import { COMPETITORS, LOSS_REASONS, STAGES } from './company-profile.ts';
import type { StageVisit } from './model.ts';
import type { Rng } from './rng.ts';

export type DealOutcome = 'won' | 'lost' | 'stalled';

export interface DealPath {
  readonly status: 'open' | 'won' | 'lost';
  readonly closedAt: number | null;
  readonly stages: StageVisit[];
}

/** Pushes a weekend instant to Monday, same time of day: nobody moves deals on Sundays. */
function onWorkday(instant: number): number {
  let t = instant;
  while (isWeekend(Math.floor(t / SECONDS_PER_DAY))) t += SECONDS_PER_DAY;
  return t;
}

/**
 * The stage history of a deal created at `createdAt` whose won path takes about `cycleDays`.
 * `firstStage` lets expansion and renewal deals skip prospecting.
 */
export function walkStages(
  rng: Rng,
  createdAt: number,
  cycleDays: number,
  outcome: DealOutcome,
  firstStage = 0,
): DealPath {
  const stages = STAGES.slice(firstStage);
  const shareLeft = stages.reduce((sum, s) => sum + s.cycleShare, 0);
  // A lost deal drops out in a stage drawn from the shares observed in B2B funnels.
  const lastIndex =
    outcome === 'won' ? stages.length - 1 : stages.indexOf(rng.pickWeighted(stages, (s) => s.lostShare));
  const visits: StageVisit[] = [];
  let t = createdAt;
  for (let i = 0; i <= lastIndex; i++) {
    const spec = stages[i];
    if (!spec) break;
    const share = spec.cycleShare / shareLeft;
    let days = cycleDays * share * rng.lognormal(1, 0.35);
    if (i === lastIndex && outcome !== 'won') days *= rng.uniform(0.4, 1.6);
    const exit = onWorkday(t + Math.max(3_600, Math.round(days * SECONDS_PER_DAY)));
    const stalled = outcome === 'stalled' && i === lastIndex;
    if (exit > END_INSTANT || stalled) {
      visits.push({ stage: spec.name, enteredAt: t, exitedAt: null });
      return { status: 'open', closedAt: null, stages: visits };
    }
    visits.push({ stage: spec.name, enteredAt: t, exitedAt: exit });
    t = exit;
  }
  return { status: outcome === 'won' ? 'won' : 'lost', closedAt: t, stages: visits };
}

export interface Competition {
  readonly competitor: string | null;
  readonly lossReason: string | null;
}

/** Who the deal was up against, and why it was lost. A loss to a competitor always names one. */
export function competition(rng: Rng, status: DealPath['status'], competitorShare: number): Competition {
  if (status === 'lost') {
    const lossReason = rng.weighted(LOSS_REASONS);
    const named = lossReason === 'competitor' || rng.chance(competitorShare * 0.8);
    return { competitor: named ? rng.weighted(COMPETITORS) : null, lossReason };
  }
  // Won deals meet competitors less often than lost ones: that is why they were won.
  const share = status === 'won' ? competitorShare * 0.85 : competitorShare;
  return { competitor: rng.chance(share) ? rng.weighted(COMPETITORS) : null, lossReason: null };
}

/** Money in cents from an amount in dollars. */
export function cents(dollars: number): number {
  return Math.max(0, Math.round(dollars * 100));
}
