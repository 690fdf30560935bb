/** What a Range header asks of a representation of `sizeBytes` bytes. */
export type ByteRange =
  /** No usable Range: send the whole representation with 200. */
  | { kind: "whole" }
  /** One satisfiable range: send bytes `start`..`end` (inclusive) with 206. */
  | { kind: "part"; start: number; end: number }
  /** A well-formed range no byte of the representation satisfies: 416. */
  | { kind: "unsatisfiable" };

const SPEC = /^(\d*)-(\d*)$/;
/** Longer numbers cannot be a position in any file; they only make `Number` imprecise. */
const MAX_DIGITS = 20;

/**
 * Parses a Range header (RFC 9110 §14.1.2, §14.2) for a representation of `sizeBytes` bytes.
 * - `bytes=a-b`, `bytes=a-` and suffix `bytes=-n` are served; `b` past the end is clamped.
 * - A header that is malformed, in another unit, or asks for more than one range is ignored
 *   (RFC 9110 §14.2 lets a server ignore any Range): the whole representation, 200. Multiple
 *   ranges are rare in DLNA clients and a multipart/byteranges body is more than they handle.
 * - Well formed but past the end (`a` ≥ size, `-0`, any range of an empty file): unsatisfiable.
 */
export function parseByteRange(header: string | undefined, sizeBytes: number): ByteRange {
  if (header === undefined) return { kind: "whole" };
  const equals = header.indexOf("=");
  if (equals < 0 || header.slice(0, equals).trim().toLowerCase() !== "bytes") {
    return { kind: "whole" };
  }
  const specs = header.slice(equals + 1).split(",");
  if (specs.length !== 1) return { kind: "whole" };
  const match = SPEC.exec((specs[0] ?? "").trim());
  const [, first = "", last = ""] = match ?? [];
  if (match === null || (first === "" && last === "")) return { kind: "whole" };
  if (first.length > MAX_DIGITS || last.length > MAX_DIGITS) return { kind: "whole" };
  if (first === "") return suffixRange(Number(last), sizeBytes);
  const start = Number(first);
  const end = last === "" ? sizeBytes - 1 : Number(last);
  // "bytes=5-3" is invalid, not unsatisfiable (RFC 9110 §14.1.1): ignored like other garbage.
  if (last !== "" && end < start) return { kind: "whole" };
  if (start >= sizeBytes) return { kind: "unsatisfiable" };
  return { kind: "part", start, end: Math.min(end, sizeBytes - 1) };
}

/** The last `length` bytes; the whole file when it is shorter (RFC 9110 §14.1.2). */
function suffixRange(length: number, sizeBytes: number): ByteRange {
  if (length === 0 || sizeBytes === 0) return { kind: "unsatisfiable" };
  return { kind: "part", start: Math.max(0, sizeBytes - length), end: sizeBytes - 1 };
}
