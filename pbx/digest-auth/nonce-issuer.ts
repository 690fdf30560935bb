import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** What a nonce a phone sent back is worth. */
export type NonceState = "valid" | "stale" | "invalid";

/**
 * Digest nonces that need no table: `<issued-at, base 36 ms>.<HMAC-SHA256 of it and the realm>`
 * under a key made at process start. Only this process can mint them, so a nonce from another
 * server or a guessed one is "invalid"; an authentic one past its lifetime is "stale" (RFC 2617
 * §3.2.1: the phone retries with the new nonce without asking the user). A restart changes the
 * key, which only costs each phone one extra challenge.
 */
export class NonceIssuer {
  readonly #key = randomBytes(32);
  readonly #realm: string;
  readonly #lifetimeMs: number;

  constructor(realm: string, lifetimeMs: number) {
    this.#realm = realm;
    this.#lifetimeMs = lifetimeMs;
  }

  issue(now = Date.now()): string {
    const issuedAt = now.toString(36);
    return `${issuedAt}.${this.#sign(issuedAt)}`;
  }

  check(nonce: string, now = Date.now()): NonceState {
    const dot = nonce.indexOf(".");
    if (dot <= 0 || dot > 12) return "invalid";
    const issuedAt = nonce.slice(0, dot);
    const given = Buffer.from(nonce.slice(dot + 1));
    const expected = Buffer.from(this.#sign(issuedAt));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "invalid";
    const age = now - parseInt(issuedAt, 36);
    // A nonce from the future was not made by this clock; refuse it like a forged one.
    if (!(age >= -1000)) return "invalid";
    return age > this.#lifetimeMs ? "stale" : "valid";
  }

  #sign(issuedAt: string): string {
    return createHmac("sha256", this.#key)
      .update(`${issuedAt}:${this.#realm}`)
      .digest("base64url")
      .slice(0, 27);
  }
}
