import assert from "node:assert/strict";
import type { IndexerChangeSummary, IndexerOptions } from "../../../media/indexer/indexer-types.js";
import { FakeExtractor } from "./support/fake-extractor.js";
import { freshTreePerTest, TempTree, testIndexer, waitFor } from "./support/indexer-harness.js";
import type { MemoryLibrary } from "./support/memory-library.js";

/** Starts an indexer on `tree`, waits for its first scan, closes it: one "run of hearth". */
async function run(
  tree: TempTree,
  library: MemoryLibrary,
  overrides: Partial<IndexerOptions> = {},
) {
  const extractor = new FakeExtractor();
  const t = testIndexer(tree, { library, extractor, ...overrides });
  await t.indexer.start();
  await t.indexer.idle();
  const status = t.indexer.status();
  const progress = t.indexer.progress();
  await t.indexer.close();
  return { ...t, status, progress };
}

describe("Indexer scans", function () {
  this.timeout(20_000);
  let tree: TempTree;
  let library: MemoryLibrary;
  freshTreePerTest((t, l) => {
    tree = t;
    library = l;
  });

  it("indexes exactly the visible media files: not hidden, excluded, skipped or non-media ones", async () => {
    tree.write("Artist/Album/01 Song.mp3");
    tree.write("Artist/Album/cover.jpg");
    tree.write("Artist/Album/notes.txt");
    tree.write("Film.mkv");
    tree.write("Film.en.srt");
    tree.write(".hidden.mp3");
    tree.write(".Trash-1000/old.mp3");
    tree.write("@eaDir/thumb.jpg");
    tree.write("download.mp4.part");
    tree.write("Podcasts/show.mp3");
    tree.write("hearth-data/thumbs/x.jpg");
    const roots = [{ path: tree.path, kind: "mixed", exclude: ["Podcasts"] }];
    const { extractor } = await run(tree, library, { roots, skipPaths: [tree.abs("hearth-data")] });
    assert.deepEqual(library.paths(), ["Artist/Album/01 Song.mp3", "Film.mkv"]);
    assert.equal(extractor.calls.length, 2, "cover.jpg is album art, not an item: never offered");
    const song = extractor.calls.find((c) => c.file.relPath === "Artist/Album/01 Song.mp3");
    assert.deepEqual(song?.siblings, ["01 Song.mp3", "cover.jpg", "notes.txt"]);
    const film = extractor.calls.find((c) => c.file.relPath === "Film.mkv");
    assert.deepEqual(film?.siblings, ["Film.en.srt", "Film.mkv"], "siblings carry the sidecars");
    assert.equal(film?.absPath, tree.abs("Film.mkv"));
  });

  it("does no metadata work and no catalog writes when restarted on an unchanged library", async () => {
    for (let i = 0; i < 30; i++) tree.write(`Album ${i % 3}/track ${i}.flac`);
    await run(tree, library);
    const writes = library.applied.length;
    const again = await run(tree, library);
    assert.equal(again.extractor.calls.length, 0, "extract calls");
    assert.equal(library.applied.length, writes, "apply calls");
    assert.equal(again.status[0]?.lastScanFiles, 30);
    assert.equal(again.progress.filesSeen, 30);
    assert.equal(again.progress.filesProcessed, 30);
  });

  it("re-reads a modified file and only that one, keeping its id", async () => {
    tree.write("a.mp3", "one");
    tree.write("b.mp3", "two");
    await run(tree, library);
    const id = library.idOf("a.mp3");
    tree.write("a.mp3", "one, longer now");
    const summaries: IndexerChangeSummary[] = [];
    const { extractor } = await run(tree, library, { onChange: (s) => summaries.push(s) });
    assert.deepEqual(extractor.paths(), ["a.mp3"]);
    assert.deepEqual(summaries, [
      { rootId: 0, trigger: "scan", added: 0, updated: 1, removed: 0, moved: 0, failed: 0 },
    ]);
    assert.equal(library.get("a.mp3")?.sizeBytes, 15);
    assert.equal(library.idOf("a.mp3"), id);
  });

  it("removes deleted files and deleted folders with their subtrees", async () => {
    tree.write("keep.mp3");
    tree.write("gone.mp3");
    tree.write("Old/Deep/x.mp3");
    tree.write("Old/y.mp3");
    await run(tree, library);
    tree.remove("gone.mp3");
    tree.remove("Old");
    const { extractor } = await run(tree, library);
    assert.deepEqual(library.paths(), ["keep.mp3"]);
    assert.equal(extractor.calls.length, 0);
  });

  it("keeps the id of a file renamed in place and of files whose folder was renamed", async () => {
    tree.write("Album/01.mp3", "a");
    tree.write("Album/02.mp3", "bb");
    tree.write("Other/solo.mp3", "ccc");
    await run(tree, library);
    const ids = {
      one: library.idOf("Album/01.mp3"),
      two: library.idOf("Album/02.mp3"),
      solo: library.idOf("Other/solo.mp3"),
    };
    tree.rename("Album", "Zeta Album");
    tree.rename("Other/solo.mp3", "Other/Solo (remaster).mp3");
    await run(tree, library);
    assert.deepEqual(library.paths(), [
      "Other/Solo (remaster).mp3",
      "Zeta Album/01.mp3",
      "Zeta Album/02.mp3",
    ]);
    assert.equal(library.idOf("Zeta Album/01.mp3"), ids.one);
    assert.equal(library.idOf("Zeta Album/02.mp3"), ids.two);
    assert.equal(library.idOf("Other/Solo (remaster).mp3"), ids.solo);
    const moves = library.applied.flatMap((c) => c.moves ?? []);
    assert.equal(moves.length, 3);
  });

  it("re-reads every file with full: true", async () => {
    tree.write("a.mp3");
    tree.write("b/c.jpg");
    const t = testIndexer(tree, { library });
    await t.indexer.start();
    await t.indexer.idle();
    t.extractor.calls.length = 0;
    await t.indexer.scan({ full: true });
    await t.indexer.close();
    assert.deepEqual(t.extractor.paths().sort(), ["a.mp3", "b/c.jpg"]);
  });

  it("reports progress while scanning, with an ETA from the previous scan's total", async () => {
    for (let i = 0; i < 20; i++) tree.write(`f/${i}.mp3`);
    await run(tree, library);
    const t = testIndexer(tree, { library, extractConcurrency: 1 });
    t.extractor.delayMs = 30;
    await t.indexer.start();
    await t.indexer.idle();
    const scanning = t.indexer.scan({ full: true });
    await waitFor("a few files processed", () => t.indexer.progress().filesProcessed >= 5);
    const progress = t.indexer.progress();
    assert.equal(progress.phase, "scanning");
    assert.equal(progress.currentRoot, tree.path);
    assert.ok(progress.ratePerSecond > 0, `rate ${progress.ratePerSecond}`);
    assert.equal(typeof progress.etaSeconds, "number");
    await scanning;
    assert.deepEqual(
      { ...t.indexer.progress(), ratePerSecond: 0 },
      {
        phase: "watching",
        filesSeen: 20,
        filesProcessed: 20,
        filesFailed: 0,
        ratePerSecond: 0,
        etaSeconds: null,
        currentRoot: null,
      },
    );
    await t.indexer.close();
  });

  it("resumes a scan that was cut short, extracting only what is missing", async () => {
    for (let i = 0; i < 40; i++) tree.write(`f/${String(i).padStart(2, "0")}.mp3`);
    const slow = new FakeExtractor();
    slow.delayMs = 20;
    const first = testIndexer(tree, {
      library,
      extractor: slow,
      extractConcurrency: 2,
      batchSize: 5,
    });
    const starting = first.indexer.start();
    while (library.files.size === 0) await new Promise((r) => setTimeout(r, 5));
    await first.indexer.close();
    await starting; // close() cuts the first scan short: start() resolves, it does not fail
    const done = library.files.size;
    assert.ok(done > 0 && done < 40, `cut short after ${done} files`);
    for (const change of library.applied) assert.ok((change.upserts?.length ?? 0) > 0);
    const { extractor } = await run(tree, library);
    assert.equal(library.files.size, 40);
    assert.equal(extractor.calls.length, 40 - done, "only the missing files are extracted");
  });

  it("leaves the catalog alone when a root is missing or looks unmounted, and says so", async () => {
    tree.write("a.mp3");
    await run(tree, library);
    tree.remove("a.mp3");
    const empty = await run(tree, library);
    assert.deepEqual(
      library.paths(),
      ["a.mp3"],
      "an empty root is not taken as 'everything deleted'",
    );
    assert.equal(empty.status[0]?.watch, "unavailable");
    assert.match(empty.status[0]?.problems[0]?.message ?? "", /is empty .* is the disk mounted/);
    const missing = await run(tree, library, {
      roots: [{ path: tree.abs("nope"), kind: "music" }],
    });
    assert.equal(missing.status[0]?.watch, "unavailable");
    assert.deepEqual(library.paths(), ["a.mp3"]);
  });

  it("drops the files of roots that are no longer configured", async () => {
    const other = new TempTree();
    try {
      other.write("x.mp3");
      tree.write("y.mp3");
      const roots = [
        { path: tree.path, kind: "mixed" },
        { path: other.path, kind: "music" },
      ];
      await run(tree, library, { roots });
      assert.deepEqual(library.paths(1), ["x.mp3"]);
      await run(tree, library);
      assert.deepEqual(library.paths(1), []);
      assert.deepEqual(library.paths(0), ["y.mp3"]);
    } finally {
      other.cleanup();
    }
  });

  it("indexes broken files as failed items, skips non-media and survives a throwing extractor", async () => {
    tree.write("broken.mp3");
    tree.write("not-media.mp3");
    tree.write("throws.mp3");
    tree.write("ok.mp3");
    const { progress, lines } = await run(tree, library);
    assert.deepEqual(library.paths(), ["broken.mp3", "ok.mp3"]);
    assert.equal(library.get("broken.mp3")?.metadataError, "truncated");
    assert.equal(progress.filesFailed, 2);
    const warned = lines.filter((l) => String(l.msg).startsWith("metadata extraction failed"));
    assert.equal(warned.length, 1);
  });

  it("reports a catalog that refuses a write and retries on the next scan", async () => {
    tree.write("a.mp3");
    library.failNextApply = new Error("disk full");
    const t = testIndexer(tree, { library });
    await assert.rejects(t.indexer.start(), /disk full/);
    assert.deepEqual(library.paths(), []);
    assert.ok(
      t.lines.some(
        (l) => l.msg === "indexing failed; the next scan retries" && l.err === "disk full",
      ),
    );
    await t.indexer.scan();
    await t.indexer.close();
    assert.deepEqual(library.paths(), ["a.mp3"]);
  });
});
