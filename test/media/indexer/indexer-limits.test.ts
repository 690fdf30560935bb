import assert from "node:assert/strict";
import { join } from "node:path";
import { watch, writeFileSync } from "node:fs";
import type { WatcherFactory } from "../../../media/indexer/live-watcher.js";
import type { Indexer } from "../../../media/indexer/indexer.js";
import { TempTree, testIndexer, waitFor } from "./support/indexer-harness.js";
import type { MemoryLibrary } from "./support/memory-library.js";

/** The error Node's fs.watch throws when inotify_add_watch fails with ENOSPC. */
function enospc(path: string): Error {
  const message = `ENOSPC: System limit for number of file watchers reached, watch '${path}'`;
  return Object.assign(new Error(message), { code: "ENOSPC", errno: -28, syscall: "watch", path });
}

describe("Indexer when watching cannot work", function () {
  this.timeout(20_000);
  let tree: TempTree;
  let indexer: Indexer | undefined;
  beforeEach(() => {
    tree = new TempTree();
    tree.write("Watched/a.mp3");
    tree.write("Unwatched/b.mp3");
  });
  afterEach(async () => {
    await indexer?.close();
    tree.cleanup();
  });

  it("falls back to periodic rescans of the folders inotify could not watch, and says so once", async () => {
    const hidden = tree.abs("Unwatched");
    tree.write("Unwatched/Sub/c.mp3");
    // Real fs.watch, except that "Unwatched" and below fail with ENOSPC, as when the kernel's
    // max_user_watches is used up (lowering the real limit would affect the whole machine).
    const factory: WatcherFactory = (absDir, listener) => {
      if (absDir === hidden || absDir.startsWith(`${hidden}/`)) throw enospc(absDir);
      return watch(absDir, listener);
    };
    const t = testIndexer(tree, { watcherFactory: factory, rescanMinutes: 0.01 });
    indexer = t.indexer;
    const library: MemoryLibrary = t.library;
    await indexer.start();
    await indexer.idle();
    await waitFor(
      "the limit in the status",
      () => indexer?.status()[0]?.watch === "periodic-watch-limit",
    );
    const status = indexer.status()[0];
    assert.equal(status?.unwatchedFolders, 1);
    assert.equal(status?.watchedFolders, 2, "the root and Watched");
    assert.match(
      status?.problems.find((p) => p.kind === "watch-limit")?.fix ?? "",
      /fs\.inotify\.max_user_watches=524288/,
    );
    tree.write("Unwatched/new.mp3", "new");
    await waitFor(
      "the periodic rescan to find the new file",
      () => library.idOf("Unwatched/new.mp3") !== undefined,
    );
    tree.write("Watched/live.mp3", "live", 0);
    await waitFor(
      "live watching of the rest",
      () => library.idOf("Watched/live.mp3") !== undefined,
    );
    const warnings = t.lines.filter((l) => String(l.msg).startsWith("inotify watch limit reached"));
    assert.equal(warnings.length, 1);
    assert.match(String(warnings[0]?.fix), /sysctl/);
  });

  it("rescans a root on a network filesystem periodically instead of watching it", async () => {
    const mountinfo = join(tree.path, ".mountinfo");
    writeFileSync(
      mountinfo,
      [
        "26 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
        `90 26 0:77 / ${tree.path.replace(/ /g, "\\040")} rw,relatime - nfs4 nas:/export/media rw,vers=4.2`,
      ].join("\n"),
    );
    let watchers = 0;
    const t = testIndexer(tree, {
      mountInfoPath: mountinfo,
      rescanMinutes: 0.01,
      watcherFactory: (path, listener) => (watchers++, watch(path, listener)),
    });
    indexer = t.indexer;
    await indexer.start();
    await indexer.idle();
    const status = indexer.status()[0];
    assert.equal(status?.watch, "periodic-network");
    assert.equal(status?.fsType, "nfs4");
    assert.equal(watchers, 0, "no inotify watches on a network filesystem");
    assert.deepEqual(t.library.paths(), ["Unwatched/b.mp3", "Watched/a.mp3"]);
    tree.write("Watched/remote.mp3");
    await waitFor("the periodic rescan", () => t.library.idOf("Watched/remote.mp3") !== undefined);
  });
});
