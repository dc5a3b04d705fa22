// The ledger's memory of each alert: for every key (the whole KPI, or one breakdown value) whether
// its condition held when last seen, since when, the value, and whether that change was announced.
// Written before the message goes out, so a crash between the two resends it (the sends ledger
// keeps that to the recipients not yet sent) rather than losing it.

import { isoFromMs, type LedgerDb } from './ledger-db.ts';

export interface AlertState {
  readonly key: string;
  readonly state: 'holding' | 'clear';
  readonly since: string;
  readonly period: string;
  readonly value: number | null;
  /** How many times the condition turned to holding: each is announced once. */
  readonly episode: number;
  readonly announced: boolean;
}

export async function readAlertStates(db: LedgerDb, schedule: string): Promise<Map<string, AlertState>> {
  const rows = await db.rows(
    `SELECT key, state, epoch_ms(since)::DOUBLE AS since, period, value, episode, announced
     FROM alert_states WHERE schedule = $schedule ORDER BY key`,
    { schedule },
  );
  return new Map(
    rows.map((row) => [
      String(row.key),
      {
        key: String(row.key),
        state: row.state === 'holding' ? 'holding' : 'clear',
        since: isoFromMs(row.since ?? null) ?? '',
        period: String(row.period),
        value: row.value === null || row.value === undefined ? null : Number(row.value),
        episode: Number(row.episode),
        announced: row.announced === true,
      },
    ]),
  );
}

export async function writeAlertState(
  db: LedgerDb,
  schedule: string,
  state: AlertState,
  at: string,
): Promise<void> {
  await db.run(
    `INSERT OR REPLACE INTO alert_states (schedule, key, state, since, period, value, episode, announced, updated_at)
     VALUES ($schedule, $key, $state, $since, $period, $value, $episode, $announced, $at)`,
    {
      schedule,
      key: state.key,
      state: state.state,
      since: state.since,
      period: state.period,
      value: state.value,
      episode: state.episode,
      announced: state.announced,
      at,
    },
  );
}
