import { randomInt } from "node:crypto";

/**
 * Letters and digits that survive being read aloud or copied off a screen: no 0/o, 1/l/i.
 * 31 symbols, so 16 of them carry about 79 bits — far beyond what the login throttle lets anyone guess.
 */
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/**
 * A random password a person can type from a log line, e.g. `k7pm-x3ta-9fqe-hw4n`.
 * Uses `crypto.randomInt`, which is uniform (no modulo bias).
 */
export function readablePassword(groups = 4, groupLength = 4): string {
  const parts: string[] = [];
  for (let g = 0; g < groups; g++) {
    let part = "";
    for (let i = 0; i < groupLength; i++) part += ALPHABET[randomInt(ALPHABET.length)];
    parts.push(part);
  }
  return parts.join("-");
}
