// One row per scheduled run (schedule, scheduled instant) in the state database: what the
// catch-up logic and `pulse schedule --status` read. A run is written "running" before anything
// is sent, so a crash leaves a trace that the next start resumes or records as missed.

import { isoFromMs, type LedgerRow, withLedgerDb } from '../deliver/ledger-db.ts';

export type RunState = 'running' | 'sent' | 'partial' | 'failed' | 'missed';

export interface RunRecord {
  readonly schedule: string;
  /** ISO instant the run was scheduled for (not when it ran). */
  readonly scheduledAt: string;
  readonly report: string;
  /** The period it reports: 2026-10. */
  readonly period: string;
  readonly state: RunState;
  readonly startedAt?: string | null;
  readonly finishedAt?: string | null;
  readonly recipients?: number | null;
  readonly sent?: number | null;
  readonly failed?: number | null;
  readonly skipped?: number | null;
  readonly detail?: string | null;
}

/**
 * The state as a person reads it: an alert run that found nothing to announce is done, not
 * "sent" (the state the planner keys on), which read as a delivery in the logs.
 */
export function describeState(run: Pick<RunRecord, 'state' | 'recipients'>): string {
  return run.state === 'sent' && run.recipients === 0 ? 'done, nothing to send' : run.state;
}

/** What the planner needs: the latest run, and runs left unfinished by a crash. */
export interface PlanningRecords {
  readonly latest?: RunRecord;
  readonly unfinished: readonly RunRecord[];
}

export interface RunStore {
  readForPlanning(schedule: string): Promise<PlanningRecords>;
  /** Every schedule with a run recorded, those since removed from schedules.json included. */
  scheduleNames(): Promise<string[]>;
  /** The most recent runs of a schedule, newest first. */
  readRecent(schedule: string, limit: number): Promise<RunRecord[]>;
  write(record: RunRecord): Promise<void>;
}

const SELECT = `SELECT schedule, epoch_ms(scheduled_at)::DOUBLE AS scheduled_at, report, period, state,
  epoch_ms(started_at)::DOUBLE AS started_at, epoch_ms(finished_at)::DOUBLE AS finished_at,
  recipients, sent, failed, skipped, detail FROM runs`;

/** The runs table of the ledger file; each call is a short session. */
export function openRunStore(ledgerPath: string): RunStore {
  return {
    readForPlanning: (schedule) =>
      withLedgerDb(ledgerPath, async (db) => {
        const rows = await db.rows(
          `${SELECT} WHERE schedule = $schedule AND (state = 'running'
             OR scheduled_at = (SELECT max(scheduled_at) FROM runs WHERE schedule = $schedule))
           ORDER BY scheduled_at`,
          { schedule },
        );
        const records = rows.map(toRecord);
        const latest = records.at(-1);
        return { ...(latest ? { latest } : {}), unfinished: records.filter((r) => r.state === 'running') };
      }),
    scheduleNames: () =>
      withLedgerDb(ledgerPath, async (db) =>
        (await db.rows('SELECT DISTINCT schedule FROM runs ORDER BY schedule')).map((r) =>
          String(r.schedule),
        ),
      ),
    readRecent: (schedule, limit) =>
      withLedgerDb(ledgerPath, async (db) =>
        (
          await db.rows(`${SELECT} WHERE schedule = $schedule ORDER BY scheduled_at DESC LIMIT $limit`, {
            schedule,
            limit,
          })
        ).map(toRecord),
      ),
    write: (record) =>
      withLedgerDb(ledgerPath, async (db) => {
        await db.run(
          `INSERT OR REPLACE INTO runs (schedule, scheduled_at, report, period, state, started_at, finished_at,
             recipients, sent, failed, skipped, detail)
           VALUES ($schedule, $scheduled_at, $report, $period, $state, $started_at, $finished_at,
             $recipients, $sent, $failed, $skipped, $detail)`,
          {
            schedule: record.schedule,
            scheduled_at: record.scheduledAt,
            report: record.report,
            period: record.period,
            state: record.state,
            started_at: record.startedAt ?? null,
            finished_at: record.finishedAt ?? null,
            recipients: record.recipients ?? null,
            sent: record.sent ?? null,
            failed: record.failed ?? null,
            skipped: record.skipped ?? null,
            detail: record.detail ?? null,
          },
        );
      }),
  };
}

/** The same in memory: for tests that run years of schedules. */
export function memoryRunStore(): RunStore & { readonly records: Map<string, RunRecord> } {
  const records = new Map<string, RunRecord>();
  const of = (schedule: string) =>
    [...records.values()]
      .filter((r) => r.schedule === schedule)
      .sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
  return {
    records,
    async readForPlanning(schedule) {
      const all = of(schedule);
      const latest = all.at(-1);
      return { ...(latest ? { latest } : {}), unfinished: all.filter((r) => r.state === 'running') };
    },
    async scheduleNames() {
      return [...new Set([...records.values()].map((r) => r.schedule))].sort();
    },
    async readRecent(schedule, limit) {
      return of(schedule).reverse().slice(0, limit);
    },
    async write(record) {
      records.set(`${record.schedule}\u0000${record.scheduledAt}`, record);
    },
  };
}

function toRecord(row: LedgerRow): RunRecord {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    schedule: String(row.schedule),
    scheduledAt: isoFromMs(row.scheduled_at ?? null) ?? '',
    report: String(row.report),
    period: String(row.period),
    state: String(row.state) as RunState,
    startedAt: isoFromMs(row.started_at ?? null),
    finishedAt: isoFromMs(row.finished_at ?? null),
    recipients: num(row.recipients),
    sent: num(row.sent),
    failed: num(row.failed),
    skipped: num(row.skipped),
    detail: row.detail === null || row.detail === undefined ? null : String(row.detail),
  };
}
