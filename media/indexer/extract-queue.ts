/**
 * Runs a pass's metadata extractions with a bounded number in flight: enough to keep every worker
 * of the metadata pool busy, few enough that results never pile up in memory. `push` waits for a
 * free slot, which slows the folder walk down to the speed of extraction. When the pass is aborted
 * (close(), SIGTERM) nobody waits for extractions in flight: their results are dropped.
 *
 * Waiting uses plain callbacks, not Promise.race against a long-lived "aborted" promise: every
 * race leaves a reaction on a promise that never settles, which held ~4 KB per file on a
 * 50 000-file scan.
 */
export class ExtractQueue {
  readonly #limit: number;
  readonly #active = new Set<Promise<void>>();
  readonly #signal: AbortSignal;
  readonly #onError: (err: unknown) => void;
  #waiters: Array<() => void> = [];

  /** @param onError gets what a job threw; jobs are expected to handle their own failures. */
  constructor(limit: number, signal: AbortSignal, onError: (err: unknown) => void) {
    this.#limit = Math.max(1, limit);
    this.#signal = signal;
    this.#onError = onError;
    signal.addEventListener("abort", () => this.#wake(), { once: true });
  }

  /** Starts `job` once a slot is free; resolves when it has started (not when it ends). */
  async push(job: () => Promise<void>): Promise<void> {
    while (this.#active.size >= this.#limit && !this.#signal.aborted) await this.#changed();
    if (this.#signal.aborted) return;
    const running: Promise<void> = job()
      .catch(this.#onError)
      .finally(() => {
        this.#active.delete(running);
        this.#wake();
      });
    this.#active.add(running);
  }

  /** Waits for every started job, or until the pass is aborted. */
  async drain(): Promise<void> {
    while (this.#active.size > 0 && !this.#signal.aborted) await this.#changed();
  }

  /** Resolves at the next job end or abort. */
  #changed(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
