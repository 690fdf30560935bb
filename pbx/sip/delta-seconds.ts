/** RFC 3261 delta-seconds: digits only; ten at most (larger values are capped below anyway). */
const DELTA_SECONDS = /^[0-9]{1,10}$/;

/**
 * An Expires header or `expires` parameter as seconds: undefined when absent, "bad" when it is
 * not delta-seconds, capped at 2³²−1 (RFC 3261 §20.19).
 */
export function readDeltaSeconds(value: unknown): number | undefined | "bad" {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") return "bad";
  const text = value.trim();
  if (!DELTA_SECONDS.test(text)) return "bad";
  return Math.min(Number(text), 2 ** 32 - 1);
}
