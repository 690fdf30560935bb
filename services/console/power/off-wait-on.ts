import { setTimeout as delay } from "node:timers/promises";

/** How long the closing "on" of an aborted cycle may take: hearth is stopping and has a deadline. */
const ABORTED_ON_TIMEOUT_MS = 10_000;

/** The two switchings of a cycle and the pause between them. */
export interface OffWaitOnSteps {
  /** Switches the supply off; resolves when done. */
  off(signal: AbortSignal): Promise<void>;
  /** Switches it on; `signal` is the cycle's own, or a short deadline when the cycle was aborted. */
  on(signal: AbortSignal): Promise<void>;
  waitMs: number;
  signal: AbortSignal;
}

/**
 * A power cycle made of two switchings: off, wait, on. When `signal` aborts during off or the
 * wait, it still switches the board on (with a short deadline of its own) before rejecting: a
 * stopping hearth must not leave a board off halfway through a cycle. If that "on" fails, its
 * error is the one thrown, since the board is then left off.
 */
export async function offWaitOn(steps: OffWaitOnSteps): Promise<void> {
  const { signal } = steps;
  try {
    await steps.off(signal);
    await delay(steps.waitMs, undefined, { signal });
  } catch (err) {
    if (signal.aborted) await steps.on(AbortSignal.timeout(ABORTED_ON_TIMEOUT_MS));
    throw err;
  }
  await steps.on(signal);
}
