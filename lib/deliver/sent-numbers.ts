// The numbers a report showed when it went out, kept in the ledger; the period before is compared
// with what was sent for it, so a restated number is said ("... when sent, now ...") in the
// next message itself, in the log and in `pulse schedule --status`.

import { formatPeriod, type Grain, periodArgument, step } from '../kpi/period.ts';
import { buildParamsKey } from '../report/params-folder.ts';
import type { ReportRun } from '../report/run-report.ts';
import type { EventLog } from './event-log.ts';
import { readSentNumbers, writeSentNumbers } from './ledger.ts';
import { withLedgerDb } from './ledger-db.ts';
import type { RenderedReport } from './render-report.ts';
import { findRestatements, type NumberRow, type Restatement } from './restatement.ts';

/**
 * The period before this run's, as it was sent (for the same params), against this run's numbers
 * for it: what late data changed since. Reads the ledger only, so the message can say it.
 */
export async function findRestatedNumbers(
  run: ReportRun,
  params: Readonly<Record<string, string>>,
  env: { readonly ledgerPath: string; readonly currency: string },
): Promise<Restatement[]> {
  const grain: Grain = run.grain;
  const start = run.document.periodStart;
  const previous = { start: step(start, grain, -1), end: start, grain };
  const earlier = await withLedgerDb(env.ledgerPath, (db) =>
    readSentNumbers(db, {
      report: run.document.name,
      period: periodArgument(previous),
      paramsKey: buildParamsKey(params),
    }),
  );
  if (!earlier || !Array.isArray(earlier.numbers)) return [];
  const catalog = run.catalog;
  return findRestatements(earlier.numbers as NumberRow[], run.numbers as unknown as NumberRow[], {
    periodStart: previous.start,
    periodName: formatPeriod(previous),
    describe: (id) => catalog.kpis.find((k) => k.id === id),
    // Said in the report, so in its currency and locale.
    ...run.document.format,
  });
}

/** Keeps this run's numbers (they went out) and logs the restatements the message carried. */
export async function keepSentNumbers(
  rendered: RenderedReport,
  params: Readonly<Record<string, string>>,
  env: { readonly ledgerPath: string; readonly now: () => string; readonly log: EventLog },
): Promise<void> {
  const report = rendered.run.document.name;
  await withLedgerDb(env.ledgerPath, (db) =>
    writeSentNumbers(db, {
      report,
      period: rendered.period,
      paramsKey: buildParamsKey(params),
      numbers: rendered.outputs.kpisJson,
      at: env.now(),
    }),
  );
  const { grain } = rendered.run;
  const previous = periodArgument({
    start: step(rendered.run.document.periodStart, grain, -1),
    end: rendered.run.document.periodStart,
    grain,
  });
  for (const r of rendered.restated) {
    env.log.write({
      event: 'restated',
      level: 'warn',
      report,
      period: previous,
      ...(Object.keys(params).length > 0 ? { params } : {}),
      kpi: r.kpi,
      breakdown: r.breakdown,
      sent: r.sentValue,
      now: r.currentValue,
      sentence: r.sentence,
    });
  }
}
