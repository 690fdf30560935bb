import assert from "node:assert/strict";
import type { Library } from "../../../media/library/library.js";
import type { LibraryUpdate } from "../../../media/library/library-types.js";
import { allChildren, LibraryFixture, titlePath, track } from "./library-fixture.js";
import { smallLibrary } from "./small-library.js";

const abbeyRoad = { artist: "The Beatles", album: "Abbey Road", year: 1969, genre: "Rock" };

describe("Library apply", () => {
  const fixture = new LibraryFixture();
  let library: Library;

  beforeEach(async () => {
    library = await fixture.open();
    await library.apply({ upserts: smallLibrary() });
  });

  afterEach(() => fixture.close());

  async function changedPaths(update: LibraryUpdate | undefined): Promise<string[]> {
    assert.ok(update !== undefined, "the apply changed something");
    for (const { updateId } of update.containers) assert.equal(updateId, update.systemUpdateId);
    const paths = await Promise.all(update.containers.map(({ id }) => titlePath(library, id)));
    return paths.sort();
  }

  function batches(): number {
    return fixture.catalog.stats.batchesWritten;
  }

  it("adding a track changes exactly its lists and the parents whose counts it changed", async () => {
    const before = library.systemUpdateId();
    const update = await library.applyChanges({
      upserts: [
        track("The Beatles/Abbey Road/03 Maxwell.mp3", {
          ...abbeyRoad,
          title: "Maxwell",
          trackNumber: 3,
        }),
      ],
    });
    assert.equal(update?.systemUpdateId, before + 1);
    assert.equal(library.systemUpdateId(), before + 1);
    assert.deepEqual(await changedPaths(update), [
      "Folders/Music/The Beatles",
      "Folders/Music/The Beatles/Abbey Road",
      "Music",
      "Music/Album artists/The Beatles",
      "Music/Album artists/The Beatles/Abbey Road",
      "Music/Albums",
      "Music/Albums/Abbey Road",
      "Music/All tracks",
      "Music/Artists/The Beatles",
      "Music/Artists/The Beatles/Abbey Road",
      "Music/Folders/Music/The Beatles",
      "Music/Folders/Music/The Beatles/Abbey Road",
      "Music/Genres/Rock",
      "Music/Genres/Rock/The Beatles",
    ]);
    assert.deepEqual(update?.removedContainers, []);
    assert.equal(await library.containerUpdateId("1$4"), before + 1);
    assert.equal(await library.containerUpdateId("2$8"), before, "videos did not change");
  });

  it("removing an artist's last track makes their containers vanish", async () => {
    const [queen] = (await allChildren(library, "1$4")).filter((o) => o.title === "Dancing Queen");
    const abba = (await allChildren(library, "1$6")).find((o) => o.title === "ABBA");
    const update = await library.applyChanges({
      removals: [
        { rootId: 0, relPath: "ABBA/Gold/CD2/01 Dancing Queen.flac" },
        { rootId: 0, relPath: "ABBA/Gold/CD1/02 Knowing Me, Knowing You.flac" },
      ],
    });
    assert.equal(
      update?.removedContainers.length,
      15,
      "3 albums, 2 artists, genre, its artist, 4+4 folders",
    );
    assert.equal(await library.getObject(abba?.id ?? ""), undefined);
    assert.equal(await library.getObject(queen?.id ?? ""), undefined);
    assert.equal(
      await library.getObject(queen?.isContainer === false ? queen.itemId : ""),
      undefined,
    );
    assert.deepEqual(
      (await allChildren(library, "1$6")).map((o) => o.title),
      ["The Beatles", "Unknown artist"],
    );
    const artists = await library.getObject("1$6");
    assert.equal(artists?.isContainer === true && artists.childCount, 2);
    assert.deepEqual(await library.counts(), {
      tracks: 3,
      videos: 1,
      pictures: 2,
      albums: 2,
      artists: 2,
    });
    assert.deepEqual(await changedPaths(update), [
      "Folders",
      "Folders/Music",
      "Music",
      "Music/Album artists",
      "Music/Albums",
      "Music/All tracks",
      "Music/Artists",
      "Music/Folders",
      "Music/Folders/Music",
      "Music/Genres",
    ]);
  });

  it("a moved file keeps its item id; its old folder vanishes when empty", async () => {
    const holiday = (await allChildren(library, "2$8"))[0];
    assert.ok(holiday !== undefined && !holiday.isContainer);
    const update = await library.applyChanges({
      moves: [
        {
          from: { rootId: 0, relPath: "Films/Holiday.mp4" },
          to: { ...(await movedVideo()), relPath: "Trips/2024/Holiday.mp4" },
        },
      ],
    });
    const moved = (await allChildren(library, "2$8"))[0];
    assert.equal(moved?.id, holiday.id, "same reference id in All videos");
    assert.equal(
      await titlePath(library, (await library.getObject(holiday.itemId))?.parentId ?? ""),
      "Folders/Music/Trips/2024",
    );
    assert.deepEqual(await library.itemFile(holiday.itemId), {
      ...(await library.itemFile(holiday.itemId)),
      relPath: "Trips/2024/Holiday.mp4",
    });
    assert.equal(update?.removedContainers.length, 2, "Films in both folder trees");
    const files = [];
    for await (const file of library.filesUnder(0, "")) files.push(file.relPath);
    assert.ok(files.includes("Trips/2024/Holiday.mp4") && !files.includes("Films/Holiday.mp4"));
  });

  it("a changed title reorders its lists without changing counts", async () => {
    const update = await library.applyChanges({
      upserts: [track("loose.mp3", { title: "Aardvark" })],
    });
    assert.deepEqual(
      (await allChildren(library, "1$4")).map((o) => o.title),
      ["Aardvark", "Come Together", "Dancing Queen", "Knowing Me, Knowing You", "Something"],
    );
    assert.deepEqual(await changedPaths(update), [
      "Folders/Music",
      "Music/Album artists/Unknown artist/Unknown album",
      "Music/Albums/Unknown album",
      "Music/All tracks",
      "Music/Artists/Unknown artist/Unknown album",
      "Music/Folders/Music",
      "Music/Genres/Unknown genre/Unknown artist",
    ]);
  });

  it("an unchanged apply writes nothing and keeps every update id", async () => {
    const state = { batches: batches(), id: library.systemUpdateId() };
    let events = 0;
    library.onUpdate(() => (events += 1));
    assert.equal(await library.applyChanges({ upserts: smallLibrary() }), undefined);
    assert.equal(await library.applyChanges({}), undefined);
    assert.equal(
      await library.applyChanges({ removals: [{ rootId: 0, relPath: "never/was.mp3" }] }),
      undefined,
    );
    await fixture.catalog.flush();
    assert.deepEqual({ batches: batches(), id: library.systemUpdateId() }, state);
    assert.equal(events, 0);
  });

  it("a new mtime alone updates the file entry without telling clients", async () => {
    const [first] = smallLibrary();
    assert.ok(first !== undefined);
    const id = library.systemUpdateId();
    const writes = batches();
    assert.equal(
      await library.applyChanges({ upserts: [{ ...first, mtimeMs: first.mtimeMs + 1000 }] }),
      undefined,
    );
    assert.equal(batches(), writes + 1);
    assert.equal(library.systemUpdateId(), id);
    const known = [];
    for await (const file of library.filesIn(0, "The Beatles/Abbey Road")) known.push(file.mtimeMs);
    assert.deepEqual(known, [first.mtimeMs + 1000, first.mtimeMs]);
  });

  it("writes each apply as exactly one catalog batch, and tells listeners once", async () => {
    const updates: LibraryUpdate[] = [];
    library.onUpdate((update) => updates.push(update));
    const writes = batches();
    const ops = fixture.catalog.stats.opsWritten;
    const many = Array.from({ length: 300 }, (_, i) =>
      track(`bulk/${i}.mp3`, { title: `Bulk ${i}` }),
    );
    const update = await library.applyChanges({
      upserts: many,
      removals: [{ rootId: 0, relPath: "loose.mp3" }],
    });
    assert.equal(batches(), writes + 1, "one LevelDB batch: all or nothing across a kill");
    assert.ok(fixture.catalog.stats.opsWritten - ops > 2000, "a big batch, not split");
    assert.deepEqual(updates, [update]);
  });

  it("keeps ids, counts and update ids across a restart, and a reopen writes nothing", async () => {
    const before = await allChildren(library, "1$6");
    const id = library.systemUpdateId();
    const reopened = await fixture.reopen();
    assert.equal(fixture.catalog.stats.batchesWritten, 0);
    assert.equal(reopened.systemUpdateId(), id);
    assert.deepEqual(await allChildren(reopened, "1$6"), before);
    assert.equal(fixture.catalog.stats.batchesWritten, 0, "reads never write");
    const update = await reopened.applyChanges({ upserts: [track("new.mp3", {})] });
    assert.equal(update?.systemUpdateId, id + 1);
  });

  it("gives containers the same ids in a catalog rebuilt from scratch", async () => {
    const before = (await allChildren(library, "1$6")).map((o) => o.id);
    await fixture.close();
    library = await fixture.open();
    await library.apply({ upserts: smallLibrary() });
    assert.deepEqual(
      (await allChildren(library, "1$6")).map((o) => o.id),
      before,
    );
  });

  it("prunes the files of roots no longer configured, and writes nothing when none are", async () => {
    const writes = batches();
    assert.equal(await library.pruneRoots(2), 0);
    await fixture.catalog.flush();
    assert.equal(batches(), writes);
    assert.equal(await library.pruneRoots(1), 2, "the two photos in root 1");
    assert.deepEqual(await library.counts(), {
      tracks: 5,
      videos: 1,
      pictures: 0,
      albums: 3,
      artists: 3,
    });
    assert.deepEqual(
      (await allChildren(library, "64")).map((o) => o.title),
      ["Music"],
    );
    assert.deepEqual(await allChildren(library, "3$C"), []);
  });
});

async function movedVideo() {
  const [, , , , , holiday] = smallLibrary();
  assert.ok(holiday !== undefined && holiday.mediaClass === "video");
  return { ...holiday, subtitles: [] };
}
