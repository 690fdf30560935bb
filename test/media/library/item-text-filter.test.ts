import assert from "node:assert/strict";
import { storedTextTest, type ItemTextFilter } from "../../../media/library/item-text-filter.js";
import { itemTitle, type ItemRecord } from "../../../media/library/library-records.js";
import { foldText } from "../../../media/search/search-values.js";

const record = (fields: Partial<ItemRecord>): ItemRecord => ({
  k: "a",
  p: "d1",
  f: "track.mp3",
  z: 1000,
  m: "audio/mpeg",
  ...fields,
});

// Records as the library stores them: tags cleaned, titles from tags or from the file name.
const records: ItemRecord[] = [
  record({ t: "Echo River 3", ar: "Echo Artist", al: "Velvet Album", g: "Rock" }),
  record({ f: "My  Song   (live).mp3", ar: "The Band" }), // title from the name: spaces collapse
  record({ t: "Beyoncé", ar: "Beyoncé Knowles" }), // accents: folding matches "beyonce"
  record({ t: 'He said "hi"', aa: "Back\\slash" }), // JSON escapes these
  record({ t: "ﬁre Ｆｕｌｌ", g: "Straße" }), // compatibility forms (NFKD)
  record({ t: "Tab\there", al: "Line\nbreak" }),
  record({ f: " padded .flac", g: "Jazz" }),
  record({ t: "İstanbul", ar: "KELVIN" }),
];
const needles = [
  "echo",
  "river 3",
  "my song",
  "song (live)",
  "beyonce",
  "beyoncé",
  'said "hi',
  "slash",
  "fire",
  "full",
  "strasse",
  "tab here",
  "padded",
  " padded",
  "istanbul",
  "kelvin",
  "zebra",
  "k",
];

function matches(r: ItemRecord, needle: string): boolean {
  const facts = [itemTitle(r), r.ar, r.aa, r.al, r.g].filter((f) => f !== undefined);
  return facts.some((fact) => foldText(fact).includes(foldText(needle)));
}

describe("storedTextTest", () => {
  it("never rules out an item whose folded text facts hold the needle", () => {
    for (const needle of needles) {
      const test = storedTextTest({ contains: foldText(needle) });
      for (const r of records) {
        if (!matches(r, needle)) continue;
        assert.ok(
          test === undefined || test(JSON.stringify(r)),
          `${needle} in ${JSON.stringify(r)}`,
        );
      }
    }
  });

  it("rules out plain ASCII records that cannot hold the needle", () => {
    const test = storedTextTest({ contains: "zebra" });
    assert.ok(test !== undefined);
    assert.equal(test(JSON.stringify(records[0])), false);
    assert.equal(test(JSON.stringify(record({ t: "Zebra  Crossing" }))), true);
    // Text with accents or escapes is kept for the caller to judge.
    assert.equal(test(JSON.stringify(records[2])), true);
    assert.equal(test(JSON.stringify(records[3])), true);
  });

  it("combines and/or, and says nothing where a part says nothing", () => {
    const json = JSON.stringify(records[0]);
    const judge = (filter: ItemTextFilter) => storedTextTest(filter)?.(json);
    assert.equal(judge({ all: [{ contains: "echo" }, { contains: "velvet" }] }), true);
    assert.equal(judge({ all: [{ contains: "echo" }, { contains: "zebra" }] }), false);
    assert.equal(judge({ any: [{ contains: "zebra" }, { contains: "rock" }] }), true);
    assert.equal(judge({ any: [{ contains: "zebra" }, { contains: "lion" }] }), false);
    // A needle outside plain ASCII rules nothing out: an "or" with it neither.
    assert.equal(judge({ any: [{ contains: "zebra" }, { contains: "ß" }] }), undefined);
    assert.equal(judge({ all: [{ contains: "zebra" }, { contains: "ß" }] }), false);
    assert.equal(judge({ contains: 'a"b' }), undefined);
  });
});
