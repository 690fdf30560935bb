import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A logged-in browser. Held in memory only: a restart of hearth logs everyone out. */
export interface Session {
  /** Sent back by the browser in `x-csrf-token` on every state-changing request. */
  readonly csrfToken: string;
  readonly createdAt: number;
  lastSeenAt: number;
  /** When the cookie was last (re)sent; the cookie's own expiry slides with it. */
  cookieSentAt: number;
  /** Set on logout or password change, so long-lived streams (SSE) can notice and end. */
  isRevoked: boolean;
}

export interface SessionStoreOptions {
  /** A session unused for this long is gone. Default 7 days. */
  idleTimeoutMs?: number;
  /** Most sessions kept; past it the least recently used one is dropped. Default 200. */
  maxSessions?: number;
  now?: () => number;
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * Sessions keyed by the SHA-256 of the cookie value, so the id a browser holds is never kept
 * and lookups do not leak it through timing. Expiry is checked on use: no timers.
 */
export class SessionStore {
  readonly idleTimeoutMs: number;
  readonly #maxSessions: number;
  readonly #now: () => number;
  /** Map order is least recently used first (touching re-inserts). */
  readonly #sessions = new Map<string, Session>();

  constructor(options: SessionStoreOptions = {}) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? 7 * 24 * 3600 * 1000;
    this.#maxSessions = options.maxSessions ?? 200;
    this.#now = options.now ?? Date.now;
  }

  /** Starts a session; returns the id for the cookie (32 random bytes, base64url). */
  create(): { id: string; session: Session } {
    const id = randomBytes(32).toString("base64url");
    const now = this.#now();
    const session: Session = {
      csrfToken: randomBytes(32).toString("base64url"),
      createdAt: now,
      lastSeenAt: now,
      cookieSentAt: now,
      isRevoked: false,
    };
    this.#sessions.set(keyOf(id), session);
    this.#evictOverflow();
    return { id, session };
  }

  /** The live session for a cookie value, sliding its idle expiry; undefined when none. */
  get(id: string | undefined): Session | undefined {
    if (id === undefined || !SESSION_ID.test(id)) return undefined;
    const key = keyOf(id);
    const session = this.#sessions.get(key);
    if (session === undefined) return undefined;
    const now = this.#now();
    if (now - session.lastSeenAt > this.idleTimeoutMs) {
      this.#drop(key, session);
      return undefined;
    }
    session.lastSeenAt = now;
    this.#sessions.delete(key);
    this.#sessions.set(key, session);
    return session;
  }

  /** Ends the session for a cookie value (logout). */
  delete(id: string | undefined): void {
    if (id === undefined || !SESSION_ID.test(id)) return;
    const key = keyOf(id);
    const session = this.#sessions.get(key);
    if (session !== undefined) this.#drop(key, session);
  }

  /** Ends every session but `keep` (after a password change, other browsers must log in again). */
  revokeAllExcept(keep: Session | undefined): void {
    for (const [key, session] of this.#sessions) {
      if (session !== keep) this.#drop(key, session);
    }
  }

  get size(): number {
    return this.#sessions.size;
  }

  #drop(key: string, session: Session): void {
    session.isRevoked = true;
    this.#sessions.delete(key);
  }

  #evictOverflow(): void {
    for (const [key, session] of this.#sessions) {
      if (this.#sessions.size <= this.#maxSessions) return;
      this.#drop(key, session);
    }
  }
}

/** True when `given` is the session's CSRF token (constant-time). */
export function isCsrfTokenValid(session: Session, given: unknown): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(session.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}

function keyOf(id: string): string {
  return createHash("sha256").update(id).digest("base64url");
}
