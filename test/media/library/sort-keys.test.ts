import assert from "node:assert/strict";
import {
  artistKey,
  descendingDigits,
  nameIdentity,
  numberKey,
  sortKeys,
} from "../../../media/library/sort-keys.js";

/** Sorts by key the way LevelDB orders keys: UTF-8 bytes. */
function byKey(texts: string[], key: (text: string) => string = sortKeys): string[] {
  return [...texts].sort((a, b) => Buffer.compare(Buffer.from(key(a)), Buffer.from(key(b))));
}

describe("sort keys", () => {
  it("orders numbers naturally, before words", () => {
    assert.deepEqual(byKey(["Track 10", "Track 9", "Track 100", "Track", "Track b", "Track 09"]), [
      "Track",
      "Track 9",
      "Track 09",
      "Track 10",
      "Track 100",
      "Track b",
    ]);
    assert.deepEqual(
      byKey(["10", "9", "0", "1"], (n) => numberKey(n)),
      ["0", "1", "9", "10"],
    );
  });

  it("ignores case, accents, punctuation and other scripts' digit shapes", () => {
    assert.equal(sortKeys("Éclair"), sortKeys("eclair"));
    assert.equal(sortKeys("AC/DC"), sortKeys("ac-dc"));
    assert.equal(sortKeys("...And Justice"), sortKeys("and justice"));
    assert.equal(sortKeys("Part ٣"), sortKeys("Part 3"));
    assert.equal(sortKeys("Part ３"), sortKeys("Part 3"));
  });

  it("keeps text without letters or digits, and never emits the separators", () => {
    assert.equal(sortKeys("★★★"), "★★★");
    for (const text of ["a\u0000b", "a\u0001b", "\u0000", "x\ud800y", ""]) {
      const key = sortKeys(text);
      assert.ok(!key.includes("\u0000") && !key.includes("\u0001"), JSON.stringify(text));
    }
  });

  it("files artists without a leading The, but keeps a band called The", () => {
    assert.deepEqual(byKey(["The Beatles", "ABBA", "The", "Blur"], artistKey), [
      "ABBA",
      "The Beatles",
      "Blur",
      "The",
    ]);
    assert.equal(artistKey("The The"), artistKey("The"), "they tie; the container id decides");
  });

  it("merges spellings of a name by case and spaces only", () => {
    assert.equal(nameIdentity(" ABBA  Gold "), nameIdentity("abba gold"));
    assert.notEqual(nameIdentity("Beyoncé"), nameIdentity("Beyonce"));
  });

  it("turns a date stamp into a newest-first key", () => {
    assert.deepEqual(byKey(["20230115", "20240714", "20240101"], descendingDigits), [
      "20240714",
      "20240101",
      "20230115",
    ]);
  });
});
