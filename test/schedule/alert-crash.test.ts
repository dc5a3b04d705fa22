// kill -9 of the daemon between an alert's evaluation and its message, then a restart: the alert
// is neither lost nor repeated. The state "holding, not yet announced" is written before the
// message; the restart finds it and sends, and the sends ledger keeps a recipient already sent
// (or whose outcome is unknown: told to the owner, not resent) from a second copy.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAlertStates } from '../../lib/deliver/alert-states.ts';
import { readSends } from '../../lib/deliver/ledger.ts';
import { withLedgerDb } from '../../lib/deliver/ledger-db.ts';
import { SAMPLE_DATA_DIR, TOOLKIT_ROOT } from '../../lib/paths.ts';
import { type Faults, startSmtp, type TestSmtp } from '../deliver/smtp-test-server.ts';
import { removeScanned, SENTINEL_PASSWORD } from '../support/sentinel.ts';

const RECIPIENTS = ['r1@example.com', 'r2@example.com', 'r3@example.com'];
const OWNER = 'owner@example.com';
// 08:00:05 UTC on November 2nd: the daily 08:00 run is due; it evaluates October 2026.
const NOW = '2026-11-02T08:00:05Z';

async function setup(smtp: TestSmtp) {
  const root = await mkdtemp(join(tmpdir(), 'crm-pulse-alert-crash-'));
  const schedules = join(root, 'schedules.json');
  await writeFile(
    schedules,
    JSON.stringify({
      schedules: [
        {
          name: 'churn-high',
          alert: { kpi: 'churn_rate', when: 'above', value: 0.01 },
          cron: '0 8 * * *',
          timezone: 'UTC',
          owner: OWNER,
          recipients: RECIPIENTS,
          retry: { attempts: 2, initialDelaySeconds: 1 },
        },
      ],
    }),
  );
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TZ: 'UTC',
    PULSE_NOW: NOW,
    PULSE_STATE_DIR: join(root, 'state'),
    PULSE_SCHEDULES: schedules,
    PULSE_DATA: SAMPLE_DATA_DIR,
    PULSE_OUT: join(root, 'out'),
    PULSE_SMTP_HOST: '127.0.0.1',
    PULSE_SMTP_PORT: String(smtp.port),
    PULSE_SMTP_IGNORE_TLS: 'true',
    PULSE_SMTP_FROM: 'CRM Pulse <pulse@example.com>',
    PULSE_SMTP_USER: 'reports',
    PULSE_SMTP_PASSWORD: SENTINEL_PASSWORD,
  };
  return { root, env, log: join(root, 'state', 'pulse.jsonl'), ledger: join(root, 'state', 'ledger.duckdb') };
}

type Setup = Awaited<ReturnType<typeof setup>>;

function startDaemon(s: Setup): ChildProcess & { exited: Promise<string | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/schedule/daemon-child.ts'], {
    cwd: TOOLKIT_ROOT,
    env: s.env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<string | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? (code === 0 ? null : stderr))),
  );
  return Object.assign(child, { exited });
}

const events = (s: Setup) =>
  existsSync(s.log)
    ? readFileSync(s.log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>)
    : [];

async function waitFor(test: () => boolean, what: string, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function scenario(makeFaults: (kill: () => void) => Faults) {
  let daemon: ReturnType<typeof startDaemon> | undefined;
  const smtp = await startSmtp(makeFaults(() => daemon?.kill('SIGKILL')));
  const s = await setup(smtp);
  try {
    daemon = startDaemon(s);
    expect(await daemon.exited).toBe('SIGKILL');
    // The restart resumes the run left open, then nothing more is due.
    const restarted = startDaemon(s);
    await waitFor(() => events(s).some((e) => e.event === 'run_finished'), 'the resumed run');
    restarted.kill('SIGTERM');
    expect(await restarted.exited).toBeNull();
    const { sends, states } = await withLedgerDb(s.ledger, async (db) => ({
      sends: await readSends(db),
      states: await readAlertStates(db, 'churn-high'),
    }));
    const unknown = sends.filter((r) => r.state === 'unknown').map((r) => r.recipient);
    for (const to of RECIPIENTS) {
      expect(smtp.to(to).length, to).toBeLessThanOrEqual(1);
      if (!unknown.includes(to)) expect(smtp.to(to), to).toHaveLength(1);
    }
    expect(states.get('')).toMatchObject({ state: 'holding', episode: 1, announced: unknown.length === 0 });
    return { smtp, unknown };
  } finally {
    await smtp.close();
    await removeScanned(s.root);
  }
}

describe('an alert and kill -9', { timeout: 240_000 }, () => {
  it('killed after the state is written, before the message: the restart sends it, once', async () => {
    const { smtp } = await scenario((kill) => ({
      rcpt: (_to, count) => {
        if (count === 1) kill();
        return undefined;
      },
    }));
    for (const to of RECIPIENTS) {
      const [mail] = smtp.to(to);
      expect((await smtp.parse(mail ?? { recipients: [], raw: Buffer.alloc(0) })).subject).toBe(
        'Churn rate 1.4 % is above 1.0 % (October 2026)',
      );
    }
  });

  it('killed right after a message was accepted: no second copy for anyone', async () => {
    const { unknown, smtp } = await scenario((kill) => ({
      accepted: (_recipients, count) => {
        if (count === 1) kill();
      },
    }));
    // A recipient whose "." went out before the kill is "unknown": the owner gets the command.
    if (unknown.length > 0) expect(smtp.to(OWNER).length).toBeGreaterThan(0);
  });
});
