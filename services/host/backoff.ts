/**
 * Restart delays for a failing service: 1 s, 2 s, 4 s … capped, so a service that cannot start
 * (a port held by another program, a missing disk) is retried often at first and then calmly,
 * without spinning the CPU or flooding the journal.
 */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** A service that ran this long without failing starts again from `initialMs`. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  initialMs: 1_000,
  maxMs: 60_000,
  resetAfterMs: 5 * 60_000,
};

/** Delay before restart attempt number `attempt` (1-based). */
export function backoffDelayMs(policy: BackoffPolicy, attempt: number): number {
  const exp = Math.min(attempt - 1, 30);
  return Math.min(policy.maxMs, policy.initialMs * 2 ** exp);
}
