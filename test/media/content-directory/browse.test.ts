import assert from "node:assert/strict";
import type { Library } from "../../../media/library/index.js";
import {
  contentDirectory,
  DIDL_OPEN,
  type BrowseLibrary,
} from "../../../media/content-directory/index.js";
import type { SoapService } from "../../../media/soap/index.js";
import { track, type LibraryFixture } from "../library/library-fixture.js";
import { detectProfile } from "../../../media/clients/index.js";
import { BASE, browseArgs, call, idsIn, openTestLibrary, request } from "./cds-harness.js";

const ALL_TRACKS = ["1$4$i9", "1$4$ia", "1$4$i1", "1$4$i3", "1$4$i4", "1$4$i5", "1$4$ib", "1$4$i2"];

describe("ContentDirectory Browse", () => {
  let fixture: LibraryFixture;
  let library: Library;
  let cds: SoapService;

  before(async () => {
    ({ fixture, library } = await openTestLibrary());
    cds = contentDirectory({ library });
  });
  after(() => fixture.close());

  const browse = (id: string, extra: Parameters<typeof browseArgs>[1] = {}) =>
    call(cds, "Browse", browseArgs(id, extra));

  it("sorts by title for TVs that want it when no order is asked for (Panasonic)", async () => {
    const panasonic = {
      ...request,
      quirks: detectProfile({ "user-agent": "Panasonic MIL DLNA CP" }).quirks,
    };
    const titles = (xml: string | undefined) =>
      [...(xml ?? "").matchAll(/<dc:title>([^<]*)</g)].map((m) => m[1]);
    const plain = await browse("1");
    assert.deepEqual(titles(plain.out.Result), [
      "All tracks",
      "Artists",
      "Album artists",
      "Albums",
      "Genres",
      "Folders",
    ]);
    const sorted = await call(cds, "Browse", browseArgs("1"), panasonic);
    assert.deepEqual(titles(sorted.out.Result), [
      "Album artists",
      "Albums",
      "All tracks",
      "Artists",
      "Folders",
      "Genres",
    ]);
    const asked = await call(
      cds,
      "Browse",
      browseArgs("1", { SortCriteria: "-dc:title" }),
      panasonic,
    );
    assert.equal(titles(asked.out.Result)[0], "Genres");
  });

  it("answers BrowseMetadata on the root with parentID -1 and the standard out-arguments", async () => {
    const reply = await browse("0", { BrowseFlag: "BrowseMetadata" });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.outNames, ["Result", "NumberReturned", "TotalMatches", "UpdateID"]);
    assert.deepEqual(reply.out, {
      Result:
        `${DIDL_OPEN}<container id="0" parentID="-1" restricted="1" childCount="4">` +
        "<dc:title>root</dc:title><upnp:class>object.container</upnp:class></container></DIDL-Lite>",
      NumberReturned: "1",
      TotalMatches: "1",
      UpdateID: String(library.systemUpdateId()),
    });
  });

  it("lists a container's children in default order with TotalMatches and its UpdateID", async () => {
    const reply = await browse("1$4");
    assert.deepEqual(idsIn(reply.out.Result ?? ""), ALL_TRACKS);
    assert.equal(reply.out.NumberReturned, "8");
    assert.equal(reply.out.TotalMatches, "8");
    assert.equal(reply.out.UpdateID, String(await library.containerUpdateId("1$4")));
  });

  it("pages with StartingIndex and RequestedCount (0 = all)", async () => {
    const page = await browse("1$4", { StartingIndex: "2", RequestedCount: "3" });
    assert.deepEqual(idsIn(page.out.Result ?? ""), ALL_TRACKS.slice(2, 5));
    assert.deepEqual([page.out.NumberReturned, page.out.TotalMatches], ["3", "8"]);
    const tail = await browse("1$4", { StartingIndex: "6", RequestedCount: "50" });
    assert.deepEqual(idsIn(tail.out.Result ?? ""), ALL_TRACKS.slice(6));
    for (const start of ["8", "9", "4294967295"]) {
      const past = await browse("1$4", { StartingIndex: start, RequestedCount: "10" });
      assert.deepEqual(
        [past.out.Result, past.out.NumberReturned, past.out.TotalMatches],
        [`${DIDL_OPEN}</DIDL-Lite>`, "0", "8"],
        start,
      );
    }
  });

  it("caps a Result at maxResults and lets the client page on", async () => {
    const capped = contentDirectory({ library, maxResults: 3 });
    const all = await call(capped, "Browse", browseArgs("1$4"));
    assert.deepEqual(idsIn(all.out.Result ?? ""), ALL_TRACKS.slice(0, 3));
    assert.deepEqual([all.out.NumberReturned, all.out.TotalMatches], ["3", "8"]);
    const many = await call(capped, "Browse", browseArgs("1$4", { RequestedCount: "5" }));
    assert.equal(many.out.NumberReturned, "3");
  });

  it("sorts by SortCriteria and answers 709 for what it cannot sort on", async () => {
    const byTitleDown = await browse("1$4", { SortCriteria: "-dc:title" });
    assert.deepEqual(idsIn(byTitleDown.out.Result ?? ""), [...ALL_TRACKS].reverse());
    const byTrack = await browse("1$4", {
      SortCriteria: "+upnp:originalTrackNumber,+dc:title",
      RequestedCount: "3",
    });
    assert.deepEqual(idsIn(byTrack.out.Result ?? ""), ["1$4$i1", "1$4$i3", "1$4$i4"]);
    const bad = await browse("1$4", { SortCriteria: "+upnp:rating" });
    assert.deepEqual([bad.status, bad.errorCode], [500, 709]);
  });

  it("returns a reference with its refID and the SystemUpdateID for BrowseMetadata", async () => {
    const reply = await browse("1$4$i1", { BrowseFlag: "BrowseMetadata", Filter: "@refID" });
    assert.equal(
      reply.out.Result,
      `${DIDL_OPEN}<item id="1$4$i1" parentID="1$4" restricted="1" refID="i1"><dc:title>Come Together</dc:title>` +
        "<upnp:class>object.item.audioItem.musicTrack</upnp:class></item></DIDL-Lite>",
    );
    assert.equal(reply.out.UpdateID, String(library.systemUpdateId()));
  });

  it("answers an empty page for the children of an item", async () => {
    for (const id of ["i1", "1$4$i1"]) {
      const reply = await browse(id);
      assert.equal(reply.status, 200, id);
      assert.deepEqual(
        [reply.out.Result, reply.out.NumberReturned, reply.out.TotalMatches],
        [`${DIDL_OPEN}</DIDL-Lite>`, "0", "0"],
      );
    }
  });

  it("answers 701 for every kind of id no object has", async () => {
    const bogus = [
      "",
      " 0",
      "0 ",
      "-1",
      "999",
      "99999999999999999999999",
      "1$999",
      "1$4$",
      "$",
      "i999",
      "I1",
      "1$4$i999",
      "1$7$i1",
      "i1$i2",
      "zzzzzzzzzzzz",
      "../../etc/passwd",
      "/media/res/i1.mp3",
      "0/1",
      "1$4$i1/..",
      "%30",
      "x".repeat(5000),
      "1$".repeat(40) + "4",
    ];
    for (const id of bogus) {
      for (const flag of ["BrowseMetadata", "BrowseDirectChildren"]) {
        const reply = await browse(id, { BrowseFlag: flag });
        assert.deepEqual(
          [reply.status, reply.errorCode],
          [500, 701],
          `${flag} "${id.slice(0, 20)}"`,
        );
      }
    }
  });

  it("answers 402 for missing or malformed arguments", async () => {
    const cases: Array<Record<string, string>> = [
      { BrowseFlag: "BrowseMetadata" },
      { ObjectID: "0" },
      browseArgs("0", { BrowseFlag: "browsemetadata" }),
      browseArgs("0", { BrowseFlag: "" }),
      browseArgs("0", { BrowseFlag: "BrowseChildren" }),
      browseArgs("0", { StartingIndex: "-1" }),
      browseArgs("0", { StartingIndex: "abc" }),
      browseArgs("0", { RequestedCount: "1.5" }),
      browseArgs("0", { RequestedCount: "4294967296" }),
    ];
    for (const args of cases) {
      const reply = await call(cds, "Browse", args);
      assert.deepEqual([reply.status, reply.errorCode], [500, 402], JSON.stringify(args));
    }
  });

  it("accepts a Browse without Filter, SortCriteria and counts: everything, default order", async () => {
    const reply = await call(cds, "Browse", {
      ObjectID: "2$8",
      BrowseFlag: "BrowseDirectChildren",
    });
    assert.ok((reply.out.Result ?? "").includes('refID="i6"'));
    assert.ok((reply.out.Result ?? "").includes(`${BASE}/res/i6/sub/1.srt`));
  });

  it("escapes the DIDL once more as the Result text of the SOAP body", async () => {
    const reply = await browse("ib", { BrowseFlag: "BrowseMetadata", Filter: "" });
    assert.ok(reply.body.includes("&lt;dc:title&gt;Rock &amp;amp; Roll &amp;lt;Live&amp;gt;"));
    assert.ok((reply.out.Result ?? "").includes("<dc:title>Rock &amp; Roll &lt;Live&gt;"));
  });

  it("points Music → Folders folders at their art once their parent was browsed", async () => {
    const fresh = contentDirectory({ library });
    const artOf = (didl: string): string[] =>
      [...didl.matchAll(/\/art\/([^".]+)\.jpg/g)].map((m) => m[1] ?? "");
    const top = await call(fresh, "Browse", browseArgs("1$14"));
    const rootId = idsIn(top.out.Result ?? "")[0] ?? "";
    assert.deepEqual(artOf(top.out.Result ?? ""), [rootId]);
    const artists = await call(fresh, "Browse", browseArgs("1$14"));
    assert.equal(artists.out.Result, top.out.Result);
    const inRoot = await call(fresh, "Browse", browseArgs(rootId));
    const folders = idsIn(inRoot.out.Result ?? "").filter((id) => !id.includes("$i"));
    assert.equal(folders.length, 3);
    assert.deepEqual(artOf(inRoot.out.Result ?? "").slice(0, 3), folders);
    // Without its parent browsed, a folder goes without art; the real tree (64) never has any.
    const other = contentDirectory({ library });
    const alone = await call(
      other,
      "Browse",
      browseArgs(folders[0] ?? "", { BrowseFlag: "BrowseMetadata" }),
    );
    assert.deepEqual(artOf(alone.out.Result ?? ""), []);
    const real = await call(other, "Browse", browseArgs("64"));
    const realRoot = idsIn(real.out.Result ?? "")[0] ?? "";
    const realFolders = await call(other, "Browse", browseArgs(realRoot));
    assert.deepEqual(
      artOf(realFolders.out.Result ?? "").filter((id) => !id.startsWith("i")),
      [],
    );
  });

  it("serves a page from kept renders but never a stale one, nor another client's", async () => {
    let built = 0;
    const counting: BrowseLibrary = {
      getObject: (id) => library.getObject(id),
      children: (id, page) => library.children(id, page),
      systemUpdateId: () => library.systemUpdateId(),
      childIds: async (id, page) => {
        const ids = await library.childIds(id, page);
        if (ids === undefined) return undefined;
        return { ...ids, objects: (wanted) => ((built += wanted.length), ids.objects(wanted)) };
      },
    };
    const own = contentDirectory({ library: counting });
    const page = () => call(own, "Browse", browseArgs("1$4"));
    const first = await page();
    assert.equal(built, ALL_TRACKS.length);
    const again = await page();
    assert.equal(again.out.Result, first.out.Result);
    assert.equal(built, ALL_TRACKS.length, "a kept page builds no object");
    // A budget too small for one item keeps nothing: every page is rendered again.
    const tiny = contentDirectory({ library: counting, maxFragmentChars: 1 });
    const builtBefore = built;
    await call(tiny, "Browse", browseArgs("1$4"));
    await call(tiny, "Browse", browseArgs("1$4"));
    assert.equal(built - builtBefore, 2 * ALL_TRACKS.length);
    // Another Filter, another base URL: their own renders, not the first client's.
    const bare = await call(own, "Browse", browseArgs("1$4", { Filter: "" }));
    assert.ok(!(bare.out.Result ?? "").includes("<res"));
    const elsewhere = await call(own, "Browse", browseArgs("1$4"), {
      ...request,
      baseUrl: "http://192.168.1.9:8200/media",
    });
    assert.ok((elsewhere.out.Result ?? "").includes("http://192.168.1.9:8200/media/res/"));
    assert.ok(!(elsewhere.out.Result ?? "").includes(BASE));
    // A changed tag shows on the next Browse.
    await library.apply({
      upserts: [track("odd.mp3", { title: "Retitled", artist: "A&B <C>", album: `"Q" & 'R'` })],
    });
    const changed = await page();
    assert.ok(built > ALL_TRACKS.length, "rendered again after the change");
    assert.ok((changed.out.Result ?? "").includes("<dc:title>Retitled</dc:title>"));
    assert.ok(!(changed.out.Result ?? "").includes("Rock &amp; Roll"));
  });

  it("reports a new TotalMatches and UpdateID after the library changed", async () => {
    const before = await call(cds, "GetSystemUpdateID");
    const updateBefore = (await browse("1$4")).out.UpdateID;
    await library.apply({ upserts: [track("zz.mp3", { title: "Zz" })] });
    const after = await browse("1$4", { StartingIndex: "0", RequestedCount: "1" });
    assert.equal(after.out.TotalMatches, "9");
    assert.equal(after.out.UpdateID, String(library.systemUpdateId()));
    assert.notEqual(after.out.UpdateID, updateBefore);
    const system = await call(cds, "GetSystemUpdateID");
    assert.deepEqual(system.outNames, ["Id"]);
    assert.equal(Number(system.out.Id), Number(before.out.Id) + 1);
  });
});
