// When to try a 4xx again: exponential backoff with jitter, so many senders greylisted together
// do not come back in the same second.

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, initialDelayMs: 30_000, maxDelayMs: 15 * 60_000 };

/**
 * The wait after failed attempt `attempt` (1-based): initial × 2^(attempt-1), capped, then
 * scaled into [half, full] by `random` in [0, 1) ("equal jitter": never zero, never longer).
 */
export function buildBackoffDelay(policy: RetryPolicy, attempt: number, random: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (exponential / 2) * Math.min(Math.max(random, 0), 1));
}

/** The most a recipient can wait in all (every delay at its maximum): for status and docs. */
export function buildWorstCaseWait(policy: RetryPolicy): number {
  let total = 0;
  for (let attempt = 1; attempt < policy.attempts; attempt++) total += buildBackoffDelay(policy, attempt, 1);
  return total;
}
