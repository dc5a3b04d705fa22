// Period labels for chart axes and tables, from the periods' start days (YYYY-MM-DD). The grain
// is read from the spacing of the periods; anything that is not a date is kept as written.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface PeriodLabel {
  /** For the axis: "Oct", with the year on the first period and on January ("Jan 2026"). */
  readonly short: string;
  /** For tables and alt text: "Oct 2026", "Q3 2026", "Week of Oct 5, 2026". Unique per period. */
  readonly full: string;
}

type Spacing = 'year' | 'quarter' | 'month' | 'week' | 'day' | 'other';

export function periodLabels(periods: readonly string[]): PeriodLabel[] {
  const dates = periods.map(parseDay);
  const spacing = spacingOf(dates);
  return periods.map((text, i) => {
    const date = dates[i];
    if (!date) return { short: text, full: text };
    const { y, m, d } = date;
    const first = i === 0;
    const month = MONTHS[m - 1] ?? '';
    switch (spacing) {
      case 'year':
        return { short: `${y}`, full: `${y}` };
      case 'quarter': {
        const q = `Q${Math.floor((m - 1) / 3) + 1}`;
        return { short: first || m === 1 ? `${q} ${y}` : q, full: `${q} ${y}` };
      }
      case 'month':
        return { short: first || m === 1 ? `${month} ${y}` : month, full: `${month} ${y}` };
      case 'week':
        return { short: `${month} ${d}`, full: `Week of ${month} ${d}, ${y}` };
      default:
        return { short: `${month} ${d}`, full: `${month} ${d}, ${y}` };
    }
  });
}

function parseDay(text: string): { y: number; m: number; d: number } | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!match) return undefined;
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

function spacingOf(dates: readonly ({ y: number; m: number; d: number } | undefined)[]): Spacing {
  const known = dates.filter((d) => d !== undefined);
  if (known.length !== dates.length || known.length === 0) return 'other';
  if (known.length === 1) return known[0]?.d === 1 ? 'month' : 'day';
  const months = new Set<number>();
  const days = new Set<number>();
  for (let i = 1; i < known.length; i++) {
    const a = known[i - 1];
    const b = known[i];
    if (!a || !b) continue;
    months.add((b.y - a.y) * 12 + b.m - a.m);
    days.add((Date.UTC(b.y, b.m - 1, b.d) - Date.UTC(a.y, a.m - 1, a.d)) / 86_400_000);
  }
  const allFirst = known.every((d) => d.d === 1);
  const only = (set: Set<number>, n: number) => set.size === 1 && set.has(n);
  if (allFirst && only(months, 12)) return 'year';
  if (allFirst && only(months, 3)) return 'quarter';
  if (allFirst && only(months, 1)) return 'month';
  if (only(days, 7)) return 'week';
  if (only(days, 1)) return 'day';
  return allFirst ? 'month' : 'other';
}
