// Recipients derived from the data: e.g. one message per account owner, each with their own
// region. The schedule's SQL runs over the dataset with its params and the run's period.

import type { Row } from '../data/database.ts';
import { openDataset } from '../data/dataset.ts';
import { parseAddressOutcome, recipientKey } from '../deliver/address.ts';
import type { Recipient } from '../deliver/prepare-messages.ts';
import type { DataReadOptions } from '../deliver/render-report.ts';
import { showBidiOverrides } from '../format/control-characters.ts';
import type { PeriodSpan } from '../kpi/period.ts';
import type { DerivedRecipients } from './derived-recipients.ts';

export interface DerivedOutcome {
  readonly recipients: Recipient[];
  /** Rows that could not become a recipient, one line each. */
  readonly problems: string[];
}

/** Rows → recipients: `address` (required), `name` (optional), every other column a param. */
export function buildDerivedRecipients(rows: readonly Row[]): DerivedOutcome {
  const recipients: Recipient[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  if (rows.length > 0 && !('address' in (rows[0] ?? {}))) {
    return {
      recipients,
      problems: ['recipientsFrom.sql returns no `address` column; select the e-mail AS address'],
    };
  }
  rows.forEach((row, i) => {
    if (row.address === null || row.address === undefined || row.address === '') {
      problems.push(`recipientsFrom row ${i + 1}: no address (NULL); skipped`);
      return;
    }
    const outcome = parseAddressOutcome(String(row.address));
    if ('problem' in outcome) {
      problems.push(`recipientsFrom row ${i + 1}: ${outcome.problem}; skipped`);
      return;
    }
    if (seen.has(recipientKey(outcome.address))) {
      problems.push(
        `recipientsFrom row ${i + 1}: ${outcome.address} appears again; only its first row is used`,
      );
      return;
    }
    seen.add(recipientKey(outcome.address));
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(row)) {
      if (key !== 'address' && key !== 'name' && value !== null && value !== undefined)
        params[key] = String(value);
    }
    // The name is the To: line's, from the data: no mark in it may reverse how the line reads.
    const name =
      typeof row.name === 'string' && !/[\r\n\0]/.test(row.name) ? showBidiOverrides(row.name) : undefined;
    recipients.push({ address: name ? { ...outcome, name } : outcome, params });
  });
  return { recipients, problems };
}

/**
 * Runs the schedule's recipient query over the data folder, read as its report reads it: the
 * query names the contract's tables, which a vendor's export has only through its mapping.
 */
export async function readDerivedRecipients(
  spec: DerivedRecipients,
  options: { dataDir: string; timeZone: string; now: string; period: PeriodSpan; data?: DataReadOptions },
): Promise<DerivedOutcome> {
  const dataset = await openDataset({
    dataDir: options.dataDir,
    timeZone: options.timeZone,
    now: options.now,
    ...(options.data?.mapping ? { mapping: options.data.mapping } : {}),
    ...options.data?.engine,
  });
  try {
    const rows = await dataset.db.rows(spec.sql, {
      ...spec.params,
      period_start: options.period.start,
      period_end: options.period.end,
    });
    return buildDerivedRecipients(rows);
  } finally {
    dataset.close();
  }
}
