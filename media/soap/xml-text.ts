/* eslint-disable no-control-regex -- matching control characters is this file's job */
/** Characters XML 1.0 does not allow anywhere, even escaped (C0 controls but tab, CR, LF; FFFE/FFFF; lone surrogates). */
const FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const SPECIAL = /[&<>"']/g;
const SPECIAL_TEST = /[&<>"']/;
const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/**
 * Text or attribute value made safe for XML: the five special characters escaped, characters XML
 * cannot carry dropped. Every value that reaches an XML document passes through here once.
 */
export function xmlEscape(value: string | number): string {
  const text = typeof value === "number" ? String(value) : value;
  // The common case (plain titles) allocates nothing; the forbidden-character pass (lookarounds,
  // slow on a 35 KB DIDL Result) runs only when a suspect character is there at all.
  const clean = SUSPECT.test(text) ? text.replace(FORBIDDEN, "") : text;
  return SPECIAL_TEST.test(clean) ? clean.replace(SPECIAL, (c) => ENTITIES[c] ?? c) : clean;
}
