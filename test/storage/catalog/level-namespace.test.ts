import assert from "node:assert/strict";
import { ClassicLevel } from "classic-level";
import { Catalog } from "../../../storage/catalog/catalog.js";
import type { CatalogLog } from "../../../storage/catalog/catalog-log.js";
import type { CatalogNamespace } from "../../../storage/catalog/catalog-namespace.js";
import { LevelNamespace } from "../../../storage/catalog/level-namespace.js";
import { collect, freshCatalogPerTest } from "./temp-catalog-dir.js";

/** A logger that keeps its warnings for assertions. */
function recordingLog(): CatalogLog & { warnings: Array<[object, string]> } {
  const warnings: Array<[object, string]> = [];
  return {
    warnings,
    debug: () => undefined,
    info: () => undefined,
    warn: (o, m) => warnings.push([o, m]),
  };
}

describe("LevelNamespace", () => {
  let catalog: Catalog;
  let media: CatalogNamespace;
  const temp = freshCatalogPerTest((c) => {
    catalog = c;
    media = c.namespace("media");
  });

  async function seedAlbums(): Promise<void> {
    await media.batch(
      ["album/a", "album/b", "album/c", "album/d", "albumz", "artist/x", "zz"].map((key) => ({
        type: "put" as const,
        key,
        value: { key },
      })),
    );
  }

  it("reads a prefix in order, reversed and limited", async () => {
    await seedAlbums();
    assert.deepEqual(await collect(media.keys({ prefix: "album/" })), [
      "album/a",
      "album/b",
      "album/c",
      "album/d",
    ]);
    assert.deepEqual(await collect(media.keys({ prefix: "album/", reverse: true, limit: 2 })), [
      "album/d",
      "album/c",
    ]);
    const page = await collect(media.entries<{ key: string }>({ prefix: "album/", gt: "album/b" }));
    assert.deepEqual(page, [
      ["album/c", { key: "album/c" }],
      ["album/d", { key: "album/d" }],
    ]);
  });

  it("reads a range in pages of the size asked, with the same bounds and limit", async () => {
    await seedAlbums();
    const sizes = (pages: Array<Array<[string, unknown]>>) => pages.map((page) => page.length);
    const pages = await collect(media.entryPages({ prefix: "album/" }, 3));
    assert.deepEqual(sizes(pages), [3, 1]);
    assert.deepEqual(pages.flat(), await collect(media.entries({ prefix: "album/" })));
    const limited = await collect(media.entryPages({ reverse: true, limit: 5 }, 2));
    assert.deepEqual(sizes(limited), [2, 2, 1]);
    assert.deepEqual(
      limited.flat().map(([key]) => key),
      ["zz", "artist/x", "albumz", "album/d", "album/c"],
    );
    assert.deepEqual(await collect(media.entryPages({ limit: 0 }, 2)), []);
    assert.deepEqual(await collect(media.entryPages({ prefix: "none/" }, 2)), []);
  });

  it("fills a page of large values (LevelDB's default read stops at 16 KiB)", async () => {
    // 800-byte values: 40 of them are twice the default, within the 1 KiB-per-entry budget.
    const text = "x".repeat(800);
    await media.batch(
      Array.from({ length: 80 }, (_, i) => ({
        type: "put" as const,
        key: `big/${String(i).padStart(2, "0")}`,
        value: { text },
      })),
    );
    const pages = await collect(media.entryPages({ prefix: "big/" }, 40));
    assert.deepEqual(
      pages.map((page) => page.length),
      [40, 40],
    );
  });

  it("honours gt, gte, lt and lte", async () => {
    await seedAlbums();
    assert.deepEqual(await collect(media.keys({ gte: "album/b", lt: "album/d" })), [
      "album/b",
      "album/c",
    ]);
    assert.deepEqual(await collect(media.keys({ gt: "album/b", lte: "album/d" })), [
      "album/c",
      "album/d",
    ]);
    assert.deepEqual(await collect(media.keys({ gt: "artist/x" })), ["zz"]);
    assert.deepEqual(await collect(media.keys({ limit: 0 })), []);
    // A bound outside the prefix does not widen it.
    assert.deepEqual(await collect(media.keys({ prefix: "album/", gte: "a", lt: "album/b" })), [
      "album/a",
    ]);
  });

  it("includes keys with characters beyond the BMP in a prefix read", async () => {
    await media.put("tag/\u{1f3b5}", 1);
    await media.put("tag/~", 2);
    await media.put("tah", 3);
    assert.deepEqual(await collect(media.keys({ prefix: "tag/" })), ["tag/~", "tag/\u{1f3b5}"]);
  });

  it("reads several keys at once, undefined where absent", async () => {
    await media.batch([
      { type: "put", key: "a", value: [1, 2] },
      { type: "put", key: "b", value: null },
    ]);
    assert.deepEqual(await media.getMany(["b", "missing", "a"]), [null, undefined, [1, 2]]);
  });

  it("keeps a sub-namespace apart from its parent", async () => {
    const thumbs = media.sub("thumbs");
    assert.equal(thumbs.name, "media/thumbs");
    await Promise.all([media.put("t1", "parent"), thumbs.put("t1", "child"), thumbs.put("t2", 2)]);
    assert.deepEqual(await collect(media.keys()), ["t1"]);
    assert.deepEqual(await collect(thumbs.keys()), ["t1", "t2"]);
    assert.equal(await media.clear(), 1);
    assert.equal(await thumbs.get("t1"), "child");
    assert.deepEqual(await collect(thumbs.sub("small").keys()), []);
  });

  it("deletes and applies a batch's puts and dels together", async () => {
    await media.put("old", 1);
    await media.batch([
      { type: "del", key: "old" },
      { type: "put", key: "new", value: { n: 2 } },
    ]);
    assert.deepEqual(await media.getMany(["old", "new"]), [undefined, { n: 2 }]);
    await media.del("new");
    assert.equal(await media.get("new"), undefined);
  });

  it("rejects a value with no JSON form and writes nothing of that batch", async () => {
    await assert.rejects(media.put("u", undefined), TypeError);
    await assert.rejects(
      media.batch([
        { type: "put", key: "fine", value: 1 },
        { type: "put", key: "bad", value: 10n },
      ]),
      TypeError,
    );
    assert.deepEqual(await collect(media.keys()), []);
  });

  it("stores a copy: changing the object after put does not change what was written", async () => {
    const value = { n: 1 };
    const written = media.put("v", value);
    value.n = 2;
    await written;
    assert.deepEqual(await media.get("v"), { n: 1 });
  });

  it("clears a range in batches and counts what it deleted", async () => {
    const count = LevelNamespace.clearChunkKeys * 2 + 7;
    const ops = Array.from({ length: count }, (_, i) => ({
      type: "put" as const,
      key: `file/${String(i).padStart(5, "0")}`,
      value: i,
    }));
    await media.batch([...ops, { type: "put", key: "keep", value: true }]);
    const before = catalog.stats.batchesWritten;
    assert.equal(await media.clear({ prefix: "file/" }), count);
    assert.equal(catalog.stats.batchesWritten - before, 3);
    assert.deepEqual(await collect(media.keys()), ["keep"]);
  });

  describe("with a corrupt value on disk", () => {
    let log: ReturnType<typeof recordingLog>;

    beforeEach(async () => {
      await media.batch([
        { type: "put", key: "a", value: 1 },
        { type: "put", key: "c", value: 3 },
      ]);
      await catalog.close();
      // Written behind the catalog's back, as bit rot or a foreign tool would.
      const raw = new ClassicLevel<string, string>(temp.path());
      await raw.put("!media!b", "{not json");
      await raw.close();
      log = recordingLog();
      catalog = await Catalog.open({ dir: temp.path(), log });
      media = catalog.namespace("media");
    });

    it("skips it in range reads and logs it once", async () => {
      assert.deepEqual(await collect(media.entries()), [
        ["a", 1],
        ["c", 3],
      ]);
      assert.deepEqual(await collect(media.entries({ limit: 2 })), [
        ["a", 1],
        ["c", 3],
      ]);
      // A page whose only value is corrupt is left out, not yielded empty.
      assert.deepEqual(await collect(media.entryPages({ limit: 2 }, 1)), [[["a", 1]], [["c", 3]]]);
      assert.equal(await media.get("b"), undefined);
      assert.equal(catalog.stats.corruptValuesSkipped, 4);
      assert.equal(log.warnings.length, 1);
      const [fields, message] = log.warnings[0] ?? [];
      const { err, ...where } = fields as { err: unknown };
      assert.deepEqual(where, { namespace: "media", key: "b" });
      assert.equal(typeof err, "string");
      assert.equal(
        message,
        "catalog value is not valid JSON; skipping it until the key is written again",
      );
    });

    it("is repaired by the next put of the key", async () => {
      await media.put("b", 2);
      assert.deepEqual(await media.getMany(["a", "b", "c"]), [1, 2, 3]);
    });
  });
});
