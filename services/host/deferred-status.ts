import type { HostStatus, StatusSource } from "./host-status.js";

/**
 * A StatusSource that forwards to the host once it exists. The HTTP layer needs a status source
 * when it is built, and the host needs the HTTP layer's routes when it is built; this breaks the
 * knot without either knowing the other.
 */
export class DeferredStatus implements StatusSource {
  #source: StatusSource | undefined;
  readonly #pending = new Set<() => void>();

  bind(source: StatusSource): void {
    this.#source = source;
    for (const fn of this.#pending) source.onChange(fn);
    this.#pending.clear();
  }

  status(): Promise<HostStatus> {
    return this.#source ? this.#source.status() : Promise.reject(new Error("hearth is starting"));
  }

  onChange(fn: () => void): () => void {
    if (this.#source) return this.#source.onChange(fn);
    this.#pending.add(fn);
    return () => this.#pending.delete(fn);
  }
}
