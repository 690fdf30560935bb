import assert from "node:assert/strict";
import { readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { HearthError } from "../../../services/errors.js";
import { Catalog } from "../../../storage/catalog/catalog.js";
import { collect, freshCatalogPerTest } from "./temp-catalog-dir.js";

describe("Catalog", () => {
  let catalog: Catalog;
  const temp = freshCatalogPerTest((c) => (catalog = c));

  it("refuses a second open of the same folder with the E_CATALOG message", async () => {
    const dir = temp.path();
    await assert.rejects(Catalog.open({ dir }), (err: unknown) => {
      assert.ok(err instanceof HearthError);
      assert.equal(err.code, "E_CATALOG");
      assert.equal(
        err.message,
        `another hearth is already using ${dir}; stop it or point --data elsewhere`,
      );
      assert.equal((err.cause as { cause?: { code?: string } }).cause?.code, "LEVEL_LOCKED");
      return true;
    });
  });

  it("says why a folder cannot be opened, with the LevelDB error as cause", async () => {
    const notAFolder = temp.path("elsewhere");
    await writeFile(notAFolder, "a file where the catalog folder should be");
    await assert.rejects(Catalog.open({ dir: notAFolder }), (err: unknown) => {
      assert.ok(err instanceof HearthError);
      assert.equal(err.code, "E_CATALOG");
      assert.match(err.message, new RegExp(`^cannot open the catalog in ${notAFolder}: `));
      assert.ok(err.cause instanceof Error);
      return true;
    });
  });

  it("creates missing parent folders", async () => {
    const nested = await Catalog.open({ dir: join(temp.path("deep"), "er", "catalog") });
    await nested.namespace("host").put("uuid", "u-1");
    await nested.close();
  });

  it("keeps namespaces apart from each other", async () => {
    const media = catalog.namespace("media");
    const pbx = catalog.namespace("pbx");
    await Promise.all([media.put("k", "media's"), pbx.put("k", "pbx's"), pbx.put("only-pbx", 1)]);
    assert.equal(await media.get("k"), "media's");
    assert.equal(await pbx.get("k"), "pbx's");
    assert.deepEqual(await collect(media.keys()), ["k"]);
    assert.equal(await media.clear(), 1);
    assert.deepEqual(await collect(pbx.keys()), ["k", "only-pbx"]);
  });

  it("hands out the same namespace object for the same name", () => {
    assert.equal(catalog.namespace("media"), catalog.namespace("media"));
  });

  it("keeps the meta area out of every namespace and refuses names that could reach it", async () => {
    const media = catalog.namespace("media");
    await media.migrate([{ version: 1, up: async (ns) => ns.put("a", 1) }]);
    assert.deepEqual(await collect(media.keys()), ["a"]);
    assert.throws(() => catalog.namespace("~meta"), { code: "E_CATALOG" });
    assert.throws(() => catalog.namespace("Media"), { code: "E_CATALOG" });
    assert.throws(() => catalog.namespace("media/thumbs"), { code: "E_CATALOG" });
    assert.throws(() => media.sub(""), { code: "E_CATALOG" });
  });

  it("flushes writes still pending when closed, then refuses new ones", async () => {
    const media = catalog.namespace("media");
    const pending = [media.put("a", 1), media.batch([{ type: "put", key: "b", value: 2 }])];
    await catalog.close();
    await Promise.all(pending);
    assert.equal(catalog.isOpen, false);
    await assert.rejects(media.put("c", 3), { code: "E_CATALOG" });
    await catalog.close(); // idempotent

    catalog = await Catalog.open({ dir: temp.path() });
    assert.deepEqual(await catalog.namespace("media").getMany(["a", "b", "c"]), [1, 2, undefined]);
  });

  it("leaves nothing for the next open to replay after a clean close (no writes at start-up)", async () => {
    const tables = async () =>
      (await readdir(temp.path())).filter((f) => f.endsWith(".ldb")).sort();
    const media = catalog.namespace("media");
    for (let i = 0; i < 200; i++) await media.put(`k${i}`, "x".repeat(1_000));
    await catalog.close();
    const afterClose = await tables();
    assert.ok(afterClose.length > 0, "the close wrote the memtable to a table file");
    const logBytes = (await readdir(temp.path())).filter((f) => f.endsWith(".log"));
    for (const log of logBytes) assert.ok((await stat(join(temp.path(), log))).size < 200);

    catalog = await Catalog.open({ dir: temp.path() });
    assert.deepEqual(await tables(), afterClose, "opening wrote no table file");
    assert.equal((await catalog.namespace("media").get<string>("k199"))?.length, 1_000);
  });

  it("reports its size on disk", async () => {
    await catalog.namespace("media").put("blob", "x".repeat(10_000));
    assert.ok((await catalog.sizeBytes()) >= 10_000);
  });
});
