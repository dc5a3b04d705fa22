// Where a report run with params writes, and how a parameter set is keyed in the ledger: one
// folder and one key per set, so two regions never overwrite or restate each other.

import { createHash } from 'node:crypto';

/** `region=EMEA,team=north`, each part file-safe; '' without params; long sets as a hash. */
export function buildParamsFolder(params: Readonly<Record<string, string>>): string {
  const folder = Object.keys(params)
    .sort()
    .map((name) => `${safe(name)}=${safe(params[name] ?? '')}`)
    .join(',');
  if (folder.length <= 120) return folder;
  return `params=${createHash('sha256').update(buildParamsKey(params)).digest('hex').slice(0, 16)}`;
}

/** One key per parameter set, for grouping recipients and the ledger's numbers. */
export function buildParamsKey(params: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.keys(params)
        .sort()
        .map((k) => [k, params[k]]),
    ),
  );
}

function safe(text: string): string {
  const encoded = encodeURIComponent(text).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
  return encoded.replace(/^\./, '%2E');
}
