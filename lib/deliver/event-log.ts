// The JSON-lines log in the state folder: one event per line, appended synchronously so the line
// is in the file before the next step starts (and survives a kill -9 of the process).

import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { redactSecrets } from './smtp-config.ts';

export type LogLevel = 'info' | 'warn' | 'error';

export interface LogEvent {
  readonly event: string;
  readonly level?: LogLevel;
  readonly [field: string]: unknown;
}

export interface EventLog {
  write(event: LogEvent): void;
}

/** Appends {"ts":...,"level":...,"event":...} lines to `path`; never writes `secret`. */
export function openJsonlLog(path: string, options: { now: () => string; secret?: string }): EventLog {
  mkdirSync(dirname(path), { recursive: true });
  return {
    write(event) {
      const line = JSON.stringify({ ts: options.now(), level: event.level ?? 'info', ...event });
      appendFileSync(path, `${redactSecrets(line, options.secret)}\n`);
    },
  };
}

/** Keeps events in memory (tests), optionally forwarding them. */
export function memoryLog(forward?: EventLog): EventLog & { readonly events: LogEvent[] } {
  const events: LogEvent[] = [];
  return {
    events,
    write(event) {
      events.push(event);
      forward?.write(event);
    },
  };
}

/** Both: the file for the record, a second sink (stderr) for a person watching. */
export function teeLog(...logs: readonly EventLog[]): EventLog {
  return {
    write(event) {
      for (const log of logs) log.write(event);
    },
  };
}
