/**
 * The clock and timers an EventPublisher uses: real ones in hearth, a hand-driven one in tests so
 * moderation and expiry can be checked by counting events instead of by waiting.
 */
export interface EventTimers {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Calls `callback` once after `delayMs`; the timer must not keep the process alive. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Whatever `setTimeout` returned; only passed back to `clearTimeout`. */
export type TimerHandle = unknown;

/** Node's timers, unref'd: a pending event or expiry never holds hearth open on shutdown. */
export const realTimers: EventTimers = {
  now: () => performance.now(),
  setTimeout(callback, delayMs) {
    return setTimeout(callback, delayMs).unref();
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
