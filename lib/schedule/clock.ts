// The clock, injectable: the daemon asks it for the time and sleeps through it, so tests can run
// two years of schedules in a second and the real clock can survive suspend and clock changes.

export interface Clock {
  now(): Date;
  /** Resolves at `at` (or at once if it has passed), or early when `signal` aborts. */
  sleepUntil(at: Date, signal?: AbortSignal): Promise<void>;
}

/** Long waits are cut into slices so a suspended machine or a clock change is noticed. */
const SLICE_MS = 60_000;

export const systemClock: Clock = {
  now: () => new Date(),
  async sleepUntil(at, signal) {
    while (!signal?.aborted) {
      const left = at.getTime() - Date.now();
      if (left <= 0) return;
      await sleep(Math.min(left, SLICE_MS), signal);
    }
  },
};

/** Waits `ms`, or less when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A clock that jumps: sleeping moves time forward at once. For tests and --once with PULSE_NOW. */
export function createFakeClock(start: Date): Clock & { set(at: Date): void; readonly sleeps: Date[] } {
  let current = new Date(start);
  const sleeps: Date[] = [];
  return {
    sleeps,
    now: () => new Date(current),
    set(at) {
      current = new Date(at);
    },
    async sleepUntil(at, signal) {
      if (signal?.aborted) return;
      sleeps.push(at);
      if (at.getTime() > current.getTime()) current = new Date(at);
      // Let other work see the new time before this sleeper goes on.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/** Real time, shifted to start at `start` (PULSE_NOW): the daemon behaves as if it were then. */
export function createOffsetClock(start: Date): Clock {
  const offset = start.getTime() - Date.now();
  const shifted = () => new Date(Date.now() + offset);
  return {
    now: shifted,
    sleepUntil: (at, signal) => systemClock.sleepUntil(new Date(at.getTime() - offset), signal),
  };
}
