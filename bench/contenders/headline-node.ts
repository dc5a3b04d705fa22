// Contender (e): a hand-written Node script. Streams the CSV export, parses each line itself and
// aggregates the ten headline KPIs of one month in plain JavaScript, following the definitions
// in queries/**/*.sql. Timestamps stay text: ISO 'YYYY-MM-DD HH:MM:SS' sorts like time.
//
//   node --import tsx bench/contenders/headline-node.ts CSV_DIR 2026-10-01 2026-11-01
//
// Prints one JSON line: timings, the ten values, peak memory.

import { createReadStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { peakMemoryKb } from '../lib/proc.ts';

/** Splits one CSV line; fields may be quoted ("a, b" and "" for a quote). */
function splitLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/**
 * Calls `row` with the wanted columns of every record (empty text = NULL). A record may span
 * lines when a quoted field holds a line break.
 */
async function eachRow(
  file: string,
  columns: readonly string[],
  row: (values: readonly string[]) => void,
): Promise<void> {
  let positions: number[] | null = null;
  let rest = '';
  let pending = '';
  const handle = (line: string) => {
    const text = pending ? `${pending}\n${line}` : line;
    if ((text.split('"').length - 1) % 2 === 1) {
      pending = text;
      return;
    }
    pending = '';
    const fields = splitLine(text);
    if (positions === null) {
      positions = columns.map((c) => {
        const at = fields.indexOf(c);
        if (at < 0) throw new Error(`${file} has no column ${c}`);
        return at;
      });
      return;
    }
    row(positions.map((p) => fields[p] ?? ''));
  };
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) handle(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
  if (rest) handle(rest);
}

const ratio = (n: number, d: number) => (d === 0 ? null : n / d);

/** The ten KPIs for the month [startDay, endDay) from `<dir>/<table>.csv`. */
export async function nodeHeadline(dir: string, startDay: string, endDay: string) {
  const start = `${startDay} 00:00:00`;
  const end = `${endDay} 00:00:00`;
  const inMonth = (ts: string) => ts >= start && ts < end;
  const out: Record<string, number | null> = {};

  let revenue = 0;
  await eachRow(join(dir, 'orders.csv'), ['ordered_at', 'amount'], ([at = '', amount = '']) => {
    if (inMonth(at) && amount) revenue += Number(amount);
  });
  out.revenue = revenue;

  let won = 0;
  let decided = 0;
  let wonRevenue = 0;
  let pipeline = 0;
  await eachRow(
    join(dir, 'opportunities.csv'),
    ['status', 'amount', 'created_at', 'closed_at'],
    ([status = '', amount = '', created = '', closed = '']) => {
      if (closed && inMonth(closed) && (status === 'won' || status === 'lost')) {
        decided++;
        if (status === 'won') {
          won++;
          if (amount) wonRevenue += Number(amount);
        }
      }
      const open = closed ? closed >= end : status === 'open';
      if (created < end && open && amount) pipeline += Number(amount);
    },
  );
  out.close_rate = ratio(won, decided);
  out.open_pipeline = pipeline;

  let acquired = 0;
  let atStart = 0;
  let churned = 0;
  await eachRow(
    join(dir, 'customers.csv'),
    ['acquired_at', 'churned_at'],
    ([acquiredAt = '', churnedAt = '']) => {
      if (acquiredAt >= startDay && acquiredAt < endDay) acquired++;
      if (acquiredAt && acquiredAt < startDay && (!churnedAt || churnedAt >= startDay)) {
        atStart++;
        if (churnedAt && churnedAt < endDay) churned++;
      }
    },
  );
  out.churn_rate = ratio(churned, atStart);

  let spend = 0;
  await eachRow(
    join(dir, 'expenses.csv'),
    ['spent_on', 'category', 'amount'],
    ([day = '', category = '', amount = '']) => {
      if ((category === 'marketing' || category === 'sales') && day >= startDay && day < endDay && amount)
        spend += Number(amount);
    },
  );
  out.cac = ratio(spend, acquired);

  const mrr = new Map<string, { start: number; end: number }>();
  await eachRow(
    join(dir, 'subscriptions.csv'),
    ['customer_id', 'mrr', 'started_at', 'ends_at', 'cancelled_at'],
    ([customer = '', value = '', started = '', ends = '', cancelled = '']) => {
      const until = cancelled || ends;
      if (!until || !started || started > endDay || until <= startDay) return;
      const amount = value ? Number(value) : 0;
      const entry = mrr.get(customer) ?? { start: 0, end: 0 };
      if (started <= startDay && startDay < until) entry.start += amount;
      if (started <= endDay && endDay < until) entry.end += amount;
      mrr.set(customer, entry);
    },
  );
  let startMrr = 0;
  let endMrr = 0;
  for (const entry of mrr.values()) {
    if (entry.start > 0) {
      startMrr += entry.start;
      endMrr += entry.end;
    }
  }
  out.nrr = ratio(endMrr, startMrr);

  const nps = { promoters: 0, detractors: 0, all: 0 };
  const csat = { satisfied: 0, all: 0 };
  await eachRow(
    join(dir, 'surveys.csv'),
    ['kind', 'score', 'responded_at'],
    ([kind = '', score = '', at = '']) => {
      if (!inMonth(at)) return;
      const value = score === '' ? Number.NaN : Number(score);
      if (kind === 'nps') {
        nps.all++;
        if (value >= 9) nps.promoters++;
        if (value <= 6) nps.detractors++;
      } else if (kind === 'csat') {
        csat.all++;
        if (value >= 4) csat.satisfied++;
      }
    },
  );
  out.nps = nps.all === 0 ? null : (100 * (nps.promoters - nps.detractors)) / nps.all;
  out.csat = ratio(csat.satisfied, csat.all);
  out.won_revenue = wonRevenue;
  out.new_customers = acquired;
  return out;
}

async function main(): Promise<void> {
  const [dir, startDay, endDay] = process.argv.slice(2);
  if (!dir || !startDay || !endDay) throw new Error('usage: headline-node.ts CSV_DIR START_DAY END_DAY');
  const started = performance.now();
  const values = await nodeHeadline(dir, startDay, endDay);
  const ended = performance.now();
  process.stdout.write(
    `${JSON.stringify({
      contender: 'node',
      phases: { total_ms: ended - started },
      headline: values,
      peak_kb: peakMemoryKb(),
    })}\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
