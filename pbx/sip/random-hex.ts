import { randomFillSync } from "node:crypto";

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

/**
 * `bytes` cryptographically random bytes as hex, for SIP tags and Call-IDs (RFC 3261 §19.3: at
 * least 32 random bits, globally unique). Drawn from a pool refilled 4 KiB at a time: a
 * randomBytes() call per tag was 3–7 % of hearth's CPU under a burst of registrations.
 */
export function randomHex(bytes: number): string {
  if (used + bytes > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const hex = pool.toString("hex", used, used + bytes);
  used += bytes;
  return hex;
}
