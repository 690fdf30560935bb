import assert from "node:assert/strict";
import {
  containerId,
  itemIdFor,
  parseObjectId,
  refIdFor,
} from "../../../media/library/object-ids.js";

describe("object ids", () => {
  it("gives a container identity the same short id every time, without the identity in it", () => {
    const id = containerId("d", 0, "Music/The Beatles");
    assert.equal(containerId("d", 0, "Music/The Beatles"), id);
    assert.match(id, /^[0-9a-hjkmnp-tv-z]{12}$/);
    assert.notEqual(containerId("d", 1, "Music/The Beatles"), id);
    assert.notEqual(containerId("d", "0Music/The Beatles"), containerId("d0", "Music/The Beatles"));
  });

  it("numbers items compactly and shapes references MiniDLNA's way", () => {
    assert.equal(itemIdFor(1), "i1");
    assert.equal(itemIdFor(20_000), "iffk");
    assert.equal(refIdFor("1$4", "i2s"), "1$4$i2s");
  });

  it("classifies ids from clients, refusing anything else before it reaches the catalog", () => {
    assert.deepEqual(parseObjectId("i2s"), { kind: "item", itemId: "i2s" });
    assert.deepEqual(parseObjectId("1$4$i2s"), { kind: "ref", containerId: "1$4", itemId: "i2s" });
    assert.deepEqual(parseObjectId("1$AA"), { kind: "container", containerId: "1$AA" });
    assert.deepEqual(parseObjectId("0"), { kind: "container", containerId: "0" });
    for (const bogus of [
      "",
      "../x",
      "a/b",
      "i",
      "iX",
      "1$4$i",
      "$i2",
      "1 4",
      "1$$4",
      "1$",
      "é",
      "x".repeat(65),
    ]) {
      assert.equal(parseObjectId(bogus), undefined, bogus);
    }
  });
});
