// The marketing calendar: always-on paid search per quarter, monthly newsletters, nurture
// e-mails, social pushes and webinars, and a handful of trade events in spring and autumn.

import { addMonths, END_DAY, growth, HISTORY_START, monthStart, yearMonthOf } from './calendar.ts';
import type { Campaign } from './model.ts';
import type { Rng } from './rng.ts';

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const EVENT_MONTHS = new Set([3, 4, 5, 9, 10, 11]);
const EVENT_CITIES = ['Berlin', 'Austin', 'London', 'Toronto', 'Singapore', 'Amsterdam', 'Chicago', 'Sydney'];
const TOPICS = [
  'Forecasting revenue',
  'Churn early warnings',
  'Pipeline hygiene',
  'Board-ready dashboards',
  'Customer health scores',
  'Sales capacity planning',
  'Self-serve analytics',
  'Data quality in the CRM',
];

/** Campaigns from a month before the funnel starts to the end of the data. */
export function buildCampaigns(rng: Rng, budgetScale: number): Campaign[] {
  const campaigns: Campaign[] = [];
  const add = (c: Omit<Campaign, 'id' | 'budget'>, monthlyBudget: number): void => {
    const months = (c.endDay - c.startDay + 1) / 30.44;
    const budget = Math.round(
      monthlyBudget * months * growth(c.startDay) * budgetScale * rng.uniform(0.85, 1.15) * 100,
    );
    campaigns.push({ id: '', ...c, budget });
  };
  let topic = rng.int(0, TOPICS.length - 1);
  for (let month = monthStart(HISTORY_START, -1); month <= END_DAY; month = monthStart(month, 1)) {
    const { year, month: m } = yearMonthOf(month);
    const label = `${MONTH_NAMES[m - 1]} ${year}`;
    const monthEnd = monthStart(month, 1) - 1;
    if (m % 3 === 1 || month === monthStart(HISTORY_START, -1)) {
      const quarterEnd = monthStart(month, 3 - ((m - 1) % 3)) - 1;
      const quarter = `Q${Math.ceil(m / 3)} ${year}`;
      add(
        {
          name: `Paid Search - Brand ${quarter}`,
          channel: 'paid_search',
          startDay: month,
          endDay: quarterEnd,
        },
        26_000,
      );
      add(
        {
          name: `Paid Search - Category ${quarter}`,
          channel: 'paid_search',
          startDay: month,
          endDay: quarterEnd,
        },
        44_000,
      );
    }
    const newsletter = month + rng.int(1, 6);
    add(
      { name: `Newsletter ${label}`, channel: 'email', startDay: newsletter, endDay: newsletter + 2 },
      40_000,
    );
    const nurtureStart = month + rng.int(5, 15);
    const theme = TOPICS[topic++ % TOPICS.length] ?? 'Analytics';
    add(
      {
        name: `Nurture: ${theme} (${label})`,
        channel: 'email',
        startDay: nurtureStart,
        endDay: nurtureStart + rng.int(14, 24),
      },
      9_000,
    );
    const socialStart = month + rng.int(0, 10);
    add(
      {
        name: `Social: ${theme} (${label})`,
        channel: 'social',
        startDay: socialStart,
        endDay: socialStart + rng.int(28, 42),
      },
      24_000,
    );
    const webinar = month + rng.int(8, 20);
    add(
      {
        name: `${rng.chance(0.6) ? 'Webinar' : 'E-book'}: ${TOPICS[topic++ % TOPICS.length]} (${label})`,
        channel: 'content',
        startDay: webinar,
        endDay: Math.min(addMonths(webinar, 1), monthEnd + 30),
      },
      14_000,
    );
    if (EVENT_MONTHS.has(m)) {
      const eventDay = month + rng.int(7, 22);
      const city = rng.pick(EVENT_CITIES);
      // Budgets are per month of running time: two event days at this rate cost about $85k.
      const eventBudget = 1_300_000 * rng.uniform(0.6, 1.4);
      add(
        { name: `${city} Data Summit ${year}`, channel: 'event', startDay: eventDay, endDay: eventDay + 1 },
        eventBudget,
      );
    }
  }
  // Nothing may start after the end of the data.
  return campaigns.filter((c) => c.startDay <= END_DAY && c.startDay >= monthStart(HISTORY_START, -1));
}

/** Campaigns of one channel running on `day`. */
export function runningCampaigns(
  campaigns: readonly Campaign[],
  channel: Campaign['channel'],
  day: number,
): Campaign[] {
  return campaigns.filter((c) => c.channel === channel && c.startDay <= day && day <= c.endDay);
}

/** The most recent campaign of a channel that ran on `day` or within `lookbackDays` before it. */
export function recentCampaign(
  campaigns: readonly Campaign[],
  channel: Campaign['channel'],
  day: number,
  lookbackDays: number,
): Campaign | null {
  let best: Campaign | null = null;
  for (const c of campaigns) {
    if (c.channel !== channel || c.startDay > day || c.endDay < day - lookbackDays) continue;
    if (best === null || c.startDay > best.startDay) best = c;
  }
  return best;
}
