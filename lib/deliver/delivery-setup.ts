// Everything delivery reads from the environment, read once at the start of a command and passed
// down: the state folder, the mail settings, the transports and the log.

import { type EventLog, type LogEvent, openJsonlLog, teeLog } from './event-log.ts';
import { describeMailSettings, type Env, type MailSettings, readMailSettings } from './smtp-config.ts';
import { buildStatePaths, type StatePaths } from './state-dir.ts';
import { type MailTransport, openMailTransport } from './transport.ts';

export interface DeliverySetup {
  readonly paths: StatePaths;
  readonly settings: MailSettings;
  readonly transport: MailTransport;
  /** The outbox, where alerts go when the transport fails. */
  readonly fallback: MailTransport;
  readonly log: EventLog;
  close(): void;
}

/** What delivery takes of the command's surroundings (a command passes its CliIo). */
export interface SetupIo {
  readonly env: Env;
  readonly cwd: string;
  readonly stderr: (text: string) => void;
}

export async function openDeliverySetup(
  io: SetupIo,
  options: { now: () => string; echo?: (event: LogEvent) => boolean },
): Promise<DeliverySetup> {
  const paths = buildStatePaths(io.env, io.cwd);
  const settings = await readMailSettings(io.env, paths.outbox);
  const transport = openMailTransport(settings);
  const fallback =
    settings.kind === 'outbox'
      ? transport
      : openMailTransport({ kind: 'outbox', dir: paths.outbox, from: settings.from });
  const file = openJsonlLog(paths.log, {
    now: options.now,
    ...(transport.secret ? { secret: transport.secret } : {}),
  });
  const echo = options.echo;
  const log = echo
    ? teeLog(file, { write: (e) => (echo(e) ? io.stderr(`${formatEvent(e)}\n`) : undefined) })
    : file;
  return {
    paths,
    settings,
    transport,
    fallback,
    log,
    close: () => {
      transport.close();
      if (fallback !== transport) fallback.close();
    },
  };
}

/** "outbox .pulse/outbox (no SMTP server configured: set PULSE_SMTP_URL or PULSE_SMTP_HOST)". */
export function describeDestination(settings: MailSettings): string {
  return settings.kind === 'outbox'
    ? `no SMTP server configured (PULSE_SMTP_URL or PULSE_SMTP_HOST), so messages are written as .eml files to ${settings.dir}`
    : `via ${describeMailSettings(settings)}`;
}

/** One line for a person: "send_retry ana@example.com: RCPT TO: 421 try later (next in 31 s)". */
export function formatEvent(event: LogEvent): string {
  const who =
    typeof event.recipient === 'string'
      ? ` ${event.recipient}`
      : typeof event.schedule === 'string'
        ? ` ${event.schedule}`
        : '';
  const what = [event.error, event.summary, event.reason, event.problem, event.sentence].find(
    (v) => typeof v === 'string',
  );
  // An alert's line leads with where it went (sent to ..., saved to the outbox at ... because ...).
  if (typeof event.where === 'string') return `pulse: ${event.where}: ${String(event.summary ?? what ?? '')}`;
  const next =
    typeof event.delay_ms === 'number' ? ` (next attempt in ${Math.round(event.delay_ms / 1000)} s)` : '';
  return `pulse: ${event.event.replace(/_/g, ' ')}${who}${what ? `: ${String(what)}` : ''}${next}`;
}
