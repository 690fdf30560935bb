import type { EventTimers, TimerHandle } from "../../../media/eventing/index.js";

/**
 * A hand-driven clock for EventPublisher tests: nothing fires until `advance`, so moderation
 * and expiry are checked by counting events, never by waiting.
 */
export class ManualTimers implements EventTimers {
  #nowMs = 1_000_000;
  #nextId = 1;
  readonly #timers = new Map<number, { atMs: number; callback: () => void }>();

  now(): number {
    return this.#nowMs;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.#nextId++;
    this.#timers.set(id, { atMs: this.#nowMs + Math.max(0, delayMs), callback });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers.delete(handle as number);
  }

  /** Timers set and not yet fired or cleared. */
  get pendingCount(): number {
    return this.#timers.size;
  }

  /** Moves the clock by `ms`, firing every timer due on the way, earliest first. */
  advance(ms: number): void {
    const targetMs = this.#nowMs + ms;
    for (;;) {
      let next: [number, { atMs: number; callback: () => void }] | undefined;
      for (const entry of this.#timers) {
        if (entry[1].atMs <= targetMs && (next === undefined || entry[1].atMs < next[1].atMs)) {
          next = entry;
        }
      }
      if (next === undefined) break;
      this.#timers.delete(next[0]);
      this.#nowMs = next[1].atMs;
      next[1].callback();
    }
    this.#nowMs = targetMs;
  }
}
