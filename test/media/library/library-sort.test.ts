import assert from "node:assert/strict";
import type { Library } from "../../../media/library/library.js";
import { allChildren, LibraryFixture, track } from "./library-fixture.js";

describe("Library sort orders", () => {
  const fixture = new LibraryFixture();
  let library: Library;

  beforeEach(async () => {
    library = await fixture.open();
  });

  afterEach(() => fixture.close());

  async function titlesIn(id: string): Promise<string[]> {
    return (await allChildren(library, id)).map((o) => o.title);
  }

  async function childTitled(parentId: string, title: string): Promise<string> {
    const child = (await allChildren(library, parentId)).find((o) => o.title === title);
    assert.ok(child !== undefined, `${title} in ${parentId}`);
    return child.id;
  }

  it("sorts odd and Unicode titles like a person would, and stores them XML-safe", async () => {
    const titles = [
      "Zebra",
      "Track 10",
      "★★★",
      "日本",
      "Track 9",
      "éclair",
      "Eclair 2",
      "...And Justice for All",
      '"Weird" Al',
      "AT&T <live> 'quoted'",
      "Tab\u0007Bell",
      "Lone\ud800Surrogate",
      `L${"o".repeat(500)}ng`,
    ];
    await library.apply({
      upserts: [
        ...titles.map((title, i) => track(`t/${i}.mp3`, { title })),
        track("t/   spaced name .mp3", { title: "   " }),
      ],
    });
    assert.deepEqual(await titlesIn("1$4"), [
      "...And Justice for All",
      "AT&T <live> 'quoted'",
      "éclair",
      "Eclair 2",
      "LoneSurrogate",
      `L${"o".repeat(255)}`,
      "spaced name",
      "TabBell",
      "Track 9",
      "Track 10",
      '"Weird" Al',
      "Zebra",
      "★★★",
      "日本",
    ]);
  });

  it("sorts artists ignoring case and a leading The, merges spellings, Unknown last", async () => {
    const names = ["The Beatles", "the band", "ABBA", "Abba", "Beyoncé", "The", undefined, "Ädele"];
    await library.apply({
      upserts: names.map((artist, i) =>
        track(`a/${i}.mp3`, artist === undefined ? {} : { artist }),
      ),
    });
    assert.deepEqual(await titlesIn("1$6"), [
      "ABBA",
      "Ädele",
      "the band",
      "The Beatles",
      "Beyoncé",
      "The",
      "Unknown artist",
    ]);
    const abba = await library.getObject(await childTitled("1$6", "ABBA"));
    assert.equal(abba?.isContainer && abba.childCount, 1, "one album holding both spellings");
  });

  it("lists folders first, then files in natural name order, keeping names exact", async () => {
    const names = ["Episode 10.mp3", "Episode 9.mp3", "b-sides/x.mp3", "A folder/y.mp3", "ä.mp3"];
    await library.apply({ upserts: names.map((name) => track(`Pod/${name}`, {})) });
    const root = await childTitled("64", "Music");
    const pod = await childTitled(root, "Pod");
    assert.deepEqual(await titlesIn(pod), ["A folder", "b-sides", "ä", "Episode 9", "Episode 10"]);
    const umlaut = await childTitled(pod, "ä");
    assert.deepEqual(await library.itemFile(umlaut), {
      rootId: 0,
      relPath: "Pod/ä.mp3",
      sizeBytes: 4_000_000,
      mime: "audio/mpeg",
      subtitleRelPaths: [],
    });
  });

  it("lists an artist's albums oldest first and an album's tracks by disc, track, title", async () => {
    const albums = [
      ["Later", 1999, 1, 1],
      ["Earlier", 1975, 1, 2],
      ["Earlier", 1975, 1, 1],
      ["Earlier", 1975, 2, 1],
      ["Earlier", 1975, undefined, undefined],
      ["Undated", undefined, 1, 1],
    ] as const;
    await library.apply({
      upserts: albums.map(([album, year, discNumber, trackNumber], i) =>
        track(`x/${album}/${i}.mp3`, {
          artist: "X",
          album,
          year,
          discNumber,
          trackNumber,
          title: `t${i}`,
        }),
      ),
    });
    const artist = await childTitled("1$6", "X");
    assert.deepEqual(await titlesIn(artist), ["Earlier", "Later", "Undated"]);
    const earlier = await childTitled(artist, "Earlier");
    assert.deepEqual(await titlesIn(earlier), ["t2", "t1", "t4", "t3"]);
    assert.deepEqual(await titlesIn("1$7"), ["Earlier", "Later", "Undated"]);
  });

  it("sorts a container on request, caching the order like the default one", async () => {
    const tracks = [3, 1, 2].map((n) =>
      track(`s/${n}.mp3`, { title: `Song ${n}`, trackNumber: 4 - n }),
    );
    await library.apply({ upserts: tracks });
    const byNumber = await library.children("1$4", {
      sort: [{ property: "upnp:originalTrackNumber" }],
    });
    assert.deepEqual(
      byNumber?.objects.map((o) => o.title),
      ["Song 3", "Song 2", "Song 1"],
    );
    const reads = library.stats;
    const descending = await library.children("1$4", {
      sort: [{ property: "dc:title", isDescending: true }],
      start: 1,
      count: 1,
    });
    assert.deepEqual(
      descending?.objects.map((o) => o.title),
      ["Song 2"],
    );
    assert.equal(descending?.total, 3);
    await library.children("1$4", { sort: [{ property: "dc:title", isDescending: true }] });
    assert.equal(library.stats.rangeReads, reads.rangeReads + 1, "one load per sort order");
  });

  it("puts children without the sort value last, ascending and descending", async () => {
    await library.apply({
      upserts: [
        track("n/a.mp3", { title: "A", trackNumber: 1 }),
        track("n/b.mp3", { title: "B" }),
        track("n/c.mp3", { title: "C", trackNumber: 2 }),
      ],
    });
    const titles = async (isDescending: boolean) =>
      (
        await library.children("1$4", {
          sort: [{ property: "upnp:originalTrackNumber", isDescending }],
        })
      )?.objects.map((o) => o.title);
    assert.deepEqual(await titles(false), ["A", "C", "B"]);
    assert.deepEqual(await titles(true), ["C", "A", "B"]);
  });
});
