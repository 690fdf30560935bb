import assert from "node:assert/strict";
import { appendFileSync, writeFileSync } from "node:fs";
import type { Indexer } from "../../../media/indexer/indexer.js";
import type { IndexerOptions } from "../../../media/indexer/indexer-types.js";
import type { FakeExtractor } from "./support/fake-extractor.js";
import { sleep, TempTree, testIndexer, trackTimers, waitFor } from "./support/indexer-harness.js";
import type { MemoryLibrary } from "./support/memory-library.js";

/** Live inotify watches of the process (chokidar holds one per watched folder). */
function watches(): number {
  return process.getActiveResourcesInfo().filter((t) => t === "FSEventWrap").length;
}

describe("Indexer live watching (real inotify)", function () {
  this.timeout(30_000);
  let tree: TempTree;
  let indexer: Indexer;
  let library: MemoryLibrary;
  let extractor: FakeExtractor;

  async function startWatching(overrides: Partial<IndexerOptions> = {}): Promise<void> {
    const t = testIndexer(tree, overrides);
    ({ indexer, library, extractor } = t);
    await indexer.start();
    await indexer.idle();
  }
  const has = (relPath: string) => () => library.idOf(relPath) !== undefined;
  const lacks = (relPath: string) => () => library.idOf(relPath) === undefined;

  beforeEach(() => {
    tree = new TempTree();
    tree.write("Album/01.mp3", "one");
    tree.write("Album/02.mp3", "two");
    tree.write("Film.mkv", "film");
  });
  afterEach(async () => {
    await indexer?.close();
    tree.cleanup();
  });

  it("indexes new, changed and removed files within seconds", async () => {
    await startWatching();
    tree.write("Album/03.mp3", "three", 0);
    await waitFor("a new file in the catalog", has("Album/03.mp3"));
    tree.write("Album/01.mp3", "one, remastered", 0);
    await waitFor(
      "the changed size in the catalog",
      () => library.get("Album/01.mp3")?.sizeBytes === 15,
    );
    tree.remove("Album/02.mp3");
    await waitFor("the removed file gone", lacks("Album/02.mp3"));
    assert.deepEqual(library.paths(), ["Album/01.mp3", "Album/03.mp3", "Film.mkv"]);
  });

  it("keeps ids across a live file rename, folder rename and folder move", async () => {
    await startWatching();
    const one = library.idOf("Album/01.mp3");
    const film = library.idOf("Film.mkv");
    tree.rename("Film.mkv", "Film (2001).mkv");
    await waitFor("the renamed file", has("Film (2001).mkv"));
    tree.rename("Album", "Best Album");
    await waitFor("the renamed folder", has("Best Album/01.mp3"));
    tree.rename("Best Album", "Artist/Best Album");
    await waitFor("the moved folder", has("Artist/Best Album/01.mp3"));
    assert.deepEqual(library.paths(), [
      "Artist/Best Album/01.mp3",
      "Artist/Best Album/02.mp3",
      "Film (2001).mkv",
    ]);
    assert.equal(library.idOf("Film (2001).mkv"), film);
    assert.equal(library.idOf("Artist/Best Album/01.mp3"), one);
  });

  it("removes a deleted folder's whole subtree", async () => {
    tree.write("Deep/a/b/c.mp3");
    tree.write("Deep/a/d.mp3");
    await startWatching();
    tree.remove("Deep");
    await waitFor("the subtree gone", () => library.paths().every((p) => !p.startsWith("Deep/")));
    assert.deepEqual(library.paths(), ["Album/01.mp3", "Album/02.mp3", "Film.mkv"]);
  });

  it("shows every file of a burst of 300 copied into a new folder, each extracted once", async () => {
    await startWatching({ settleMs: 300 });
    extractor.calls.length = 0;
    // In chunks with pauses longer than the quiet time, so reconciling races the copy.
    for (let i = 0; i < 300; i++) {
      tree.write(`Copied/Sub ${i % 3}/track ${String(i).padStart(3, "0")}.mp3`, `t${i}`, 0);
      if (i % 50 === 49) await sleep(250);
    }
    await waitFor(
      "all 300 files",
      () => library.paths().filter((p) => p.startsWith("Copied/")).length === 300,
      20_000,
    );
    await indexer.idle();
    assert.equal(extractor.calls.length, 300);
  });

  it("indexes a file that is still being written only after it stops growing", async () => {
    await startWatching({ settleMs: 1_500 });
    const file = tree.abs("Growing.mkv");
    writeFileSync(file, "");
    for (let i = 0; i < 10; i++) {
      appendFileSync(file, Buffer.alloc(1000));
      await sleep(150);
    }
    await waitFor("the finished file", () => library.get("Growing.mkv")?.sizeBytes === 10_000);
    const sizes = extractor.calls
      .filter((c) => c.file.relPath === "Growing.mkv")
      .map((c) => c.file.sizeBytes);
    assert.deepEqual(sizes, [10_000], "never extracted half-written");
  });

  it("re-reads a video when a subtitle appears next to it", async () => {
    await startWatching();
    tree.write("Film.en.srt", "1\n00:00:01,000 --> 00:00:02,000\nHi\n", 0);
    await waitFor("the film re-read with its subtitle", () =>
      extractor.calls.some(
        (c) => c.file.relPath === "Film.mkv" && c.siblings.includes("Film.en.srt"),
      ),
    );
  });

  it("is idle when nothing changes: no timers, no metadata work, no writes", async () => {
    const timers = trackTimers();
    try {
      await startWatching();
      tree.write("Album/03.mp3", "three", 0);
      await waitFor("a live change indexed", has("Album/03.mp3"));
      const writes = library.applied.length;
      const calls = extractor.calls.length;
      await waitFor("the indexer's timers all gone", () => timers.alive().length === 0, 5_000);
      await sleep(1_500);
      assert.deepEqual(timers.alive(), []);
      assert.equal(library.applied.length, writes);
      assert.equal(extractor.calls.length, calls);
      assert.equal(indexer.progress().phase, "watching");
      assert.equal(
        indexer.status()[0]?.watchedFolders,
        2,
        "one inotify watch per folder, none per file",
      );
    } finally {
      timers.stop();
    }
  });

  it("closes quickly with an extraction hanging, leaving no watches or timers", async () => {
    const watchesBefore = process
      .getActiveResourcesInfo()
      .filter((t) => t === "FSEventWrap").length;
    const timers = trackTimers();
    try {
      await startWatching();
      assert.ok(watches() > watchesBefore, "watching");
      extractor.extract = () => new Promise(() => undefined);
      tree.write("New/x.mp3", "x", 0);
      await waitFor("the extraction to start", () => indexer.progress().phase === "scanning");
      let closed = false;
      const closing = indexer.close().then(() => (closed = true));
      await waitFor("close() to resolve", () => closed, 2_000);
      await closing;
      await waitFor("the watches released", () => watches() === watchesBefore, 2_000);
      await waitFor("the timers released", () => timers.alive().length === 0, 2_000);
    } finally {
      timers.stop();
    }
  });
});
