import assert from "node:assert/strict";
import type { Catalog } from "../../../storage/catalog/catalog.js";
import { WriteQueue } from "../../../storage/catalog/write-queue.js";
import { freshCatalogPerTest } from "./temp-catalog-dir.js";

/** Immediates alive in this process: the write queue's only way of scheduling work. */
function immediates(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "Immediate").length;
}

describe("WriteQueue (through the catalog)", () => {
  let catalog: Catalog;
  freshCatalogPerTest((c) => (catalog = c));

  it("coalesces writes from every namespace issued in one tick into one batch", async () => {
    const media = catalog.namespace("media");
    const pbx = catalog.namespace("pbx").sub("bindings");
    const before = catalog.stats;
    await Promise.all([
      ...Array.from({ length: 100 }, (_, i) => media.put(`k${i}`, i)),
      pbx.batch([
        { type: "put", key: "100", value: { contact: "sip:100@10.0.0.5" } },
        { type: "del", key: "101" },
      ]),
      media.del("gone"),
    ]);
    const after = catalog.stats;
    assert.equal(after.batchesWritten - before.batchesWritten, 1);
    assert.equal(after.opsWritten - before.opsWritten, 103);
  });

  it("gathers writes issued while a batch is being written into the next one", async () => {
    const media = catalog.namespace("media");
    const before = catalog.stats.batchesWritten;
    const first = media.put("first", 1);
    // setImmediate runs after the queue's own immediate has started writing "first".
    await new Promise((resolve) => setImmediate(resolve));
    const rest = Array.from({ length: 50 }, (_, i) => media.put(`later${i}`, i));
    await Promise.all([first, ...rest]);
    assert.equal(catalog.stats.batchesWritten - before, 2);
  });

  it("keeps one caller's batch whole even past the batch size target", async () => {
    const media = catalog.namespace("media");
    const big = Array.from({ length: WriteQueue.targetOpsPerBatch + 10 }, (_, i) => ({
      type: "put" as const,
      key: `big${i}`,
      value: i,
    }));
    const before = catalog.stats.batchesWritten;
    await Promise.all([media.put("small", 0), media.batch(big), media.put("after", 1)]);
    // "small" fills the first batch alone, the big one is never split, "after" follows.
    assert.equal(catalog.stats.batchesWritten - before, 3);
  });

  it("leaves nothing scheduled once the writes are acknowledged", async () => {
    const writes = Array.from({ length: 20 }, (_, i) => catalog.namespace("host").put(`k${i}`, i));
    assert.equal(immediates(), 1);
    await Promise.all(writes);
    await catalog.flush();
    assert.equal(immediates(), 0);
  });
});
