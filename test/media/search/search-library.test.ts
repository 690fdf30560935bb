import assert from "node:assert/strict";
import type { Library } from "../../../media/library/library.js";
import type { LibraryObject } from "../../../media/library/library-object.js";
import { parseSearchCriteria, searchLibrary } from "../../../media/search/index.js";
import { LibraryFixture, track } from "../library/library-fixture.js";
import { childId, search, searchLibraryFiles } from "./search-fixture.js";

const ids = (objects: readonly LibraryObject[]): string[] => objects.map((o) => o.id);
const AUDIO = 'upnp:class derivedfrom "object.item.audioItem"';

describe("Search on a library", () => {
  const fixture = new LibraryFixture();
  let library: Library;

  before(async () => {
    library = await fixture.open();
    await library.apply({ upserts: searchLibraryFiles() });
  });

  after(() => fixture.close());

  it("finds tracks by title from the root as canonical items (BubbleUPnP)", async () => {
    const found = await search(library, "0", `(${AUDIO}) and (dc:title contains "love")`);
    assert.equal(found.total, 2);
    assert.deepEqual(ids(found.objects), ["i9", "ia"]);
    const [first] = found.objects;
    assert.ok(first !== undefined && !first.isContainer);
    assert.equal(first.refId, undefined);
    assert.deepEqual(first, await library.getObject("i9"));
  });

  it("finds artists from the root once each, album artists included (Kodi)", async () => {
    const found = await search(
      library,
      "0",
      'upnp:class = "object.container.person.musicArtist" and dc:title contains "a"',
    );
    assert.deepEqual(
      found.objects.map((o) => o.title),
      ["ABBA", "The Beatles", "Unknown artist", "Various Artists"],
    );
    assert.deepEqual(ids(found.objects), [
      await childId(library, "1$6", "ABBA"),
      await childId(library, "1$6", "The Beatles"),
      await childId(library, "1$6", "Unknown artist"),
      await childId(library, "1$AA", "Various Artists"),
    ]);
    assert.equal(found.total, 4);
  });

  it("finds albums from the root in Albums, by their album artist", async () => {
    const found = await search(
      library,
      "0",
      'upnp:class derivedfrom "object.container.album" and dc:creator contains "various"',
    );
    assert.deepEqual(ids(found.objects), [await childId(library, "1$7", "Hits")]);
  });

  it("folds case and accents in contains and =, both ways", async () => {
    for (const criteria of [
      'dc:creator contains "beyonce"',
      'upnp:artist = "BEYONCE"',
      'upnp:artist contains "YONCÉ"',
      'upnp:artist = "Beyonce\u0301"',
    ]) {
      const found = await search(library, "0", criteria);
      assert.deepEqual(ids(found.objects), ["i9"], criteria);
    }
    const others = await search(library, "0", `${AUDIO} and upnp:artist doesNotContain "BEYONCÉ"`);
    // loose (i5) has no artist: a compare on a missing property is false.
    assert.deepEqual(ids(others.objects), ["i1", "i3", "i4", "ia", "i2"]);
  });

  it("returns a scoped search's items as the references that container shows", async () => {
    const criteria = 'dc:title contains "crazy"';
    assert.deepEqual(ids((await search(library, "1", criteria)).objects), ["1$4$i9"]);
    const hits = await childId(library, "1$7", "Hits");
    assert.deepEqual(ids((await search(library, hits, criteria)).objects), [`${hits}$i9`]);
    const beyonce = await childId(library, "1$6", "Beyoncé");
    const beyonceHits = await childId(library, beyonce, "Hits");
    const inArtists = await search(library, "1$6", criteria);
    assert.deepEqual(ids(inArtists.objects), [`${beyonceHits}$i9`]);
    assert.deepEqual(ids((await search(library, "64", criteria)).objects), ["i9"]);
    assert.equal((await search(library, "3", criteria)).total, 0);
    for (const object of inArtists.objects) {
      assert.ok(!object.isContainer);
      assert.equal(object.refId, "i9");
      assert.deepEqual(await library.getObject(object.id), object, "browsable as found");
    }
  });

  it("lists each item once in a scope that shows it many times", async () => {
    const found = await search(library, "1", AUDIO);
    assert.equal(found.total, 7);
    assert.deepEqual(ids(found.objects), [
      "1$4$i1",
      "1$4$i9",
      "1$4$i3",
      "1$4$i4",
      "1$4$i5",
      "1$4$ia",
      "1$4$i2",
    ]);
    const beatles = await search(library, "1$6", `${AUDIO} and upnp:artist = "the beatles"`);
    assert.deepEqual(
      beatles.objects.map((o) => o.title),
      ["Come Together", "Love Me Do", "Something"],
    );
  });

  it("matches containers below a scope, every one the tree shows", async () => {
    const found = await search(library, "1$6", 'upnp:class derivedfrom "object.container.album"');
    assert.deepEqual(
      found.objects.map((o) => `${o.title} ${o.parentId}`),
      [
        `Abbey Road ${await childId(library, "1$6", "The Beatles")}`,
        `Gold ${await childId(library, "1$6", "ABBA")}`,
        // Equal titles keep the walk's order: The Beatles before Beyoncé ("The" is ignored).
        `Hits ${await childId(library, "1$6", "The Beatles")}`,
        `Hits ${await childId(library, "1$6", "Beyoncé")}`,
        `Unknown album ${await childId(library, "1$6", "Unknown artist")}`,
      ],
    );
  });

  it("pages the sorted matches and counts them all", async () => {
    const all = ["i1", "i9", "i3", "i4", "i5", "ia", "i2"];
    const page = async (start: number, count: number) => {
      const found = await search(library, "0", AUDIO, { start, count });
      assert.equal(found.total, 7);
      return ids(found.objects);
    };
    assert.deepEqual(await page(0, 0), all);
    assert.deepEqual(await page(0, 3), all.slice(0, 3));
    assert.deepEqual(await page(3, 3), all.slice(3, 6));
    assert.deepEqual(await page(6, 3), all.slice(6));
    assert.deepEqual(await page(2, 0), all.slice(2));
    assert.deepEqual(await page(10, 3), []);
  });

  it("sorts by SortCriteria, ties by title", async () => {
    const byTrack = await search(library, "0", AUDIO, {
      sort: [{ property: "upnp:originalTrackNumber" }],
    });
    assert.deepEqual(ids(byTrack.objects), ["i1", "i9", "i3", "i4", "i2", "ia", "i5"]);
    const byDate = await search(library, "0", 'upnp:class derivedfrom "object.item"', {
      sort: [{ property: "dc:date" }],
    });
    assert.deepEqual(ids(byDate.objects), [
      "ia",
      "i1",
      "i2",
      "i9",
      "i8",
      "i7",
      "i3",
      "i6",
      "i4",
      "i5",
    ]);
    const hits = await search(library, "0", 'upnp:album = "hits"', {
      sort: [{ property: "dc:title", isDescending: true }],
      count: 1,
    });
    assert.deepEqual(ids(hits.objects), ["ia"]);
    assert.equal(hits.total, 2);
  });

  it("tests presence with exists", async () => {
    const noGenre = await search(
      library,
      "0",
      'upnp:class derivedfrom "object.item" and upnp:genre exists false',
    );
    assert.deepEqual(ids(noGenre.objects), ["i7", "i6", "i5", "i8"]);
    assert.equal((await search(library, "0", "@refID exists true")).total, 0);
    const refs = await search(library, "1$4", "@refID exists true");
    assert.equal(refs.total, 7);
    const albums = await search(
      library,
      "0",
      'dc:date exists true and upnp:class = "object.container.album.musicAlbum"',
    );
    assert.deepEqual(
      albums.objects.map((o) => o.title),
      ["Abbey Road", "Hits"],
    );
  });

  it("compares track numbers and sizes as numbers", async () => {
    const found = async (criteria: string) => ids((await search(library, "0", criteria)).objects);
    assert.deepEqual(await found('upnp:originalTrackNumber >= "2"'), ["i4", "ia", "i2"]);
    assert.deepEqual(await found('upnp:originalTrackNumber = "012"'), ["ia"]);
    assert.deepEqual(await found('upnp:originalTrackNumber contains "2"'), ["i4", "ia", "i2"]);
    assert.deepEqual(await found('res@size < "3000000"'), ["ia"]);
    assert.deepEqual(await found('res@size <= "3000000"'), ["i7", "ia", "i8"]);
    assert.deepEqual(await found('res@size > "100000000"'), ["i6"]);
  });

  it("compares durations numerically and finds them as H:MM:SS.mmm text", async () => {
    const found = async (criteria: string) => ids((await search(library, "0", criteria)).objects);
    assert.deepEqual(await found('res@duration > "0:03:30"'), ["i9", "i6"]);
    assert.deepEqual(await found('res@duration < "0:02:30.000"'), ["ia"]);
    assert.deepEqual(await found('res@duration = "0:03:20.5"'), ["i1", "i3", "i4", "i5", "i2"]);
    assert.deepEqual(await found('res@duration contains "1:30:00.000"'), ["i6"]);
    assert.deepEqual(await found('res@duration contains "0:02:22.900"'), ["ia"]);
  });

  it("compares dates at the coarser precision of the two", async () => {
    const items = 'upnp:class derivedfrom "object.item"';
    const found = async (criteria: string) =>
      ids((await search(library, "0", `${items} and ${criteria}`)).objects);
    assert.deepEqual(await found('dc:date >= "1969-01-01"'), ["i7", "i1", "i9", "i8", "i2"]);
    assert.deepEqual(await found('dc:date < "1969-01-01"'), ["ia"]);
    assert.deepEqual(await found('dc:date = "1969-06-15"'), ["i1", "i2"]);
    assert.deepEqual(await found('dc:date = "2024"'), ["i7"]);
    assert.deepEqual(await found('dc:date >= "2024-07-14T09:00:00"'), ["i7"]);
    assert.deepEqual(await found('dc:date > "2024-07-14T10:00:00"'), []);
    assert.deepEqual(await found('dc:date contains "-01-"'), ["i8"]);
  });

  it("finds files by the MIME type in their protocolInfo", async () => {
    const found = async (criteria: string) => ids((await search(library, "0", criteria)).objects);
    assert.deepEqual(await found('res@protocolInfo contains "audio/mpeg"'), [
      "i1",
      "i9",
      "i4",
      "i5",
      "ia",
      "i2",
    ]);
    assert.deepEqual(await found('res@protocolInfo = "http-get:*:audio/x-flac:*"'), ["i3"]);
    assert.deepEqual(await found('res@protocolInfo contains "IMAGE/"'), ["i7", "i8"]);
  });

  it("matches on ids exactly", async () => {
    const found = async (scope: string, criteria: string) =>
      ids((await search(library, scope, criteria)).objects);
    assert.deepEqual(await found("0", '@id = "i9"'), ["i9"]);
    assert.deepEqual(await found("0", '@id = "I9"'), []);
    assert.deepEqual(await found("1", '@refID = "i9"'), ["1$4$i9"]);
    const hits = await childId(library, "1$7", "Hits");
    // The album's own references, though All tracks shows the same items first.
    assert.deepEqual(await found("1", `@parentID = "${hits}"`), [`${hits}$i9`, `${hits}$ia`]);
    assert.deepEqual(await found("1", '@id = "1$4$i9" or @parentID = "1$4"'), [
      "1$4$i1",
      "1$4$i9",
      "1$4$i3",
      "1$4$i4",
      "1$4$i5",
      "1$4$ia",
      "1$4$i2",
    ]);
    // At the root an item is only its canonical object.
    assert.deepEqual(await found("0", `@parentID = "${hits}"`), []);
  });

  it('returns the whole scope for "*" and excludes the scope itself', async () => {
    const hits = await childId(library, "1$7", "Hits");
    const inAlbum = await search(library, hits, "*");
    assert.deepEqual(ids(inAlbum.objects), [`${hits}$i9`, `${hits}$ia`]);
    const everything = await search(library, "0", "*");
    const items = everything.objects.filter((o) => !o.isContainer);
    assert.equal(items.length, 10);
    assert.ok(items.every((o) => !o.isContainer && o.refId === undefined));
    assert.ok(!everything.objects.some((o) => o.id === "0" || o.id === "1" || o.id === "1$4"));
    assert.equal(everything.total, everything.objects.length);
  });

  it("answers undefined for ids that are not containers", async () => {
    for (const id of ["i9", "1$4$i9", "zzzzzzzzzzzz", "", "../etc", "1$4$"]) {
      const result = await searchLibrary(library, id, "all", { start: 0, count: 0 });
      assert.equal(result, undefined, id);
    }
  });
});

