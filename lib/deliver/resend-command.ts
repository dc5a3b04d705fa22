// The command that sends one recipient's report again on purpose, for alerts and --status: the
// automatic paths never resend a message whose outcome is unknown.

import type { SendKey } from './ledger.ts';

const MANUAL = 'manual';

/** `npx pulse send NAME --period P --to ADDR [--param k=v]... --force`, shell-quoted. */
export function buildResendCommand(key: SendKey, params: Readonly<Record<string, string>> = {}): string {
  // A schedule's --to recipients are recorded under the schedule, so the ledger row is the same one.
  const name = key.schedule === MANUAL ? key.report : key.schedule;
  const words = ['npx', 'pulse', 'send', name, '--period', key.period, '--to', key.recipient];
  for (const [k, v] of Object.entries(params)) words.push('--param', `${k}=${v}`);
  return [...words, '--force'].map(shellQuote).join(' ');
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
