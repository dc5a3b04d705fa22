// Under the scheduler nobody watches a terminal: the log says which phase a report run is in
// (reading, checking, computing KPIs, rendering), one line as each begins, with how long the one
// before took. A run that hangs or crashes shows where it was.

import type { OnProgress, ProgressStep } from '../progress.ts';
import type { EventLog } from './event-log.ts';

const PHASES: Record<ProgressStep['stage'], string> = {
  read: 'reading the data',
  check: 'checking the data',
  kpi: 'computing KPIs',
  render: 'rendering',
};

export function phaseLogger(
  log: EventLog,
  fields: Readonly<Record<string, unknown>>,
  now: () => number = () => performance.now(),
): OnProgress {
  let phase: string | undefined;
  let since = now();
  return (step) => {
    const next = PHASES[step.stage];
    if (next === phase) return;
    const at = now();
    log.write({
      event: 'report_phase',
      ...fields,
      phase: next,
      ...(phase ? { previous: phase, previous_ms: Math.round(at - since) } : {}),
    });
    phase = next;
    since = at;
  };
}
