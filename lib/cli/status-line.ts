// What a long run is doing, on one line of a terminal, rewritten in place on stderr: "checking
// orders against the contract (table 5 of 15)", "KPI 12 of about 50: close_rate by segment", "rendering the
// e-mail". Silent until the run has taken a moment (a quick run prints nothing extra) and
// whenever stderr is not a terminal (piped, redirected, under the scheduler, which logs phases).

import { terminalSafe } from '../format/control-characters.ts';
import { describeStep, type ProgressStep } from '../progress.ts';

/** Shown once a run has taken this long; PULSE_PROGRESS_AFTER_MS overrides, "off" never shows. */
export const SHOW_AFTER_MS = 1500;

export interface StatusLine {
  /** The step the run is at now. */
  readonly update: (step: ProgressStep) => void;
  /** A line of output: written above the status, which stays at the bottom. */
  readonly print: (text: string) => void;
  /** The run is over: the status line is erased. */
  readonly done: () => void;
}

export interface StatusLineOptions {
  readonly isTty: boolean;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Terminal width: longer statuses are cut. */
  readonly columns?: number;
  readonly now?: () => number;
  /** How many KPIs the same report computed last time: "KPI 12 of about 50". */
  readonly kpisExpected?: number;
}

export function createStatusLine(write: (text: string) => void, options: StatusLineOptions): StatusLine {
  const now = options.now ?? (() => performance.now());
  const after = showAfter(options.env ?? {});
  const started = now();
  // A pseudo-terminal may report no width (0): then 80.
  const width = Math.max(20, (options.columns || 80) - 1);
  let current = '';
  let shown = false;
  const live = options.isTty && after !== undefined;
  const draw = () => {
    if (!live || current === '' || now() - started < (after ?? 0)) return;
    write(`\r\x1b[K${current}`);
    shown = true;
  };
  const erase = () => {
    if (shown) write('\r\x1b[K');
    shown = false;
  };
  // A long single step (one big table) still shows once the moment has passed.
  const timer = live ? setTimeout(draw, after ?? 0) : undefined;
  timer?.unref();
  return {
    update: (step) => {
      current = clipped(describeStep(step, options.kpisExpected), width);
      draw();
    },
    print: (text) => {
      erase();
      // The terminal is written as it is: a line's own control characters are shown escaped.
      write(terminalSafe(text));
      draw();
    },
    done: () => {
      clearTimeout(timer);
      erase();
      current = '';
    },
  };
}

function showAfter(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const raw = env.PULSE_PROGRESS_AFTER_MS;
  if (raw === undefined || raw === '') return SHOW_AFTER_MS;
  if (/^(off|never|no|false)$/i.test(raw)) return undefined;
  const ms = Number(raw);
  return Number.isFinite(ms) && ms >= 0 ? ms : SHOW_AFTER_MS;
}

// Names come from files (a project's KPI ids): no control character may reach the terminal.
function clipped(text: string, width: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is removed
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > width ? `${clean.slice(0, width - 1)}…` : clean;
}
