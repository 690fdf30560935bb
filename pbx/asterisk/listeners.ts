import type { Logger } from "pino";

/**
 * A small typed listener list. A listener that throws is logged and reaches neither the emitter
 * (often a socket data handler, where a throw would kill the link) nor the other listeners.
 */
export class Listeners<T> {
  readonly #fns = new Set<(value: T) => void>();
  readonly #log: Logger;
  readonly #what: string;

  constructor(log: Logger, what: string) {
    this.#log = log;
    this.#what = what;
  }

  /** Adds `fn`; the returned function removes it again. */
  add(fn: (value: T) => void): () => void {
    this.#fns.add(fn);
    return () => this.#fns.delete(fn);
  }

  emit(value: T): void {
    for (const fn of [...this.#fns]) {
      try {
        fn(value);
      } catch (err) {
        this.#log.error({ err }, `a ${this.#what} listener threw; the others still ran`);
      }
    }
  }

  clear(): void {
    this.#fns.clear();
  }
}
