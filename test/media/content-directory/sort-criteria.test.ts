import assert from "node:assert/strict";
import { parseSortCriteria, SORT_CAPABILITIES } from "../../../media/content-directory/index.js";
import { UpnpError } from "../../../media/soap/index.js";

function codeOf(text: string): number | undefined {
  try {
    parseSortCriteria(text);
  } catch (err) {
    return err instanceof UpnpError ? err.code : -1;
  }
  return undefined;
}

describe("SortCriteria", () => {
  it("reads signed terms in order", () => {
    assert.deepEqual(parseSortCriteria("+dc:title,-dc:date"), [
      { property: "dc:title" },
      { property: "dc:date", isDescending: true },
    ]);
    assert.deepEqual(parseSortCriteria(" -upnp:originalTrackNumber , +upnp:album "), [
      { property: "upnp:originalTrackNumber", isDescending: true },
      { property: "upnp:album" },
    ]);
  });

  it("means the default order when empty", () => {
    assert.deepEqual(parseSortCriteria(""), []);
    assert.deepEqual(parseSortCriteria("  "), []);
  });

  it("reads a term without a sign as ascending, skips empty terms and repeats", () => {
    assert.deepEqual(parseSortCriteria("dc:title,"), [{ property: "dc:title" }]);
    assert.deepEqual(parseSortCriteria("+upnp:class,,-upnp:class,+dc:creator"), [
      { property: "upnp:class" },
      { property: "dc:creator" },
    ]);
  });

  it("answers 709 for properties it cannot sort on and for bad syntax", () => {
    for (const bad of [
      "+upnp:episodeNumber",
      "+DC:TITLE",
      "++dc:title",
      "+ dc:title",
      "+",
      "-",
      "dc:title desc",
      "+dc:title;-dc:date",
      "+dc:title,*",
      "+res@size",
    ]) {
      assert.equal(codeOf(bad), 709, bad);
    }
  });

  it("advertises exactly the properties it accepts", () => {
    assert.equal(
      SORT_CAPABILITIES,
      "dc:title,dc:date,dc:creator,upnp:class,upnp:album,upnp:artist,upnp:genre,upnp:originalTrackNumber",
    );
    for (const property of SORT_CAPABILITIES.split(",")) {
      assert.deepEqual(parseSortCriteria(`-${property}`), [{ property, isDescending: true }]);
    }
  });
});
