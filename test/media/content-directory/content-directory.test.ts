import assert from "node:assert/strict";
import type { Library } from "../../../media/library/index.js";
import {
  CONTENT_DIRECTORY_TYPE,
  contentDirectory,
  SAMSUNG_FEATURE_LIST,
} from "../../../media/content-directory/index.js";
import { UpnpError, upnpErrors } from "../../../media/soap/index.js";
import type { LibraryFixture } from "../library/library-fixture.js";
import { call, openTestLibrary } from "./cds-harness.js";

describe("ContentDirectory service", () => {
  let fixture: LibraryFixture;
  let library: Library;

  before(async () => {
    ({ fixture, library } = await openTestLibrary());
  });
  after(() => fixture.close());

  it("is ContentDirectory:1 with the standard actions and Samsung's", () => {
    const cds = contentDirectory({ library });
    assert.equal(cds.serviceType, "urn:schemas-upnp-org:service:ContentDirectory:1");
    assert.equal(CONTENT_DIRECTORY_TYPE, cds.serviceType);
    assert.deepEqual(Object.keys(cds.actions), [
      "Browse",
      "GetSearchCapabilities",
      "GetSortCapabilities",
      "GetSystemUpdateID",
      "X_GetFeatureList",
      "X_SetBookmark",
    ]);
  });

  it("answers the capability and update id queries", async () => {
    const cds = contentDirectory({ library });
    assert.deepEqual((await call(cds, "GetSearchCapabilities")).out, { SearchCaps: "" });
    assert.deepEqual((await call(cds, "GetSortCapabilities")).out, {
      SortCaps:
        "dc:title,dc:date,dc:creator,upnp:class,upnp:album,upnp:artist,upnp:genre,upnp:originalTrackNumber",
    });
    assert.deepEqual((await call(cds, "GetSystemUpdateID")).out, {
      Id: String(library.systemUpdateId()),
    });
    const withCaps = contentDirectory({
      library,
      search: { run: async () => ({ objects: [], total: 0 }), capabilities: "dc:title,upnp:class" },
    });
    assert.deepEqual((await call(withCaps, "GetSearchCapabilities")).out, {
      SearchCaps: "dc:title,upnp:class",
    });
  });

  it("answers Search with 401 until a search runner is given, then runs it and renders like Browse", async () => {
    const without = await call(contentDirectory({ library }), "Search", { ContainerID: "0" });
    assert.deepEqual([without.status, without.errorCode], [500, 401]);
    const seen: unknown[] = [];
    const root = await library.getObject("0");
    const cds = contentDirectory({
      library,
      search: {
        capabilities: "dc:title",
        run: async (containerId, criteria, page) => {
          seen.push({ containerId, criteria, ...page });
          if (containerId === "nope") return undefined;
          if (criteria === "bad") throw new UpnpError(upnpErrors.unsupportedSearchCriteria);
          return { objects: root ? [root] : [], total: 12 };
        },
      },
    });
    const reply = await call(cds, "Search", {
      ContainerID: "1$4",
      SearchCriteria: 'dc:title contains "x"',
      StartingIndex: "10",
      RequestedCount: "5",
      SortCriteria: "-dc:title",
    });
    assert.deepEqual(reply.outNames, ["Result", "NumberReturned", "TotalMatches", "UpdateID"]);
    assert.equal(reply.out.NumberReturned, "1");
    assert.equal(reply.out.TotalMatches, "12");
    assert.equal(reply.out.UpdateID, String(await library.containerUpdateId("1$4")));
    assert.ok(reply.out.Result?.includes('<container id="0" parentID="-1"'));
    assert.deepEqual(seen, [
      {
        containerId: "1$4",
        criteria: 'dc:title contains "x"',
        sort: [{ property: "dc:title", isDescending: true }],
        start: 10,
        count: 5,
      },
    ]);
    const missing = await call(cds, "Search", { ContainerID: "nope", SearchCriteria: "*" });
    assert.deepEqual([missing.status, missing.errorCode], [500, 701]);
    const bad = await call(cds, "Search", { ContainerID: "0", SearchCriteria: "bad" });
    assert.deepEqual([bad.status, bad.errorCode], [500, 708]);
    // Containers say they are searchable only once Search is there.
    const meta = { ObjectID: "0", BrowseFlag: "BrowseMetadata", Filter: "*" };
    assert.ok((await call(cds, "Browse", meta)).out.Result?.includes('searchable="1"'));
    const plain = await call(contentDirectory({ library }), "Browse", meta);
    assert.ok(!plain.out.Result?.includes("searchable"));
  });

  it("gives Samsung devices the BASICVIEW feature list as escaped text", async () => {
    const reply = await call(contentDirectory({ library }), "X_GetFeatureList");
    assert.deepEqual(reply.outNames, ["FeatureList"]);
    assert.equal(
      reply.out.FeatureList,
      '<?xml version="1.0" encoding="UTF-8"?><Features xmlns="urn:schemas-upnp-org:av:avs"' +
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' +
        ' xsi:schemaLocation="urn:schemas-upnp-org:av:avs http://www.upnp.org/schemas/av/avs.xsd">' +
        '<Feature name="samsung.com_BASICVIEW" version="1"><container id="1" type="object.item.audioItem"/>' +
        '<container id="2" type="object.item.videoItem"/><container id="3" type="object.item.imageItem"/>' +
        "</Feature></Features>",
    );
    assert.equal(reply.out.FeatureList, SAMSUNG_FEATURE_LIST);
    assert.ok(reply.body.includes("<FeatureList>&lt;?xml version=&quot;1.0&quot;"));
  });

  it("accepts Samsung's X_SetBookmark and answers nothing", async () => {
    const reply = await call(contentDirectory({ library }), "X_SetBookmark", {
      CategoryType: "32",
      RID: "2$8$i6",
      ObjectID: "2$8$i6",
      PosSecond: "120",
    });
    assert.equal(reply.status, 200);
    assert.ok(
      reply.body.includes(
        `<u:X_SetBookmarkResponse xmlns:u="${CONTENT_DIRECTORY_TYPE}"></u:X_SetBookmarkResponse>`,
      ),
    );
  });

  it("answers 401 for actions it does not have", async () => {
    for (const action of [
      "X_GetObjectIDfromIndex",
      "X_GetIndexfromRID",
      "CreateObject",
      "toString",
    ]) {
      const reply = await call(contentDirectory({ library }), action);
      assert.deepEqual([reply.status, reply.errorCode], [500, 401], action);
    }
  });

  it("renders per client through clientOptions", async () => {
    const seenAgents: string[] = [];
    const cds = contentDirectory({
      library,
      clientOptions: (request) => {
        seenAgents.push(request.userAgent);
        return { withSubtitles: false, withDlnaProfile: false };
      },
    });
    const reply = await call(cds, "Browse", {
      ObjectID: "2$8$i6",
      BrowseFlag: "BrowseMetadata",
      Filter: "*",
    });
    assert.deepEqual(seenAgents, ["test"]);
    assert.ok(!reply.out.Result?.includes("/sub/"));
    assert.ok(reply.out.Result?.includes('protocolInfo="http-get:*:video/mp4:DLNA.ORG_OP=01;'));
  });
});
