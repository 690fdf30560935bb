import assert from "node:assert/strict";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { nodeFs, type FsPort } from "../../../media/indexer/fs-port.js";
import type { IndexerOptions } from "../../../media/indexer/indexer-types.js";
import { freshTreePerTest, TempTree, testIndexer } from "./support/indexer-harness.js";
import type { MemoryLibrary } from "./support/memory-library.js";

async function run(
  tree: TempTree,
  library: MemoryLibrary,
  overrides: Partial<IndexerOptions> = {},
) {
  const t = testIndexer(tree, { library, ...overrides });
  await t.indexer.start();
  await t.indexer.idle();
  const status = t.indexer.status()[0];
  await t.indexer.close();
  return { ...t, status };
}

/** An fs that refuses to list one folder the way a mode-000 folder refuses a non-root user. */
function refusing(absDir: string): FsPort {
  const refuse = (path: string, call: string) => {
    if (path === absDir)
      throw Object.assign(new Error(`EACCES: permission denied, ${call} '${path}'`), {
        code: "EACCES",
      });
  };
  return {
    ...nodeFs,
    opendir: async (path) => {
      refuse(path, "opendir");
      return nodeFs.opendir(path);
    },
    readdir: async (path) => {
      refuse(path, "scandir");
      return nodeFs.readdir(path);
    },
  };
}

describe("the tree walk", function () {
  this.timeout(20_000);
  let tree: TempTree;
  let library: MemoryLibrary;
  freshTreePerTest((t, l) => {
    tree = t;
    library = l;
  });

  it("survives a symlink loop, reports it once, and follows links that lead elsewhere", async () => {
    const outside = new TempTree();
    try {
      outside.write("Shared/elsewhere.mp3");
      tree.write("Music/a.mp3");
      symlinkSync(tree.abs("Music"), tree.abs("Music/again"));
      symlinkSync(tree.path, tree.abs("Music/root"));
      symlinkSync(outside.abs("Shared"), tree.abs("Linked"));
      const first = await run(tree, library);
      assert.deepEqual(library.paths(), ["Linked/elsewhere.mp3", "Music/a.mp3"]);
      const loops = first.status?.problems
        .filter((p) => p.kind === "symlink-loop")
        .map((p) => p.relPath);
      assert.deepEqual(loops?.sort(), ["Music/again", "Music/root"]);
      const t = testIndexer(tree, { library });
      await t.indexer.start();
      await t.indexer.idle();
      await t.indexer.scan();
      await t.indexer.close();
      const logged = t.lines.filter(
        (l) => l.kind === "symlink-loop" && l.relPath === "Music/again",
      );
      assert.equal(logged.length, 1, "logged once, not on every scan");
    } finally {
      outside.cleanup();
    }
  });

  it("survives an unreadable folder, reports it, and keeps what the catalog has from it", async () => {
    tree.write("Locked/kept.mp3");
    tree.write("Locked/Sub/also-kept.mp3");
    tree.write("Open/b.mp3");
    await run(tree, library);
    tree.write("Open/c.mp3");
    const { status } = await run(tree, library, { fs: refusing(tree.abs("Locked")) });
    assert.deepEqual(library.paths(), [
      "Locked/Sub/also-kept.mp3",
      "Locked/kept.mp3",
      "Open/b.mp3",
      "Open/c.mp3",
    ]);
    const problem = status?.problems.find((p) => p.kind === "unreadable");
    assert.equal(problem?.relPath, "Locked");
    assert.match(problem?.message ?? "", /cannot read folder "Locked" \(EACCES\)/);
    const healed = await run(tree, library);
    assert.deepEqual(healed.status?.problems, [], "a readable folder drops out of the status");
  });

  it("skips a file that vanishes between readdir and stat", async () => {
    tree.write("stays.mp3");
    const doomed = tree.write("vanishes.mp3");
    const fs: FsPort = {
      ...nodeFs,
      statEach: async (paths, limit) => {
        if (paths.includes(doomed)) rmSync(doomed, { force: true });
        return nodeFs.statEach(paths, limit);
      },
    };
    const { status } = await run(tree, library, { fs });
    assert.deepEqual(library.paths(), ["stays.mp3"]);
    assert.deepEqual(status?.problems, []);
  });

  it("indexes Unicode and odd names exactly as they are on disk", async () => {
    const nfc = "Caf\u00e9.mp3";
    const nfd = "Cafe\u0301.mp3";
    const long = `${"🎵".repeat(55)}.mp3`;
    const odd = [
      nfc,
      nfd,
      'Guns N\' Roses "Live".mp3',
      "Tom & Jerry <1>.mp3",
      "日本語/曲.flac",
      long,
      " lead space.mp3",
    ];
    for (const name of odd) tree.write(name);
    assert.ok(Buffer.byteLength(long) > 200);
    await run(tree, library);
    assert.deepEqual(library.paths(), [...odd].sort());
    assert.notEqual(
      library.idOf(nfc),
      library.idOf(nfd),
      "NFC and NFD are different files on Linux",
    );
    const again = await run(tree, library);
    assert.equal(again.extractor.calls.length, 0, "odd names compare equal on the next scan");
  });

  it("reports a name that is not UTF-8 instead of failing on it", async () => {
    tree.write("ok.mp3");
    const latin1 = Buffer.concat([
      Buffer.from(join(tree.path, "Caf")),
      Buffer.from([0xe9]),
      Buffer.from(".mp3"),
    ]);
    writeFileSync(latin1, "x");
    mkdirSync(
      Buffer.concat([Buffer.from(join(tree.path, "D")), Buffer.from([0xfc]), Buffer.from("r")]),
    );
    const { status } = await run(tree, library);
    assert.deepEqual(library.paths(), ["ok.mp3"]);
    const bad = status?.problems.filter((p) => p.kind === "bad-name").map((p) => p.relPath);
    assert.deepEqual(bad?.sort(), ["Caf\uFFFD.mp3", "D\uFFFDr"]);
  });
});
