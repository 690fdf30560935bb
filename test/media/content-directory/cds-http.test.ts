import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Library } from "../../../media/library/index.js";
import { contentDirectory } from "../../../media/content-directory/index.js";
import { requestContext, runSoapControl, SOAP_CONTENT_TYPE } from "../../../media/soap/index.js";
import type { LibraryFixture } from "../library/library-fixture.js";
import { mediaHttp, type MediaHttp } from "../support/media-http.js";
import { CDS, openTestLibrary } from "./cds-harness.js";

/** GUPnP-AV comes with Debian's python3-gi: the system python, not a pyenv one. */
const PYTHON = "/usr/bin/python3";
const GUPNP_SCRIPT = fileURLToPath(new URL("./gupnp-didl.py", import.meta.url));
const AV_FLAGS = 0x01700000;
const IMAGE_FLAGS = 0x00f00000;

interface GupnpResource {
  uri: string;
  protocolInfo: string;
  mime: string;
  profile: string | null;
  operation: number;
  flags: number;
  /** DLNA.ORG_CI: 1 = converted (a thumbnail), 0 = the original file. */
  conversion: number;
  size: number;
  duration: number;
  bitrate: number;
  sampleFreq: number;
  channels: number;
  width: number;
  height: number;
}

interface GupnpObject {
  kind: "item" | "container";
  id: string;
  parentId: string;
  title: string;
  class: string;
  restricted: boolean;
  creator: string | null;
  artist: string | null;
  album: string | null;
  date: string | null;
  albumArt: string | null;
  trackNumber: number;
  refId?: string | null;
  childCount?: number;
  resources: GupnpResource[];
}

/** Runs GUPnP-AV's DIDL-Lite parser over a SOAP Browse response. */
function gupnpParse(soapBody: string): Promise<GupnpObject[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [GUPNP_SCRIPT], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`gupnp-didl.py exited ${code}: ${err}`));
      else resolve(JSON.parse(out) as GupnpObject[]);
    });
    child.stdin.end(soapBody);
  });
}

