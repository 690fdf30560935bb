import assert from "node:assert/strict";
import { NameFilter } from "../../../media/indexer/name-filter.js";

describe("NameFilter", () => {
  const filter = new NameFilter(
    [".*", "@eaDir", "#recycle", "$RECYCLE.BIN", "*.part", "Music/Podcasts/**"],
    ["hearth-data"],
  );

  it("refuses hidden names whatever the patterns say", () => {
    const bare = new NameFilter([]);
    assert.equal(bare.accepts(".DS_Store"), false);
    assert.equal(bare.accepts("Album/._01.mp3"), false);
    assert.equal(bare.accepts("Album/01.mp3"), true);
  });

  it("matches patterns without a slash against names at any depth", () => {
    assert.equal(filter.accepts("Photos/@eaDir"), false);
    assert.equal(filter.accepts("#recycle"), false);
    assert.equal(filter.accepts("$RECYCLE.BIN"), false);
    assert.equal(filter.accepts("Films/big.mkv.part"), false);
    assert.equal(filter.accepts("Films/big.mkv"), true);
  });

  it("matches patterns with a slash against the path from the root", () => {
    assert.equal(filter.accepts("Music/Podcasts/ep1.mp3"), false);
    assert.equal(filter.accepts("Other/Music/Podcasts/ep1.mp3"), true);
  });

  it("skips skip paths and everything under them, and checks every component of a folder", () => {
    assert.equal(filter.accepts("hearth-data"), false);
    assert.equal(filter.acceptsDir("hearth-data/thumbs"), false);
    assert.equal(filter.acceptsDir("Photos/@eaDir/x"), false);
    assert.equal(filter.acceptsDir("Photos/2024"), true);
    assert.equal(filter.acceptsDir(""), true);
  });
});
