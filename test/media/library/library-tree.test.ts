import assert from "node:assert/strict";
import type { Library } from "../../../media/library/library.js";
import type { LibraryItem } from "../../../media/library/library-object.js";
import { allChildren, LibraryFixture, outline, photo, track } from "./library-fixture.js";
import { smallLibrary, smallLibraryOutline } from "./small-library.js";

describe("Library tree", () => {
  const fixture = new LibraryFixture();
  let library: Library;

  beforeEach(async () => {
    library = await fixture.open();
  });

  afterEach(() => fixture.close());

  async function itemAt(containerId: string, title: string): Promise<LibraryItem> {
    const found = (await allChildren(library, containerId)).find((o) => o.title === title);
    assert.ok(found !== undefined && !found.isContainer, `${title} in ${containerId}`);
    return found;
  }

  it("starts with the fixed top level, in MiniDLNA's well-known ids", async () => {
    assert.deepEqual((await outline(library)).join("\n"), FIXED_ONLY);
    assert.deepEqual(await library.getObject("0"), {
      id: "0",
      parentId: "-1",
      title: "root",
      upnpClass: "object.container",
      isContainer: true,
      childCount: 4,
      updateId: 0,
    });
    const music = await allChildren(library, "1");
    assert.deepEqual(
      music.map((o) => o.id),
      ["1$4", "1$6", "1$AA", "1$7", "1$5", "1$14"],
    );
  });

  it("lays out a small library as the exact tree: titles, classes, order, counts, refs", async () => {
    await library.apply({ upserts: smallLibrary() });
    assert.equal((await outline(library)).join("\n"), smallLibraryOutline);
  });

  it("renders a track with every fact the server needs, as itself and as a reference", async () => {
    await library.apply({ upserts: smallLibrary() });
    const ref = await itemAt("1$4", "Come Together");
    const canonical = await library.getObject(ref.itemId);
    assert.ok(canonical !== undefined && !canonical.isContainer);
    const { refId, ...sameFacts } = ref;
    assert.deepEqual(canonical, { ...sameFacts, id: ref.itemId, parentId: canonical.parentId });
    assert.equal(refId, ref.itemId);
    assert.equal(ref.id, `1$4$${ref.itemId}`);
    assert.match(ref.itemId, /^i[0-9a-z]+$/);
    const { id, parentId, itemId, ...facts } = canonical;
    void [id, parentId, itemId];
    assert.deepEqual(facts, {
      title: "Come Together",
      upnpClass: "object.item.audioItem.musicTrack",
      isContainer: false,
      mediaClass: "audio",
      mime: "audio/mpeg",
      dlnaProfile: "MP3",
      sizeBytes: 4_000_000,
      durationSeconds: 200.5,
      bitrateBps: 320_000,
      sampleRateHz: 44_100,
      channels: 2,
      artist: "The Beatles",
      album: "Abbey Road",
      genre: "Rock",
      trackNumber: 1,
      year: 1969,
      subtitles: [],
      hasEmbeddedArt: true,
      hasCover: false,
      hasMetadataError: false,
    });
    const parent = await library.getObject(canonical.parentId);
    assert.equal(parent?.title, "Abbey Road");
    assert.equal(parent?.upnpClass, "object.container.storageFolder");
  });

  it("resolves items and references to their file, and subtitles and covers to theirs", async () => {
    await library.apply({ upserts: smallLibrary() });
    const holiday = await itemAt("2$8", "Holiday");
    assert.deepEqual(holiday.subtitles, [
      { index: 0, format: "srt", mime: "text/srt", language: "en" },
      { index: 1, format: "srt", mime: "text/srt" },
    ]);
    const file = {
      rootId: 0,
      relPath: "Films/Holiday.mp4",
      sizeBytes: 700_000_000,
      mime: "video/mp4",
      subtitleRelPaths: ["Films/Holiday.en.srt", "Films/Holiday.srt"],
    };
    assert.deepEqual(await library.itemFile(holiday.id), file);
    assert.deepEqual(await library.itemFile(holiday.itemId), file);
    const queen = await itemAt("1$4", "Dancing Queen");
    assert.equal(queen.hasCover, true);
    assert.equal((await library.itemFile(queen.id))?.coverRelPath, "ABBA/Gold/cover.jpg");
    assert.equal(await library.itemFile("1$4"), undefined);
  });

  it("finds an album's art among its first tracks, and lists every item once for Search", async () => {
    await library.apply({ upserts: smallLibrary() });
    const albums = await allChildren(library, "1$7");
    const art = await Promise.all(albums.map((album) => library.artItemId(album.id)));
    const come = await itemAt("1$4", "Come Together");
    const queen = await itemAt("1$4", "Dancing Queen");
    assert.deepEqual(art, [come.itemId, queen.itemId, undefined]);
    const items = [];
    // Pages of 3 over 8 items: 3 + 3 + 2, in id order, nothing lost at page edges.
    const sizes = [];
    for await (const page of library.itemPages(3)) {
      sizes.push(page.length);
      items.push(...page);
    }
    assert.deepEqual(sizes, [3, 3, 2]);
    assert.deepEqual(
      items.map((item) => item.id),
      items.map((item) => item.id).sort(),
    );
    assert.equal(items.length, 8);
    assert.ok(items.every((item) => item.refId === undefined && item.id === item.itemId));
    assert.deepEqual(
      items.find((item) => item.id === come.itemId),
      await library.getObject(come.itemId),
    );
  });

  it("answers undefined for every id no object has, paths included", async () => {
    await library.apply({ upserts: smallLibrary() });
    const track = await itemAt("1$4", "Something");
    const folderId = (await library.getObject(track.itemId))?.parentId;
    const bogus = [
      "",
      "-1",
      "../../etc/passwd",
      "The Beatles/Abbey Road",
      "f0/loose.mp3",
      "i999",
      "iZ",
      "1$99",
      `1$7$${track.itemId}`, // the item is not directly in Albums
      `2$8$${track.itemId}`, // nor among the videos
      `${folderId}$${track.itemId}`, // its real folder holds it as itself, not as a ref
      "x".repeat(65),
    ];
    for (const id of bogus) {
      assert.equal(await library.getObject(id), undefined, id);
      assert.equal(await library.children(id), undefined, id);
    }
    assert.equal(await library.children(track.id), undefined, "an item has no children");
  });

  it("gives missing tags their buckets and titles from the file name", async () => {
    await library.apply({
      upserts: [
        track("Odd/no tags at all.mp3", {}),
        track("Odd/broken.mp3", {}, { metadataError: "truncated", audio: undefined }),
        track("Odd/.hidden-ish", {}),
        photo("no-ext", undefined),
      ],
    });
    const titles = (await allChildren(library, "1$4")).map((o) => o.title);
    assert.deepEqual(titles, ["broken", ".hidden-ish", "no tags at all"]);
    const broken = await itemAt("1$4", "broken");
    assert.equal(broken.hasMetadataError, true);
    assert.equal(broken.durationSeconds, undefined);
    const artists = await allChildren(library, "1$6");
    assert.deepEqual(
      artists.map((o) => [o.title, o.isContainer && o.childCount]),
      [["Unknown artist", 1]],
    );
    assert.deepEqual(
      (await allChildren(library, artists[0]?.id ?? "")).map((o) => o.title),
      ["Unknown album"],
    );
    assert.deepEqual(
      (await allChildren(library, "3$B")).map((o) => o.title),
      ["no-ext"],
    );
  });
});

const FIXED_ONLY = `
Music [container] 6
  All tracks [container] 0
  Artists [container] 0
  Album artists [container] 0
  Albums [container] 0
  Genres [container] 0
  Folders [storageFolder] 0
Videos [container] 2
  All videos [container] 0
  Folders [storageFolder] 0
Pictures [container] 3
  All pictures [container] 0
  By date [container] 0
  Folders [storageFolder] 0
Folders [storageFolder] 0`.trim();
