// The numbers a report showed when it went out, kept in the ledger; the period before is compared
// with what was sent for it, so a restated number is said ("... when sent, now ...").

import { readCatalog } from '../kpi/catalog.ts';
import { formatPeriod, type Grain, parsePeriod, step } from '../kpi/period.ts';
import { periodArgument } from '../report/run-report.ts';
import type { EventLog } from './event-log.ts';
import { readSentNumbers, writeSentNumbers } from './ledger.ts';
import { withLedgerDb } from './ledger-db.ts';
import { buildParamsKey, type RenderedReport } from './render-report.ts';
import { findRestatements, type NumberRow } from './restatement.ts';

/** Keeps this run's numbers; compares the period before with what was sent for it. */
export async function recordSentNumbers(
  rendered: RenderedReport,
  params: Readonly<Record<string, string>>,
  env: {
    readonly ledgerPath: string;
    readonly now: () => string;
    readonly currency: string;
    readonly log: EventLog;
  },
): Promise<string[]> {
  const report = rendered.run.document.name;
  const paramsKey = buildParamsKey(params);
  const grain: Grain = rendered.run.grain;
  const start = parsePeriod(rendered.period).start;
  const previousStart = step(start, grain, -1);
  const previous = { start: previousStart, end: start, grain };
  const earlier = await withLedgerDb(env.ledgerPath, async (db) => {
    await writeSentNumbers(db, {
      report,
      period: rendered.period,
      paramsKey,
      numbers: rendered.outputs.kpisJson,
      at: env.now(),
    });
    return readSentNumbers(db, { report, period: periodArgument(previous), paramsKey });
  });
  if (!earlier || !Array.isArray(earlier.numbers)) return [];
  const catalog = await readCatalog();
  const restated = findRestatements(
    earlier.numbers as NumberRow[],
    rendered.run.numbers as unknown as NumberRow[],
    {
      periodStart: previousStart,
      periodName: formatPeriod(previous),
      describe: (id) => catalog.kpis.find((k) => k.id === id),
      currency: env.currency,
    },
  );
  for (const r of restated) {
    env.log.write({
      event: 'restated',
      level: 'warn',
      report,
      period: periodArgument(previous),
      kpi: r.kpi,
      breakdown: r.breakdown,
      sent: r.sentValue,
      now: r.currentValue,
      sentence: r.sentence,
    });
  }
  return restated.map((r) => r.sentence);
}
