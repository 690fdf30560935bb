import { backoffDelayMs } from "../../services/host/backoff.js";

/** Reconnect pacing for the AMI link. */
export interface AmiBackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_AMI_BACKOFF: AmiBackoffPolicy = { initialMs: 1_000, maxMs: 60_000 };

/**
 * Delay before reconnect attempt `attempt` (1-based): capped exponential with "equal jitter"
 * (half fixed, half random), so several hearths — or one hearth after an Asterisk restart — do not
 * all knock at the same instant, yet the delay never collapses to zero.
 */
export function reconnectDelayMs(
  policy: AmiBackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = backoffDelayMs({ ...policy, resetAfterMs: 0 }, Math.max(1, attempt));
  const jitter = Math.min(1, Math.max(0, random()));
  return Math.round(ceiling / 2 + (ceiling / 2) * jitter);
}