describe("ContentDirectory over real HTTP, parsed by GUPnP-AV", function () {
  let fixture: LibraryFixture;
  let library: Library;
  let server: MediaHttp;
  let base: string;

  before(async () => {
    ({ fixture, library } = await openTestLibrary());
    server = await mediaHttp();
    const cds = contentDirectory({ library });
    server.http.route(
      "POST",
      "/upnp/control/cds",
      async (request, reply) => {
        const header = request.headers.soapaction;
        const outcome = await runSoapControl(
          cds,
          request.body,
          typeof header === "string" ? header : undefined,
          requestContext(request.raw),
          server.log,
        );
        return reply
          .code(outcome.status)
          .header("content-type", SOAP_CONTENT_TYPE)
          .send(outcome.body);
      },
      { access: "open" },
    );
    base = `${server.url}/media`;
  });
  after(async () => {
    await server.close();
    await fixture.close();
  });

  async function browse(objectId: string, flag = "BrowseDirectChildren"): Promise<GupnpObject[]> {
    const response = await fetch(`${base}/upnp/control/cds`, {
      method: "POST",
      headers: { "content-type": SOAP_CONTENT_TYPE, soapaction: `"${CDS}#Browse"` },
      body:
        '<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"' +
        ' s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>' +
        `<u:Browse xmlns:u="${CDS}"><ObjectID>${objectId}</ObjectID><BrowseFlag>${flag}</BrowseFlag>` +
        "<Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount>" +
        "<SortCriteria></SortCriteria></u:Browse></s:Body></s:Envelope>",
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), SOAP_CONTENT_TYPE);
    return gupnpParse(await response.text());
  }

  it("sends tracks GUPnP reads with their tags, refID, res URL and protocolInfo", async () => {
    const tracks = await browse("1$4");
    assert.deepEqual(
      tracks.map((t) => [t.kind, t.title, t.class, t.refId]),
      [
        ["item", "Bohemian Rhapsody", "object.item.audioItem.musicTrack", "i9"],
        ["item", "broken", "object.item.audioItem.musicTrack", "ia"],
        ["item", "Come Together", "object.item.audioItem.musicTrack", "i1"],
        ["item", "Dancing Queen", "object.item.audioItem.musicTrack", "i3"],
        ["item", "Knowing Me, Knowing You", "object.item.audioItem.musicTrack", "i4"],
        ["item", "loose", "object.item.audioItem.musicTrack", "i5"],
        ["item", `Rock & Roll <Live> "Best" 'Of'`, "object.item.audioItem.musicTrack", "ib"],
        ["item", "Something", "object.item.audioItem.musicTrack", "i2"],
      ],
    );
    const queen = tracks[0];
    assert.ok(queen !== undefined);
    assert.deepEqual(
      [queen.id, queen.parentId, queen.restricted, queen.creator, queen.artist, queen.album],
      ["1$4$i9", "1$4", true, "Queen", "Queen", "Greatest Hits"],
    );
    assert.deepEqual([queen.date, queen.trackNumber], ["1981-01-01", 11]);
    assert.equal(queen.albumArt, `${base}/art/i9.jpg`);
    assert.deepEqual(queen.resources, [
      {
        uri: `${base}/res/i9.mp3`,
        // GUPnP's own rendering of what it parsed (it leaves out CI=0, the default).
        protocolInfo:
          "http-get:*:audio/mpeg:DLNA.ORG_PN=MP3;DLNA.ORG_OP=01;DLNA.ORG_FLAGS=01700000000000000000000000000000",
        mime: "audio/mpeg",
        profile: "MP3",
        operation: 1,
        flags: AV_FLAGS,
        conversion: 0,
        size: 11_340_000,
        duration: 354,
        bitrate: 32_000,
        sampleFreq: 48_000,
        channels: 2,
        width: 0,
        height: 0,
      },
    ]);
    const broken = tracks[1];
    assert.deepEqual(
      broken?.resources.map((r) => [r.uri, r.mime, r.profile, r.flags, r.size]),
      [[`${base}/res/ia.mp3`, "audio/mpeg", null, AV_FLAGS, 1234]],
    );
  });

  it("sends a video whose subtitle res elements GUPnP lists", async () => {
    const [holiday] = await browse("2$8");
    assert.ok(holiday !== undefined);
    assert.deepEqual(
      [holiday.title, holiday.class, holiday.refId],
      ["Holiday", "object.item.videoItem", "i6"],
    );
    assert.deepEqual(
      holiday.resources.map((r) => [r.uri, r.mime, r.profile, r.duration, r.width, r.height]),
      [
        [`${base}/res/i6.mp4`, "video/mp4", "AVC_MP4_HP_HD_AAC", 5400, 1920, 1080],
        [`${base}/res/i6/sub/0.srt`, "text/srt", null, -1, 0, 0],
        [`${base}/res/i6/sub/1.srt`, "text/srt", null, -1, 0, 0],
      ],
    );
  });

  it("sends pictures with an interactive res and a JPEG_TN thumbnail", async () => {
    const [beach] = await browse("3$B");
    assert.ok(beach !== undefined);
    assert.deepEqual(
      [beach.title, beach.class, beach.date],
      ["beach", "object.item.imageItem.photo", "2024-07-14T10:00:00"],
    );
    assert.deepEqual(
      beach.resources.map((r) => [r.uri, r.profile, r.operation, r.flags, r.conversion, r.width]),
      [
        [`${base}/res/i7.jpg`, "JPEG_LRG", 1, IMAGE_FLAGS, 0, 4000],
        [`${base}/art/i7.jpg`, "JPEG_TN", 0, 0x00d00000, 1, 0],
      ],
    );
  });

  it("sends containers with childCount and album art", async () => {
    const albums = await browse("1$7");
    assert.deepEqual(
      albums.map((a) => [a.kind, a.title, a.class, a.parentId, a.childCount, a.artist]),
      [
        ["container", "Abbey Road", "object.container.album.musicAlbum", "1$7", 2, "The Beatles"],
        ["container", "Gold", "object.container.album.musicAlbum", "1$7", 2, "ABBA"],
        [
          "container",
          "Greatest Hits",
          "object.container.album.musicAlbum",
          "1$7",
          1,
          "Various Artists",
        ],
        ["container", `"Q" & 'R'`, "object.container.album.musicAlbum", "1$7", 1, "A&B <C>"],
        ["container", "Unknown album", "object.container.album.musicAlbum", "1$7", 2, null],
      ],
    );
    assert.equal(albums[0]?.albumArt, `${base}/art/${albums[0]?.id}.jpg`);
    const [root] = await browse("0", "BrowseMetadata");
    assert.deepEqual([root?.id, root?.parentId, root?.childCount], ["0", "-1", 4]);
  });
});
