import type { Logger } from "pino";

/** How often one kind of problem may reach the journal. */
const DEFAULT_WINDOW_MS = 60_000;

/**
 * Counts problems with input from the network (bad datagrams, floods, broken streams) and logs
 * each kind at most once per window, with how many were swallowed since. A scanner or a broken
 * phone sends the same garbage thousands of times; the journal should say so once a minute, not
 * thousands of times. Counts are kept for `health()` and the status page.
 */
export class ProblemLog {
  readonly #log: Logger;
  readonly #windowMs: number;
  readonly #counts = new Map<string, number>();
  /** Per kind: when it was last logged, and how many arrived since. */
  readonly #windows = new Map<string, { loggedAt: number; quiet: number }>();

  constructor(log: Logger, windowMs = DEFAULT_WINDOW_MS) {
    this.#log = log;
    this.#windowMs = windowMs;
  }

  /** Counts one problem of `kind` ("malformed", "too-large"…) and logs it unless one was logged recently. */
  report(kind: string, detail: Record<string, unknown>, message: string): void {
    this.#counts.set(kind, (this.#counts.get(kind) ?? 0) + 1);
    const now = Date.now();
    const window = this.#windows.get(kind);
    if (window !== undefined && now - window.loggedAt < this.#windowMs) {
      window.quiet += 1;
      this.#log.debug({ kind, ...detail }, message);
      return;
    }
    const suppressed = window?.quiet ?? 0;
    this.#windows.set(kind, { loggedAt: now, quiet: 0 });
    this.#log.warn({ kind, ...detail, ...(suppressed > 0 ? { suppressed } : {}) }, message);
  }

  /** Problems seen since start, by kind. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  /** Total problems seen since start. */
  total(): number {
    let sum = 0;
    for (const n of this.#counts.values()) sum += n;
    return sum;
  }
}
