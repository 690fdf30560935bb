/**
 * Runs at most one job per key at a time and, while one runs, keeps only the newest job queued
 * for that key. Lamp updates need exactly this: NOTIFYs to one phone must not overtake each other
 * (a "yes" arriving after the "no" that followed it leaves the lamp wrong), RFC 6665 §4.2.2 asks
 * a notifier to wait for the answer to one NOTIFY before sending the next in a subscription, and
 * states superseded while a slow phone answers need never be sent at all.
 */
export class CoalescingSender {
  readonly #running = new Map<string, Promise<void>>();
  readonly #queued = new Map<string, () => Promise<void>>();

  /** Runs `job` now if `key` is idle, otherwise after the running job (replacing any queued one). */
  push(key: string, job: () => Promise<void>): void {
    if (this.#running.has(key)) {
      this.#queued.set(key, job);
      return;
    }
    this.#start(key, job);
  }

  /** Resolves once every running and queued job has finished. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running.values());
  }

  #start(key: string, job: () => Promise<void>): void {
    const run = (async () => {
      try {
        await job();
      } catch {
        // Jobs report their own failures (they record NOTIFY results); a throw here must not
        // stop the queue for this phone, so it is dropped after the job had its say.
      }
    })().then(() => {
      this.#running.delete(key);
      const next = this.#queued.get(key);
      if (next === undefined) return;
      this.#queued.delete(key);
      this.#start(key, next);
    });
    this.#running.set(key, run);
  }
}
