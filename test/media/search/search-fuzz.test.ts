import assert from "node:assert/strict";
import type { LibraryObject } from "../../../media/library/index.js";
import { parseSearchCriteria, type SearchExpression } from "../../../media/search/index.js";
import { searchPredicate } from "../../../media/search/search-predicate.js";
import { searchReach } from "../../../media/search/search-reach.js";
import { UpnpError } from "../../../media/soap/index.js";

/** mulberry32: a small deterministic generator, so a failure replays exactly. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  "dc:title",
  "upnp:class",
  "@refID",
  "res@size",
  "res@duration",
  "dc:date",
  "dc:creator",
  " and ",
  " or ",
  " AND ",
  "contains",
  "doesNotContain",
  "derivedfrom",
  "exists",
  "true",
  "false",
  "=",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "!",
  "(",
  ")",
  '"',
  '"x"',
  '"0:03:00"',
  '"12"',
  "\\",
  '\\"',
  " ",
  "\t",
  "\r\n",
  "*",
  "é",
  "😀",
  "\u0000",
  "\ud800",
  "&quot;",
  "'",
  ",",
  "dc:",
  "@",
];

const VALID = [
  '(upnp:class derivedfrom "object.item.audioItem") and (dc:title contains "love")',
  'upnp:class = "object.container.person.musicArtist" and dc:title contains "x"',
  'upnp:class derivedfrom "object.item.videoItem" and @refID exists false',
  'res@size >= "1000" or res@duration < "0:03:00.000" and upnp:originalTrackNumber = "2"',
  'dc:date >= "1969-01-01" and (dc:creator contains "beatles" or upnp:artist = "ABBA")',
  'res@protocolInfo contains "audio/mpeg" and upnp:genre doesNotContain "rock"',
];

const TRACK: LibraryObject = {
  id: "1$4$i1",
  parentId: "1$4",
  title: "Beyoncé",
  upnpClass: "object.item.audioItem.musicTrack",
  isContainer: false,
  refId: "i1",
  itemId: "i1",
  mediaClass: "audio",
  mime: "audio/mpeg",
  sizeBytes: 4_000_000,
  durationSeconds: 200.5,
  artist: "ABBA",
  trackNumber: 2,
  year: 1969,
  subtitles: [],
  hasEmbeddedArt: false,
  hasCover: false,
  hasMetadataError: false,
};
const ALBUM: LibraryObject = {
  id: "7qz3fgfwk4pt",
  parentId: "1$7",
  title: "Gold",
  upnpClass: "object.container.album.musicAlbum",
  isContainer: true,
  childCount: 2,
  updateId: 1,
  artist: "ABBA",
  year: 1992,
};

function depthOf(expression: SearchExpression): number {
  if (expression.kind !== "and" && expression.kind !== "or") return 1;
  assert.ok(expression.operands.length >= 2, "a logical node has two operands or more");
  return 1 + Math.max(...expression.operands.map(depthOf));
}

/** Parses `text`; a result must compile and evaluate, an error must be a 708. */
function outcome(text: string): "parsed" | "refused" {
  let criteria: SearchExpression | "all";
  try {
    criteria = parseSearchCriteria(text);
  } catch (err) {
    assert.ok(err instanceof UpnpError, `${JSON.stringify(text)} threw ${String(err)}`);
    assert.equal(err.code, 708, JSON.stringify(text));
    return "refused";
  }
  if (criteria === "all") return "parsed";
  assert.ok(depthOf(criteria) <= 2 * 32 + 2, JSON.stringify(text));
  const isMatch = searchPredicate(criteria);
  assert.equal(typeof isMatch(TRACK), "boolean");
  assert.equal(typeof isMatch(ALBUM), "boolean");
  searchReach(criteria);
  return "parsed";
}

describe("SearchCriteria fuzzing", () => {
  it("answers thousands of random strings with a result or a 708, nothing else", () => {
    const next = random(0x5eed);
    const counts = { parsed: 0, refused: 0 };
    for (let i = 0; i < 4000; i += 1) {
      let text = "";
      const pieces = Math.floor(next() * 40);
      for (let p = 0; p < pieces; p += 1) {
        text +=
          next() < 0.7
            ? (FRAGMENTS[Math.floor(next() * FRAGMENTS.length)] ?? "")
            : String.fromCharCode(Math.floor(next() * 0x3000));
      }
      counts[outcome(text)] += 1;
    }
    assert.ok(counts.refused > 3500, `refused ${counts.refused}`);
    assert.ok(counts.parsed > 50, `parsed ${counts.parsed}`);
  });

  it("answers thousands of mutated valid criteria with a result or a 708", () => {
    const next = random(42);
    const counts = { parsed: 0, refused: 0 };
    for (let i = 0; i < 4000; i += 1) {
      let text = VALID[i % VALID.length] ?? "";
      const edits = 1 + Math.floor(next() * 3);
      for (let e = 0; e < edits; e += 1) {
        const at = Math.floor(next() * (text.length + 1));
        const span = Math.floor(next() * 6);
        const insert = FRAGMENTS[Math.floor(next() * FRAGMENTS.length)] ?? "";
        const kind = next();
        if (kind < 0.3) text = text.slice(0, at) + text.slice(at + span);
        else if (kind < 0.6) text = text.slice(0, at) + insert + text.slice(at);
        else if (kind < 0.8) text = text.slice(0, at) + insert + text.slice(at + span);
        else text = text.slice(0, at) + text.slice(at, at + 20).repeat(3) + text.slice(at);
      }
      counts[outcome(text)] += 1;
    }
    assert.ok(counts.parsed > 300, `parsed ${counts.parsed}`);
    assert.ok(counts.refused > 3000, `refused ${counts.refused}`);
  });

  it("refuses pathological inputs quickly instead of recursing or hanging", () => {
    const pathological = [
      "(".repeat(100_000),
      ")".repeat(4000),
      '"'.repeat(4095),
      "\\".repeat(4000),
      'dc:title = "a" and '.repeat(300),
      `${'dc:title = "a" or '.repeat(200)}dc:title = "a"`,
      `${"(".repeat(32)}${'dc:title = "a" and '.repeat(100)}dc:title = "a"${")".repeat(32)}`,
      "\u0000".repeat(4096),
      "a".repeat(1 << 20),
    ];
    const results = pathological.map(outcome);
    assert.deepEqual(results, [
      "refused",
      "refused",
      "refused",
      "refused",
      "refused",
      "parsed",
      "parsed",
      "refused",
      "refused",
    ]);
  });
});
