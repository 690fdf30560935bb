import assert from "node:assert/strict";
import { setImmediate as nextTurn } from "node:timers/promises";
import { LibraryFixture, allChildren, track } from "./library-fixture.js";

describe("Library under concurrent use", () => {
  const warnings: string[] = [];
  const fixture = new LibraryFixture({
    rootTitles: ["Music"],
    log: { warn: (_obj, message) => warnings.push(message) },
  });

  beforeEach(() => fixture.open());
  afterEach(() => fixture.close());

  it("never keeps a child list or record read while an apply was committing", async () => {
    let library = fixture.library;
    const many = Array.from({ length: 3000 }, (_, i) => track(`m/${i}.mp3`, { title: `M${i}` }));
    await library.apply({ upserts: many });
    for (let round = 0; round < 6; round += 1) {
      // A fresh library has nothing cached: its first read of 3 000 children takes many turns,
      // so the apply below commits while the read is still under way.
      library = await fixture.reopen();
      const reading = library.children("1$4", { count: 1 });
      for (let turn = 0; turn < round; turn += 1) await nextTurn();
      await library.apply({ upserts: [track(`r/${round}.mp3`, { title: `R${round}` })] });
      await reading;
      const page = await library.children("1$4", { count: 1 });
      assert.equal(page?.total, 3001 + round, `round ${round}`);
      const container = await library.getObject("1$4");
      assert.equal(container?.isContainer === true && container.childCount, 3001 + round);
    }
  });

  it("runs applies one at a time in call order, with distinct item ids", async () => {
    const library = fixture.library;
    const adds = Array.from({ length: 5 }, (_, i) =>
      library.applyChanges({ upserts: [track(`c/${i}.mp3`, { title: `C${i}` })] }),
    );
    const removal = library.applyChanges({ removals: [{ rootId: 0, relPath: "c/0.mp3" }] });
    const updates = await Promise.all([...adds, removal]);
    assert.deepEqual(
      updates.map((u) => u?.systemUpdateId),
      [1, 2, 3, 4, 5, 6],
    );
    const tracks = await allChildren(library, "1$4");
    assert.deepEqual(
      tracks.map((t) => t.title),
      ["C1", "C2", "C3", "C4"],
    );
    const ids = new Set(tracks.map((t) => (t.isContainer ? t.id : t.itemId)));
    assert.equal(ids.size, 4);
  });

  it("logs a throwing update listener and still completes the apply", async () => {
    const library = fixture.library;
    let called = 0;
    library.onUpdate(() => {
      throw new Error("listener bug");
    });
    const off = library.onUpdate(() => (called += 1));
    await library.apply({ upserts: [track("x.mp3", {})] });
    assert.equal(called, 1);
    assert.deepEqual(warnings, ["a library update listener threw; the update was still saved"]);
    off();
    await library.apply({ upserts: [track("y.mp3", {})] });
    assert.equal(called, 1, "unsubscribed");
    assert.equal(library.systemUpdateId(), 2);
  });
});
