// One delivery, the same for `pulse send` and a scheduled run: for each parameter set, run the
// report (saying in it any past number restated since it was sent), check it, compose one
// message per recipient, send them through the ledger, keep the numbers sent, and tell the owner
// about anything that did not go out.

import { createHash } from 'node:crypto';
import { PulseError } from '../errors.ts';
import { formatPeriod, type Grain, type PeriodSpan, periodArgument } from '../kpi/period.ts';
import { type Alert, sendAlert } from './alert.ts';
import { buildDeliveryAlert, summariseDelivery } from './delivery-outcome.ts';
import type { DeliveryEnv, DeliveryRequest, DeliveryResult, GroupResult } from './delivery-types.ts';
import { skipAll, withoutAlreadySent } from './ledger-steps.ts';
import { phaseLogger } from './phase-log.ts';
import { groupByParams, prepareMessages } from './prepare-messages.ts';
import { type RenderedReport, renderReportForSend } from './render-report.ts';
import { type RecipientOutcome, type SendDeps, sendMessages } from './send-messages.ts';
import { findRestatedNumbers, keepSentNumbers } from './sent-numbers.ts';

export async function deliverReport(request: DeliveryRequest, env: DeliveryEnv): Promise<DeliveryResult> {
  const deps: SendDeps = { ...env, retry: request.retry };
  const report = request.definition.name;
  const knownPeriod = request.period ? periodText(request.period, request.definition.grain) : undefined;
  const groups: GroupResult[] = [];
  const restatements: string[] = [];
  let stopped: string | undefined;
  let stale: string | undefined;
  let staleUncovered = false;
  let periodLabel = request.period ? formatPeriod(request.period) : undefined;
  let period = knownPeriod;
  for (const recipients of groupByParams(request.recipients).values()) {
    const params = recipients[0]?.params ?? {};
    // 1. Recipients already sent for a known period need no new render (a resumed run).
    // With onlyIfChanged the key depends on the numbers: known only after the render (step 2b).
    const pending =
      knownPeriod && !request.force && !request.dryRun && !request.onlyIfChanged
        ? await withoutAlreadySent(
            recipients,
            { schedule: request.schedule, report, period: knownPeriod },
            env,
          )
        : { todo: recipients, done: [] as RecipientOutcome[] };
    if (env.signal?.aborted && pending.todo.length > 0) {
      // Interrupted (SIGTERM): nothing recorded, so the next start resumes these recipients.
      const waiting = pending.todo.map((r) => ({
        key: {
          schedule: request.schedule,
          report,
          period: period ?? 'unknown',
          recipient: r.address.address,
        },
        state: 'not-attempted' as const,
        attempts: 0,
      }));
      groups.push({ params, outcomes: [...pending.done, ...waiting], problems: [] });
      continue;
    }
    if (pending.todo.length === 0 || stopped) {
      const skipped = stopped ? await skipAll(pending.todo, request, period, stopped, env) : [];
      groups.push({ params, outcomes: [...pending.done, ...skipped], problems: [] });
      continue;
    }
    // 2. Run and check the report; a failure here sends nothing to this group.
    let rendered: RenderedReport;
    try {
      rendered = await renderReportForSend({
        ...env,
        definition: request.definition,
        ...(request.period ? { period: request.period } : {}),
        params,
        now: env.now(),
        pdf: request.pdf,
        restated: (run) => findRestatedNumbers(run, params, env),
        ...(request.allowPartial ? { allowPartial: true } : {}),
        onProgress: phaseLogger(env.log, { schedule: request.schedule, report, params }),
      });
    } catch (error) {
      // A period the data does not reach at all: the export is stale, not the report broken.
      const noData = error instanceof PulseError && error.code === 'no_data';
      const problem = noData
        ? `the export is stale: ${(error as Error).message}; nothing was sent`
        : `the report failed: ${(error as Error).message}`;
      if (noData && stale === undefined) {
        stale = problem;
        staleUncovered = true;
      }
      env.log.write({
        event: 'report_failed',
        level: 'error',
        schedule: request.schedule,
        report,
        params,
        error: (error as Error).message,
      });
      groups.push({
        params,
        outcomes: [...pending.done, ...(await skipAll(pending.todo, request, period, problem, env))],
        problems: [problem],
      });
      continue;
    }
    period = rendered.period;
    periodLabel = rendered.run.document.periodLabel;
    if (rendered.stale) stale ??= rendered.stale;
    // 2b. Only if changed: the numbers' digest is part of the ledger key; equal numbers were sent.
    let schedule = request.schedule;
    if (request.onlyIfChanged && !request.force && !request.dryRun && !rendered.stale) {
      schedule = `${request.schedule}@${numbersDigest(rendered.run.numbers)}`;
      const fresh = await withoutAlreadySent(pending.todo, { schedule, report, period }, env);
      pending.done.push(...fresh.done);
      pending.todo.splice(0, pending.todo.length, ...fresh.todo);
      if (pending.todo.length === 0) {
        groups.push({ params, outcomes: [...pending.done], problems: [] });
        continue;
      }
    }
    // 3. Compose and check every message before the first one goes.
    const prepared = await prepareMessages(rendered, pending.todo, {
      schedule,
      from: env.from,
      ...(request.force ? { resend: env.now() } : {}),
    });
    const base = { params, dir: rendered.outputs.dir, subject: rendered.subject, bytes: prepared.bytes };
    if (prepared.problems.length > 0) {
      env.log.write({
        event: 'message_refused',
        level: 'error',
        schedule: request.schedule,
        report,
        period,
        params,
        problems: prepared.problems,
      });
      const reason = `not sent: ${prepared.problems.join('; ')}`;
      groups.push({
        ...base,
        outcomes: [...pending.done, ...(await skipAll(pending.todo, request, period, reason, env))],
        problems: prepared.problems,
      });
      continue;
    }
    if (request.dryRun) {
      groups.push({
        ...base,
        outcomes: prepared.items.map((i) => ({ key: i.key, state: 'not-attempted' as const, attempts: 0 })),
        problems: [],
      });
      continue;
    }
    // 4. Send, then keep the numbers that went out.
    const summary = await sendMessages(prepared.items, deps, { force: request.force });
    // Auth refused or server unreachable: the other groups would fail alike.
    if (summary.stopped?.failure) stopped = summary.stopped.reason;
    groups.push({ ...base, outcomes: [...pending.done, ...summary.outcomes], problems: [] });
    if (summary.outcomes.some((o) => o.state === 'sent')) {
      await keepSentNumbers(rendered, params, env);
      restatements.push(...rendered.restated.map((r) => r.sentence));
    }
  }
  const result: DeliveryResult = {
    state: summariseDelivery(groups, { dryRun: request.dryRun, interrupted: env.signal?.aborted ?? false }),
    period,
    periodLabel,
    groups,
    ...(stopped ? { stopped } : {}),
    restatements,
    ...(stale ? { stale } : {}),
    ...(stale && staleUncovered ? { staleUncovered: true } : {}),
  };
  const alert: Alert | undefined = buildDeliveryAlert(request, result);
  const onlyStale =
    stale !== undefined &&
    result.groups.every((g) => g.problems.every((p) => p.startsWith('the export is stale')));
  if (alert && request.owner && !request.dryRun && !(request.quietWhenStale && onlyStale)) {
    // After a refused login the server would refuse the alert too: one attempt, not two.
    const authFailed = result.groups.some((g) => g.outcomes.some((o) => o.failure?.kind === 'auth'));
    await sendAlert(
      request.owner,
      alert,
      authFailed ? { ...env, transport: env.fallback } : env,
      authFailed ? { outboxReason: 'the server refused the login, so it would refuse the alert too' } : {},
    );
  }
  return result;
}

/** Eight hex digits standing for every number of a run: equal numbers, equal digest. */
function numbersDigest(numbers: readonly Record<string, unknown>[]): string {
  const text = JSON.stringify(numbers.map((row) => Object.entries(row).sort(([a], [b]) => (a < b ? -1 : 1))));
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

function periodText(period: PeriodSpan, grain: Grain): string {
  return periodArgument({ ...period, grain });
}
