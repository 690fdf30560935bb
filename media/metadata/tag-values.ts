/**
 * Normalisers for values read from tags and probes. Tags are untrusted input from the files: a
 * title can be megabytes of padding, hold NULs (ID3v2 terminators kept by sloppy taggers), or a
 * track number of -1. The catalog stores what comes out of here.
 */

/** Longest text kept from a tag; DIDL-Lite consumers choke long before this. */
const MAX_TEXT = 1024;
// Control characters are invalid in XML 1.0 (the DIDL-Lite the server sends), except tab/LF/CR.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Trimmed text without control characters, at most 1024 UTF-16 units; undefined when empty. */
export function cleanText(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  let text = value.replace(CONTROL, "").trim();
  if (text.length > MAX_TEXT) {
    text = text.slice(0, MAX_TEXT);
    // Do not leave half of a surrogate pair at the cut.
    if (/[\ud800-\udbff]$/.test(text)) text = text.slice(0, -1);
  }
  return text === "" ? undefined : text;
}

/** A finite integer ≥ 1, else undefined (tags say 0 or -1 for "none"). */
export function positiveInt(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 ? value : undefined;
}

/** A finite number > 0 rounded to `digits` decimals, else undefined. */
export function roundTo(value: unknown, digits: number): number | undefined {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) return undefined;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
