/** How a client's next password attempt is treated. */
export type ThrottleVerdict = { isAllowed: true } | { isAllowed: false; retryAfterSeconds: number };

export interface LoginThrottleOptions {
  /** Failures allowed before the first lockout. Default 5. */
  freeAttempts?: number;
  /** A client's record is forgotten after this long without failures or lockout. Default 15 min. */
  windowMs?: number;
  /** First lockout; each further failure doubles it. Default 1 min. */
  firstLockMs?: number;
  /** Longest lockout. Default 1 hour. */
  maxLockMs?: number;
  /** Most clients remembered; past it the oldest record is dropped. Default 10 000. */
  maxClients?: number;
  now?: () => number;
}

interface ClientRecord {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

/**
 * Counts wrong passwords per client IP (dashboard login, password change and HTTP Basic on
 * /metrics share one instance, so a guesser gains nothing by switching doors). After
 * `freeAttempts` failures the client is locked out for a delay that doubles with every further
 * failure. Records are checked and forgotten on use: no timers.
 */
export class LoginThrottle {
  readonly #freeAttempts: number;
  readonly #windowMs: number;
  readonly #firstLockMs: number;
  readonly #maxLockMs: number;
  readonly #maxClients: number;
  readonly #now: () => number;
  readonly #clients = new Map<string, ClientRecord>();

  constructor(options: LoginThrottleOptions = {}) {
    this.#freeAttempts = options.freeAttempts ?? 5;
    this.#windowMs = options.windowMs ?? 15 * 60_000;
    this.#firstLockMs = options.firstLockMs ?? 60_000;
    this.#maxLockMs = options.maxLockMs ?? 3600_000;
    this.#maxClients = options.maxClients ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Whether `client` may try a password now. */
  check(client: string): ThrottleVerdict {
    const record = this.#current(client);
    const now = this.#now();
    if (record === undefined || now >= record.lockedUntil) return { isAllowed: true };
    return { isAllowed: false, retryAfterSeconds: Math.ceil((record.lockedUntil - now) / 1000) };
  }

  /**
   * Records a wrong password. Returns true for the first failure of a new window, which is the
   * one the caller logs: one line per client per window, not one per attempt.
   */
  fail(client: string): boolean {
    const now = this.#now();
    const existing = this.#current(client);
    const record = existing ?? { failures: 0, lastFailureAt: now, lockedUntil: 0 };
    record.failures += 1;
    record.lastFailureAt = now;
    const excess = record.failures - this.#freeAttempts;
    if (excess >= 0) {
      record.lockedUntil = now + Math.min(this.#firstLockMs * 2 ** excess, this.#maxLockMs);
    }
    if (existing === undefined) this.#remember(client, record);
    return existing === undefined;
  }

  /** Forgets the client's failures after a correct password. */
  succeed(client: string): void {
    this.#clients.delete(client);
  }

  #current(client: string): ClientRecord | undefined {
    const record = this.#clients.get(client);
    if (record === undefined) return undefined;
    // A window ends only once the client has been quiet for windowMs after any lockout ran out.
    const quietSince = Math.max(record.lastFailureAt, record.lockedUntil);
    if (this.#now() - quietSince <= this.#windowMs) return record;
    this.#clients.delete(client);
    return undefined;
  }

  #remember(client: string, record: ClientRecord): void {
    this.#clients.set(client, record);
    if (this.#clients.size <= this.#maxClients) return;
    const oldest = this.#clients.keys().next().value;
    if (oldest !== undefined) this.#clients.delete(oldest);
  }
}
