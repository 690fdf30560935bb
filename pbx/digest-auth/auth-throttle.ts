import type { Logger } from "pino";

export interface AuthThrottleOptions {
  /** Failures within one window after which the address gets 403 until the window ends. */
  limit: number;
  windowMs: number;
  /** Addresses remembered at most; the oldest windows are forgotten first. */
  maxSources?: number;
}

interface SourceWindow {
  startedAt: number;
  failures: number;
}

/**
 * Counts failed digest authentications per source address in fixed windows. A phone with a
 * wrong password retries forever and a scanner tries thousands of names: the journal gets one
 * line per address per window when the failures start, and one when the address is blocked;
 * a blocked address is answered 403 without a challenge, so it gets no fresh nonce to try.
 */
export class AuthThrottle {
  readonly #options: Required<AuthThrottleOptions>;
  readonly #log: Logger;
  readonly #sources = new Map<string, SourceWindow>();

  constructor(options: AuthThrottleOptions, log: Logger) {
    this.#options = { maxSources: 4096, ...options };
    this.#log = log;
  }

  isBlocked(address: string, now = Date.now()): boolean {
    const window = this.#current(address, now);
    return window !== undefined && window.failures >= this.#options.limit;
  }

  recordFailure(address: string, user: string, now = Date.now()): void {
    let window = this.#current(address, now);
    if (window === undefined) {
      this.#forgetOldest();
      window = { startedAt: now, failures: 0 };
      this.#sources.set(address, window);
    }
    window.failures += 1;
    const seconds = Math.round(this.#options.windowMs / 1000);
    if (window.failures === 1) {
      this.#log.warn(
        { from: address, user },
        `a phone failed digest authentication (wrong password or unknown extension); further failures from this address in the next ${seconds} s are counted quietly`,
      );
    } else if (window.failures === this.#options.limit) {
      this.#log.warn(
        { from: address, failures: window.failures },
        "too many failed registrations from one address; answering 403 without a challenge until the window ends",
      );
    }
  }

  recordSuccess(address: string): void {
    this.#sources.delete(address);
  }

  #current(address: string, now: number): SourceWindow | undefined {
    const window = this.#sources.get(address);
    if (window === undefined) return undefined;
    if (now - window.startedAt < this.#options.windowMs) return window;
    this.#sources.delete(address);
    return undefined;
  }

  #forgetOldest(): void {
    // Maps iterate in insertion order, so the first key is the oldest window.
    while (this.#sources.size >= this.#options.maxSources) {
      const oldest = this.#sources.keys().next().value;
      if (oldest === undefined) return;
      this.#sources.delete(oldest);
    }
  }
}
