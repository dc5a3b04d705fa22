// Survey answers. After a resolved ticket some customers rate it (CSAT 1-5, or CES 1-7 for
// "how easy was it"): slow, reopened, many-contact cases score worse. Twice a year every
// customer is asked the NPS question (0-10); healthy customers answer higher, and the
// detractors are the ones who churn later.

import {
  END_DAY,
  END_INSTANT,
  officeInstant,
  SECONDS_PER_DAY,
  SECONDS_PER_HOUR,
  WINDOW_START,
} from './calendar.ts';
import type { Customer, SurveyResponse, Ticket } from './model.ts';
import type { Rng } from './rng.ts';

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

export function buildCaseSurveys(rng: Rng, tickets: readonly Ticket[]): SurveyResponse[] {
  const responses: SurveyResponse[] = [];
  for (const ticket of tickets) {
    if (ticket.resolvedAt === null) continue;
    const kind = rng.chance(0.3) ? 'csat' : rng.chance(0.1) ? 'ces' : null;
    if (kind === null) continue;
    const respondedAt = ticket.resolvedAt + Math.round(rng.lognormal(5, 1.2) * SECONDS_PER_HOUR);
    if (respondedAt > END_INSTANT) continue;
    const contacts = (ticket.contacts ?? 1) - 1;
    const days = (ticket.resolvedAt - ticket.createdAt) / SECONDS_PER_DAY;
    const experience =
      0.6 * ticket.customer.health - 0.9 * Number(ticket.reopened) - 0.3 * contacts - 0.25 * Math.log1p(days);
    const score =
      kind === 'csat'
        ? csatScore(rng, experience)
        : Math.round(clamp(5.3 + experience + rng.normal(0, 1.1), 1, 7));
    responses.push({ id: '', customer: ticket.customer, ticket, kind, score, respondedAt });
  }
  return responses;
}

function csatScore(rng: Rng, experience: number): number {
  const satisfied = rng.chance(1 / (1 + Math.exp(-(2 + experience))));
  if (satisfied) return rng.chance(0.62) ? 5 : 4;
  return Number(rng.weighted({ '3': 0.5, '2': 0.27, '1': 0.23 }));
}

/** The half-yearly relationship survey, from the first quarter after acquisition. */
export function buildNpsSurveys(rng: Rng, customers: readonly Customer[]): SurveyResponse[] {
  const responses: SurveyResponse[] = [];
  for (const customer of customers) {
    const last = Math.min(END_DAY, customer.churnedDay ?? END_DAY);
    let invite = customer.acquiredDay + 90 + rng.int(0, 181);
    while (invite < WINDOW_START) invite += 182;
    for (; invite <= last; invite += 182 + rng.int(-10, 10)) {
      if (!rng.chance(0.3)) continue;
      const respondedAt = officeInstant(rng, invite + Math.floor(rng.lognormal(1, 1)));
      if (respondedAt > END_INSTANT || respondedAt > (last + 1) * SECONDS_PER_DAY) continue;
      const score = Math.round(clamp(8 + 1.2 * customer.health + rng.normal(0, 1.1), 0, 10));
      responses.push({ id: '', customer, ticket: null, kind: 'nps', score, respondedAt });
    }
  }
  return responses;
}
