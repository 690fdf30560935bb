import type { CatalogRange } from "./catalog-namespace.js";

/** The bounds LevelDB understands, relative to a sublevel. */
export interface LevelRange {
  gt?: string;
  gte?: string;
  lt?: string;
  lte?: string;
  limit?: number;
  reverse?: boolean;
}

type Bound = { key: string; isInclusive: boolean };

// The highest code point: prefix + U+10FFFF sorts after every key that starts with prefix
// followed by any other character (UTF-8 bytes compare like code points).
const PREFIX_END = "\u{10ffff}";

/**
 * Turns a `CatalogRange` into LevelDB iterator options. A prefix becomes [prefix, prefix+U+10FFFF)
 * intersected with any explicit bounds, compared as LevelDB does (UTF-8 bytes), so
 * `{ prefix: "a/", gt: "a/m" }` means keys after "a/m" that start with "a/".
 */
export function rangeOptions(range: CatalogRange = {}): LevelRange {
  const prefix = range.prefix === undefined || range.prefix === "" ? undefined : range.prefix;
  const lower = tighter(
    explicitBound(range.gt, range.gte),
    prefix === undefined ? undefined : { key: prefix, isInclusive: true },
    1,
  );
  const upper = tighter(
    explicitBound(range.lt, range.lte),
    prefix === undefined ? undefined : { key: prefix + PREFIX_END, isInclusive: false },
    -1,
  );
  const options: LevelRange = {};
  if (lower !== undefined) options[lower.isInclusive ? "gte" : "gt"] = lower.key;
  if (upper !== undefined) options[upper.isInclusive ? "lte" : "lt"] = upper.key;
  if (range.limit !== undefined && Number.isFinite(range.limit)) {
    options.limit = Math.max(0, Math.floor(range.limit));
  }
  if (range.reverse === true) options.reverse = true;
  return options;
}

/** The exclusive bound wins when both are given: it is the stricter reading of a confused range. */
function explicitBound(exclusive?: string, inclusive?: string): Bound | undefined {
  if (exclusive !== undefined) return { key: exclusive, isInclusive: false };
  if (inclusive !== undefined) return { key: inclusive, isInclusive: true };
  return undefined;
}

/** Of two bounds on the same side, the one that admits fewer keys; `side` 1 = lower, -1 = upper. */
function tighter(a: Bound | undefined, b: Bound | undefined, side: 1 | -1): Bound | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const order = Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)) * side;
  if (order !== 0) return order > 0 ? a : b;
  return a.isInclusive ? b : a;
}
