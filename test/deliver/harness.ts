// What a delivery or scheduler test needs: a state folder, the small dataset, a fake clock, a
// real run store and ledger, and transports to a test SMTP server (or the outbox).

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLog } from '../../lib/deliver/event-log.ts';
import { DEFAULT_RETRY } from '../../lib/deliver/retry.ts';
import { parseMailSettings } from '../../lib/deliver/smtp-config.ts';
import { openMailTransport } from '../../lib/deliver/transport.ts';
import type { ReportDefinition } from '../../lib/report/define.ts';
import { createFakeClock } from '../../lib/schedule/clock.ts';
import type { JobDeps } from '../../lib/schedule/run-job.ts';
import { openRunStore } from '../../lib/schedule/run-records.ts';
import type { Schedule } from '../../lib/schedule/schedule-config.ts';
import { removeScanned, SENTINEL_PASSWORD, SENTINEL_USER } from '../support/sentinel.ts';
import { loadTinyReport } from './tiny-report.ts';

// The one sentinel password: the run fails if it shows up anywhere (test/support/sentinel.ts).
export const SECRET = SENTINEL_PASSWORD;
export const OWNER = { name: 'CRM Ops', address: 'owner@example.com' };

export interface Harness {
  readonly root: string;
  readonly ledgerPath: string;
  readonly outbox: string;
  readonly log: ReturnType<typeof memoryLog>;
  readonly clock: ReturnType<typeof createFakeClock>;
  deps(options?: {
    port?: number;
    login?: boolean;
    /** PULSE_SMTP_REPLY_TIMEOUT_SECONDS: shortened to test a server that replies late. */
    replyTimeoutSeconds?: number;
    dataDir?: string;
    loadReport?: (name: string) => Promise<ReportDefinition>;
  }): JobDeps;
  remove(): Promise<void>;
}

export async function createHarness(dataDir: string, start = '2026-11-01T06:00:00Z'): Promise<Harness> {
  const root = await mkdtemp(join(tmpdir(), 'crm-pulse-deliver-'));
  const ledgerPath = join(root, 'state', 'ledger.duckdb');
  const outbox = join(root, 'state', 'outbox');
  const log = memoryLog();
  const clock = createFakeClock(new Date(start));
  return {
    root,
    ledgerPath,
    outbox,
    log,
    clock,
    deps(options = {}) {
      const env: Record<string, string> = { PULSE_SMTP_FROM: 'CRM Pulse <pulse@example.com>' };
      if (options.port) {
        Object.assign(env, {
          PULSE_SMTP_HOST: '127.0.0.1',
          PULSE_SMTP_PORT: String(options.port),
          PULSE_SMTP_IGNORE_TLS: 'true',
        });
        // Every SMTP test logs in, so every delivery path carries the sentinel password.
        if (options.login ?? true)
          Object.assign(env, { PULSE_SMTP_USER: SENTINEL_USER, PULSE_SMTP_PASSWORD: SECRET });
        if (options.replyTimeoutSeconds !== undefined)
          env.PULSE_SMTP_REPLY_TIMEOUT_SECONDS = String(options.replyTimeoutSeconds);
      }
      const settings = parseMailSettings(env, outbox);
      const transport = openMailTransport(settings);
      const fallback = openMailTransport({ kind: 'outbox', dir: outbox, from: settings.from });
      return {
        store: openRunStore(ledgerPath),
        clock,
        log,
        loadReport: options.loadReport ?? loadTinyReport,
        delivery: {
          dataDir: options.dataDir ?? dataDir,
          currency: 'USD',
          outRoot: join(root, 'out'),
          from: settings.from,
          fallback,
          ledgerPath,
          transport,
          random: () => 0.5,
        },
      };
    },
    remove: async () => {
      // The log lives in memory here: written out so the sentinel check reads it too.
      const events = log.events.map((e) => JSON.stringify(e)).join('\n');
      await writeFile(join(root, 'events.jsonl'), events).catch(() => undefined); // removed already
      await removeScanned(root);
    },
  };
}

export function testSchedule(overrides: Partial<Schedule> = {}): Schedule {
  return {
    name: 'tiny-monthly',
    report: 'tiny',
    cron: '0 7 1 * *',
    timezone: 'Europe/Berlin',
    owner: OWNER,
    recipients: ['a', 'b', 'c', 'd', 'e'].map((n) => ({
      address: { address: `${n}@example.com` },
      params: {},
    })),
    catchUpMs: 24 * 3_600_000,
    retry: { ...DEFAULT_RETRY, attempts: 5 },
    pdf: false,
    paused: false,
    ...overrides,
  };
}