describe("Search cost", () => {
  const fixture = new LibraryFixture();
  let library: Library;

  before(async () => {
    library = await fixture.open();
    const many = Array.from({ length: 600 }, (_, i) =>
      track(`Many/${String(i).padStart(3, "0")}.mp3`, {
        title: `Song ${i % 50}`,
        artist: `Artist ${i % 7}`,
        album: `Album ${i % 20}`,
        trackNumber: (i % 15) + 1,
      }),
    );
    await library.apply({ upserts: many });
  });

  after(() => fixture.close());

  it("answers any page exactly as a slice of the full sorted result", async () => {
    // 600 matches with many ties: pages are cut from kept matches that are sorted and trimmed.
    const criteria = parseSearchCriteria('dc:title contains "song"');
    const sort = [{ property: "upnp:originalTrackNumber" as const, isDescending: true }];
    const full = await searchLibrary(library, "0", criteria, { start: 0, count: 0, sort });
    assert.ok(full !== undefined);
    assert.equal(full.total, 600);
    assert.equal(full.objects.length, 600);
    for (let start = 0; start < 620; start += 31) {
      const count = 1 + (start % 60);
      const page = await searchLibrary(library, "0", criteria, { start, count, sort });
      assert.deepEqual(page, { objects: full.objects.slice(start, start + count), total: 600 });
    }
    // Track number down, then title, then the scan order: item ids as the catalog sorts them.
    const id = (i: number): string => `i${(i + 1).toString(36)}`;
    const expected = Array.from({ length: 600 }, (_, i) => i)
      .sort((a, b) => (b % 15) - (a % 15) || (a % 50) - (b % 50) || (id(a) < id(b) ? -1 : 1))
      .map(id);
    assert.deepEqual(ids(full.objects), expected);
  });

  /** A Search from "0" on a freshly opened library: its matches and the catalog reads it made. */
  async function searchCost(criteria: string) {
    const fresh = await fixture.reopen();
    const before = fresh.stats;
    const found = await search(fresh, "0", criteria, { count: 5 });
    const after = fresh.stats;
    library = fresh;
    return {
      total: found.total,
      rangeReads: after.rangeReads - before.rangeReads,
      keysScanned: after.keysScanned - before.keysScanned,
    };
  }

  it("reads the items with one range read and no container for item criteria", async () => {
    const cost = await searchCost(`${AUDIO} and res@size > "0"`);
    assert.deepEqual(cost, { total: 600, rangeReads: 1, keysScanned: 600 });
  });

  it("parses only the items whose stored text can hold the words searched for", async () => {
    // The other 588 tracks are skipped on their stored text, unparsed.
    const cost = await searchCost(`${AUDIO} and dc:title = "song 7"`);
    assert.deepEqual(cost, { total: 12, rangeReads: 1, keysScanned: 12 });
  });

  it("reads no track records when only albums can match", async () => {
    const fresh = await fixture.reopen();
    const before = fresh.stats;
    const found = await search(fresh, "1", 'upnp:class = "object.container.album.musicAlbum"');
    // Albums under Artists, Album artists and Albums.
    assert.equal(found.total, 7 * 20 + 7 * 20 + 20);
    const after = fresh.stats;
    // Each container listing that holds tracks stops at its first one.
    assert.ok(
      after.pointReads - before.pointReads < 1000,
      `${after.pointReads - before.pointReads}`,
    );
    library = fresh;
  });
});
