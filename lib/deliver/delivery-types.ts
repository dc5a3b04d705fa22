// What one delivery is asked to do, what it needs, and what it amounts to: shared by the
// delivery, its ledger steps and its outcome.

import type { PeriodSpan } from '../kpi/period.ts';
import type { ReportDefinition } from '../report/define.ts';
import type { MailAddress } from './address.ts';
import type { Recipient } from './prepare-messages.ts';
import type { DataReadOptions } from './render-report.ts';
import type { RetryPolicy } from './retry.ts';
import type { RecipientOutcome, SendDeps } from './send-messages.ts';
import type { MailTransport } from './transport.ts';

export interface DeliveryRequest {
  /** Ledger key: the schedule's name, or `manual`. */
  readonly schedule: string;
  readonly definition: ReportDefinition;
  readonly period?: PeriodSpan;
  readonly recipients: readonly Recipient[];
  readonly owner?: MailAddress;
  readonly force: boolean;
  readonly dryRun: boolean;
  readonly pdf: boolean;
  readonly retry: RetryPolicy;
  /** Send a report the data covers only in part, marked partial (pulse send --partial). */
  readonly allowPartial?: boolean;
  /** Leave the owner's alert out when the only problem is stale data (a scheduled retry). */
  readonly quietWhenStale?: boolean;
  /**
   * Send a period again only when its numbers changed since they were sent: the ledger key carries
   * a digest of the numbers, so equal numbers are "already sent" (skipped) and changed ones new.
   */
  readonly onlyIfChanged?: boolean;
}

export interface DeliveryEnv extends Omit<SendDeps, 'retry'> {
  readonly dataDir: string;
  /** How the data folder is read (--mapping, --allow-rejects) and how many rejects may be sent. */
  readonly data?: DataReadOptions;
  readonly timeZone: string;
  readonly currency: string;
  /** PULSE_LOCALE; default en-US. */
  readonly locale?: string;
  /** PULSE_COMPANY (the config's company): named on the report and in the subject. */
  readonly company?: string;
  readonly outRoot: string;
  readonly from: MailAddress;
  /** Where alerts go when the transport fails: the outbox. */
  readonly fallback: MailTransport;
}

export interface GroupResult {
  readonly params: Readonly<Record<string, string>>;
  readonly dir?: string;
  readonly subject?: string;
  readonly bytes?: number;
  readonly outcomes: readonly RecipientOutcome[];
  /** Why this group's report was not sent. */
  readonly problems: readonly string[];
}

export interface DeliveryResult {
  readonly state: 'sent' | 'partial' | 'failed' | 'dry-run' | 'interrupted';
  readonly period: string | undefined;
  readonly periodLabel: string | undefined;
  readonly groups: readonly GroupResult[];
  readonly stopped?: string;
  readonly restatements: readonly string[];
  /** Set when nothing went out because the data does not cover the period yet. */
  readonly stale?: string;
  /** With `stale`: the export holds nothing of the period, so it cannot be sent even in part. */
  readonly staleUncovered?: boolean;
  /** What the run decided besides sending (an alert: "holds since ..., not sent again"). */
  readonly notes?: readonly string[];
}
