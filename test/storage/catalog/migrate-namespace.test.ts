import assert from "node:assert/strict";
import { HearthError } from "../../../services/errors.js";
import { Catalog } from "../../../storage/catalog/catalog.js";
import type { CatalogMigration } from "../../../storage/catalog/catalog-namespace.js";
import { collect, freshCatalogPerTest } from "./temp-catalog-dir.js";

describe("CatalogNamespace.migrate", () => {
  let catalog: Catalog;
  const temp = freshCatalogPerTest((c) => (catalog = c));

  async function reopen(): Promise<void> {
    await catalog.close();
    catalog = await Catalog.open({ dir: temp.path() });
  }

  /** Migrations that record each run in `ran` and rename "v<n-1>" to "v<n>". */
  function renames(ran: number[], upTo: number): CatalogMigration[] {
    // Given out of order on purpose: migrate sorts them.
    return Array.from({ length: upTo }, (_, i) => upTo - i).map((version) => ({
      version,
      up: async (ns) => {
        ran.push(version);
        const value = (await ns.get(`v${version - 1}`)) ?? "nothing yet";
        await ns.batch([
          { type: "del", key: `v${version - 1}` },
          { type: "put", key: `v${version}`, value },
        ]);
      },
    }));
  }

  it("runs pending migrations once, in order, and remembers the version across restarts", async () => {
    await catalog.namespace("media").put("v0", "data");
    const ran: number[] = [];
    assert.equal(await catalog.namespace("media").migrate(renames(ran, 3)), 3);
    assert.deepEqual(ran, [1, 2, 3]);
    assert.deepEqual(await collect(catalog.namespace("media").entries()), [["v3", "data"]]);

    await reopen();
    assert.equal(await catalog.namespace("media").migrate(renames(ran, 4)), 4);
    assert.deepEqual(ran, [1, 2, 3, 4]);
    assert.equal(await catalog.namespace("media").migrate(renames(ran, 4)), 4);
    assert.deepEqual(ran, [1, 2, 3, 4]);
  });

  it("keeps versions per namespace and per sub-namespace", async () => {
    const ran: number[] = [];
    assert.equal(await catalog.namespace("media").migrate(renames(ran, 2)), 2);
    assert.equal(await catalog.namespace("media").sub("thumbs").migrate(renames(ran, 1)), 1);
    assert.equal(await catalog.namespace("pbx").migrate([]), 0);
    assert.deepEqual(ran, [1, 2, 1]);
  });

  it("lands a migration's writes with its version bump, and not before up() resolves", async () => {
    const media = catalog.namespace("media");
    await media.migrate([
      {
        version: 1,
        up: async (ns) => {
          await ns.put("new", 1);
          // Buffered until the migration commits: neither the namespace nor the view sees it.
          assert.equal(await media.get("new"), undefined);
          assert.equal(await ns.get("new"), undefined);
        },
      },
    ]);
    assert.equal(await media.get("new"), 1);
  });

  it("keeps the version when a migration throws, and rejects saying so", async () => {
    const media = catalog.namespace("media");
    const failing: CatalogMigration[] = [
      { version: 1, up: async (ns) => ns.put("one", 1) },
      {
        version: 2,
        up: async (ns) => {
          await ns.put("two", 2);
          throw new Error("bad row");
        },
      },
    ];
    await assert.rejects(media.migrate(failing), (err: unknown) => {
      assert.ok(err instanceof HearthError);
      assert.equal(err.code, "E_CATALOG");
      assert.equal(
        err.message,
        'catalog migration "media" to version 2 failed; the data stays at version 1',
      );
      assert.equal((err.cause as Error).message, "bad row");
      return true;
    });
    assert.deepEqual(await media.getMany(["one", "two"]), [1, undefined]);

    const ran: number[] = [];
    const fixed: CatalogMigration[] = [
      { version: 1, up: async () => void ran.push(1) },
      { version: 2, up: async () => void ran.push(2) },
    ];
    assert.equal(await media.migrate(fixed), 2);
    assert.deepEqual(ran, [2]);
  });

  it("refuses data written by a newer hearth and writes nothing", async () => {
    await catalog.namespace("pbx").migrate(renames([], 3));
    await reopen();
    const ran: number[] = [];
    await assert.rejects(catalog.namespace("pbx").migrate(renames(ran, 2)), (err: unknown) => {
      assert.ok(err instanceof HearthError);
      assert.equal(err.code, "E_CATALOG");
      assert.equal(
        err.message,
        `the catalog's "pbx" data is at schema version 3, but this hearth knows only up to version 2: a newer hearth wrote it`,
      );
      assert.match(err.fix ?? "", /^upgrade hearth/);
      return true;
    });
    assert.deepEqual(ran, []);
  });

  it("rejects a migration list with a repeated or invalid version", async () => {
    const up = async () => undefined;
    const media = catalog.namespace("media");
    await assert.rejects(
      media.migrate([
        { version: 1, up },
        { version: 1, up },
      ]),
      TypeError,
    );
    await assert.rejects(media.migrate([{ version: 0, up }]), TypeError);
    await assert.rejects(media.migrate([{ version: 1.5, up }]), TypeError);
  });

  it("refuses writes a migration makes after it finished", async () => {
    let leaked: ((value: number) => Promise<void>) | undefined;
    await catalog
      .namespace("media")
      .migrate([{ version: 1, up: async (ns) => void (leaked = (v) => ns.put("late", v)) }]);
    assert.ok(leaked);
    await assert.rejects(leaked(1), { code: "E_CATALOG" });
    assert.equal(await catalog.namespace("media").get("late"), undefined);
  });
});
