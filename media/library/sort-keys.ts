/**
 * Collation keys: strings whose byte order (LevelDB's key order) is the order a person expects.
 * They go into child-index keys, so they are short, deterministic and free of the separators
 * "\u0000" and "\u0001". Changing how a key is computed changes stored keys: that needs a schema
 * migration that rebuilds the child index (see README.md).
 */

/** Sorts after every other key component: "Unknown artist" goes to the end of its list. */
export const UNKNOWN_KEY = "\uffff";
/** Between the components of one sort key; lower than any character a component contains. */
export const PART_SEPARATOR = "\u0001";

/**
 * Longest text component kept in a key by default; longer titles tie there and fall back to the
 * next component, then the id. Long enough for "Book Title - Chapter 10" to sort naturally.
 */
const MAX_TEXT_CHARS = 40;
/** Digit runs longer than this are cut: their order beyond it is not worth key bytes. */
const MAX_DIGITS = 20;

/**
 * A case-, accent- and punctuation-insensitive key with natural number order ("Track 9" before
 * "Track 10"). Leading punctuation is ignored ("...And Justice" files under A). Text without any
 * letter or digit (emoji, "★★★") keeps its characters so it still sorts deterministically.
 */
export function sortKeys(text: string, maxChars = MAX_TEXT_CHARS): string {
  const memoKey = `${maxChars}:${text}`;
  let key = memo.get(memoKey);
  if (key === undefined) {
    if (memo.size >= MEMO_SIZE) memo.clear();
    key = computeKey(text, maxChars);
    memo.set(memoKey, key);
  }
  return key;
}

// An album's artist, album and genre names come back for every track: keys are memoised.
const MEMO_SIZE = 8192;
const memo = new Map<string, string>();

function computeKey(text: string, maxChars: number): string {
  // ASCII needs no Unicode normalisation: the common case, made cheap.
  const folded = (
    /^[\x20-\x7e]*$/.test(text) ? text : text.normalize("NFKD").replace(/\p{M}+/gu, "")
  )
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
  if (folded === "") return fallbackKey(text, maxChars);
  const natural = folded.replace(/\p{Nd}+/gu, (digits) => numberKey(asciiDigits(digits)));
  return [...natural].slice(0, maxChars).join("");
}

/** An artist's key: like `sortKeys`, ignoring a leading "The " ("The Beatles" under B). */
export function artistKey(name: string): string {
  const withoutArticle = name.trim().replace(/^the\s+/i, "");
  return sortKeys(withoutArticle === "" ? name : withoutArticle);
}

/**
 * A non-negative integer as a key that sorts numerically: its digit count as one character, then
 * the digits ("9" → "19", "10" → "210"). The count character ("1".."9", then ":" ...) is below
 * every letter, so numbers sort before words.
 */
export function numberKey(value: number | string): string {
  const digits = String(value)
    .replace(/^0+(?=\d)/, "")
    .slice(0, MAX_DIGITS);
  return String.fromCharCode(0x30 + digits.length) + digits;
}

/** A number key, or a key after every number when the value is missing. */
export function optionalNumberKey(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) || value < 0
    ? "~"
    : numberKey(Math.floor(value));
}

/**
 * A key that sorts newest first: each digit of a "YYYYMMDDhhmmss" stamp replaced by 9 minus it.
 */
export function descendingDigits(stamp: string): string {
  return stamp.replace(/\d/g, (digit) => String(9 - Number(digit)));
}

/** Identity used to merge spellings of one name ("ABBA", "Abba ", "abba"): case and spaces only. */
export function nameIdentity(name: string): string {
  return name.normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim();
}

function fallbackKey(text: string, maxChars: number): string {
  const kept = text
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cs}\s]+/gu, "")
    .toLowerCase();
  return [...kept].slice(0, maxChars).join("");
}

// Other scripts' digits ("٣", "३") compare by their value, like ASCII ones.
function asciiDigits(digits: string): string {
  if (/^[0-9]+$/.test(digits)) return digits;
  return [...digits].map((d) => String(digitValue(d))).join("");
}

function digitValue(digit: string): number {
  const code = digit.codePointAt(0) ?? 0x30;
  // Decimal digits come in runs of ten, zero first (U+0660, U+0966...); parseInt knows only ASCII,
  // so count back to the run's start. NFKD has already turned fullwidth and math digits to ASCII.
  let start = code;
  while (start > code - 40 && /\p{Nd}/u.test(String.fromCodePoint(start - 1))) start -= 1;
  return (code - start) % 10;
}
