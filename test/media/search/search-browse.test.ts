import assert from "node:assert/strict";
import type { Library } from "../../../media/library/library.js";
import type { LibraryObject } from "../../../media/library/library-object.js";
import { containerClasses, itemClasses } from "../../../media/search/search-reach.js";
import { allChildren, LibraryFixture, track } from "../library/library-fixture.js";
import { childId, search, searchLibraryFiles } from "./search-fixture.js";

type Check = (object: LibraryObject) => boolean;

/**
 * What a person browsing finds: every container below `scopeId`, and each item at its first
 * appearance that passes `check`, walking depth first in default order.
 */
async function browseAndFilter(
  library: Library,
  scopeId: string,
  check: Check,
): Promise<LibraryObject[]> {
  const found: LibraryObject[] = [];
  const itemIds = new Set<string>();
  const visit = async (id: string): Promise<void> => {
    for (const child of await allChildren(library, id)) {
      if (child.isContainer) {
        if (check(child)) found.push(child);
        await visit(child.id);
      } else if (check(child) && !itemIds.has(child.itemId)) {
        itemIds.add(child.itemId);
        found.push(child);
      }
    }
  };
  await visit(scopeId);
  return found;
}

const byId = (objects: readonly LibraryObject[]): LibraryObject[] =>
  [...objects].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

async function assertLikeBrowse(
  library: Library,
  scopeId: string,
  criteria: string,
  check: Check,
): Promise<number> {
  const searched = await search(library, scopeId, criteria);
  const browsed = await browseAndFilter(library, scopeId, check);
  assert.equal(searched.total, browsed.length, `${scopeId}: ${criteria}`);
  assert.deepEqual(byId(searched.objects), byId(browsed), `${scopeId}: ${criteria}`);
  return searched.total;
}

const isAudio: Check = (o) => o.upnpClass.startsWith("object.item.audioItem");
const lower = (text: string | undefined): string => (text ?? "").toLowerCase();

describe("Search consistent with Browse", () => {
  const fixture = new LibraryFixture();
  let library: Library;

  before(async () => {
    library = await fixture.open();
    await library.apply({ upserts: searchLibraryFiles() });
  });

  after(() => fixture.close());

  it("uses only upnp:class values the library gives objects", async () => {
    const seen = new Set<string>();
    const visit = async (id: string): Promise<void> => {
      for (const child of await allChildren(library, id)) {
        seen.add(child.upnpClass);
        if (child.isContainer) await visit(child.id);
      }
    };
    await visit("0");
    const known = new Set<string>([...itemClasses, ...Object.values(containerClasses)]);
    assert.deepEqual(
      [...seen].filter((c) => !known.has(c)),
      [],
    );
    assert.equal(seen.size, known.size);
  });

  it("finds in scoped containers what browsing them finds", async () => {
    const hits = await childId(library, "1$7", "Hits");
    const cases: Array<[string, string, Check, number]> = [
      ["1", 'dc:title contains "love"', (o) => lower(o.title).includes("love"), 2],
      [
        "1$6",
        'upnp:class derivedfrom "object.container.album"',
        (o) => o.upnpClass.startsWith("object.container.album."),
        5,
      ],
      [
        "1",
        'upnp:class derivedfrom "object.item.audioItem" and upnp:artist = "the beatles"',
        (o) => isAudio(o) && !o.isContainer && lower(o.artist) === "the beatles",
        3,
      ],
      [
        "3",
        'dc:date >= "2024"',
        (o) => !o.isContainer && o.date !== undefined && o.date.slice(0, 4) >= "2024",
        1,
      ],
      ["64", "*", () => true, 10 + 12],
      ["2", "*", () => true, 4 + 1],
      ["1", `@parentID = "${hits}"`, (o) => o.parentId === hits, 2],
      [
        "1$5",
        'upnp:genre = "rock" or upnp:class = "object.container.genre.musicGenre"',
        (o) =>
          o.upnpClass === "object.container.genre.musicGenre" ||
          (!o.isContainer && lower(o.genre) === "rock"),
        4 + 3,
      ],
    ];
    for (const [scope, criteria, check, total] of cases) {
      assert.equal(await assertLikeBrowse(library, scope, criteria, check), total, criteria);
    }
  });

  it("finds from the root every item once, as the Folders tree shows it", async () => {
    const searched = await search(library, "0", 'upnp:class derivedfrom "object.item"');
    const browsed = await browseAndFilter(library, "64", (o) => !o.isContainer);
    assert.equal(searched.total, 10);
    assert.deepEqual(byId(searched.objects), byId(browsed));
  });

  it("finds from the root the albums the Albums container lists", async () => {
    const searched = await search(library, "0", 'upnp:class = "object.container.album.musicAlbum"');
    assert.deepEqual(byId(searched.objects), byId(await allChildren(library, "1$7")));
  });
});

describe("Search consistent with Browse on a generated library", () => {
  const fixture = new LibraryFixture();
  let library: Library;
  const artists = ["ABBA", "Björk", "The Cure", "Sigur Rós", "Mötley Crüe", "Queen"];
  const genres = ["Pop", "Rock", "Électronique", undefined];

  before(async () => {
    library = await fixture.open();
    const files = Array.from({ length: 90 }, (_, i) => {
      const artist = artists[i % artists.length];
      const genre = genres[i % 4];
      return track(`${artist}/Album ${i % 5}/${i}.mp3`, {
        title: i % 3 === 0 ? `Love song ${i}` : `Tune ${i}`,
        artist: i % 11 === 0 ? undefined : artist,
        albumArtist: i % 13 === 0 ? "Various Artists" : undefined,
        album: `Album ${i % 5}`,
        ...(genre === undefined ? {} : { genre }),
        trackNumber: (i % 12) + 1,
        year: 1980 + (i % 30),
      });
    });
    await library.apply({ upserts: files });
  });

  after(() => fixture.close());

  it("misses no match in any music container", async () => {
    const cases: Array<[string, Check]> = [
      ['dc:title contains "love"', (o) => lower(o.title).includes("love")],
      [
        'upnp:class derivedfrom "object.item.audioItem" and (upnp:artist contains "o" or upnp:genre = "electronique")',
        (o) =>
          isAudio(o) &&
          !o.isContainer &&
          (/[oóö]/.test(lower(o.artist)) || o.genre === "Électronique"),
      ],
      [
        'upnp:originalTrackNumber <= "3" and dc:date < "1990"',
        (o) =>
          !o.isContainer &&
          o.trackNumber !== undefined &&
          o.trackNumber <= 3 &&
          o.year !== undefined &&
          o.year < 1990,
      ],
      [
        'upnp:class = "object.container.person.musicArtist" and dc:title doesNotContain "e"',
        (o) =>
          o.upnpClass === "object.container.person.musicArtist" && !/[eé]/.test(lower(o.title)),
      ],
    ];
    const totals: number[] = cases.map(() => 0);
    for (const scope of ["1", "1$4", "1$6", "1$AA", "1$7", "1$5", "1$14"]) {
      for (const [i, [criteria, check]] of cases.entries()) {
        totals[i] = (totals[i] ?? 0) + (await assertLikeBrowse(library, scope, criteria, check));
      }
    }
    // Every case matches something: 30 love songs in each of the 7 scopes, and so on.
    assert.deepEqual(totals, [30 * 7, 399, 63, 38]);
  });
});
