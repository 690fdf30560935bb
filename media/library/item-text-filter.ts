/**
 * A condition on an item's text facts (title, artist, album artist, album, genre), for scans that
 * can skip most items without reading them: `contains` is a needle some fact holds once folded
 * the way Search folds text (case and accents ignored, compatibility forms unified).
 */
export type ItemTextFilter =
  { contains: string } | { all: readonly ItemTextFilter[] } | { any: readonly ItemTextFilter[] };

/** Printable ASCII without `\`: JSON stores such text unescaped and Search folds it by lowercasing. */
const PLAIN = /^[\x20-\x5b\x5d-\x7e]*$/;

/**
 * A test on an item record's stored JSON text that is false only when no text fact of the item
 * can satisfy `filter`; undefined when the filter rules nothing out. It may keep items that do not
 * match (the needle may sit in another field); the caller still evaluates what it keeps.
 *
 * Sound because, in a record whose whole text is plain ASCII, every text fact is stored verbatim
 * (tags are cleaned before they are stored), and a title taken from the file name differs from
 * the stored name only by trimming and by runs of spaces collapsed to one, which the needle's
 * spaces (` +`) allow for. Any other record (accents, other scripts, escapes) is kept and judged
 * by the caller: that is where folding could make text match that the stored bytes do not show.
 */
export function storedTextTest(filter: ItemTextFilter): ((json: string) => boolean) | undefined {
  const test = compile(filter);
  return test === undefined ? undefined : (json) => !PLAIN.test(json) || test(json);
}

type TextTest = (json: string) => boolean;

function compile(filter: ItemTextFilter): TextTest | undefined {
  if ("contains" in filter) return containsTest(filter.contains);
  if ("all" in filter) {
    // A condition that rules nothing out can be left out of an "and".
    const tests = filter.all.map(compile).filter((t): t is TextTest => t !== undefined);
    if (tests.length === 0) return undefined;
    return (json) => tests.every((t) => t(json));
  }
  const tests = filter.any.map(compile);
  if (tests.length === 0 || tests.some((t) => t === undefined)) return undefined;
  const known = tests as TextTest[];
  return (json) => known.some((t) => t(json));
}

function containsTest(needle: string): TextTest | undefined {
  // A needle JSON would escape, or one outside ASCII, is judged by the caller on parsed facts.
  if (needle === "" || !PLAIN.test(needle) || needle.includes('"')) return undefined;
  const pattern = needle
    .split(/ +/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(" +");
  const regex = new RegExp(pattern, "i");
  return (json) => regex.test(json);
}
