import assert from "node:assert/strict";
import type { Library, LibraryContainer, LibraryItem } from "../../../media/library/index.js";
import {
  DIDL_CLOSE,
  DIDL_OPEN,
  DidlWriter,
  didlDuration,
  extensionForMime,
  FULL_FILTER,
  type DidlOptions,
} from "../../../media/content-directory/index.js";
import type { LibraryFixture } from "../library/library-fixture.js";
import { BASE, openTestLibrary } from "./cds-harness.js";

const MP3 =
  "http-get:*:audio/mpeg:DLNA.ORG_PN=MP3;DLNA.ORG_OP=01;DLNA.ORG_CI=0;DLNA.ORG_FLAGS=01700000000000000000000000000000";
const TN =
  "http-get:*:image/jpeg:DLNA.ORG_PN=JPEG_TN;DLNA.ORG_OP=00;DLNA.ORG_CI=1;DLNA.ORG_FLAGS=00D00000000000000000000000000000";

function writer(options: Partial<DidlOptions> = {}): DidlWriter {
  return new DidlWriter({ baseUrl: BASE, filter: FULL_FILTER, ...options });
}

describe("DIDL-Lite writer", () => {
  let fixture: LibraryFixture;
  let library: Library;

  before(async () => {
    ({ fixture, library } = await openTestLibrary());
  });
  after(() => fixture.close());

  async function object<T extends LibraryContainer | LibraryItem>(id: string): Promise<T> {
    const found = await library.getObject(id);
    assert.ok(found !== undefined, `${id} exists`);
    return found as T;
  }

  async function albumNamed(title: string): Promise<LibraryContainer> {
    const page = await library.children("1$7");
    const album = page?.objects.find((o) => o.title === title);
    assert.ok(album?.isContainer === true, `album ${title}`);
    return album;
  }

  it("wraps objects in DIDL-Lite with the UPnP, DC, DLNA and Samsung namespaces", async () => {
    assert.equal(
      writer().document([await object("0")]),
      '<DIDL-Lite xmlns="urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/" xmlns:dc="http://purl.org/dc/elements/1.1/"' +
        ' xmlns:upnp="urn:schemas-upnp-org:metadata-1-0/upnp/" xmlns:dlna="urn:schemas-dlna-org:metadata-1-0/"' +
        ' xmlns:sec="http://www.sec.co.kr/">' +
        '<container id="0" parentID="-1" restricted="1" childCount="4"><dc:title>root</dc:title>' +
        "<upnp:class>object.container</upnp:class></container></DIDL-Lite>",
    );
    assert.equal(writer().document([]), DIDL_OPEN + DIDL_CLOSE);
  });

  it("writes an album container with its artist, year and art URL", async () => {
    const album = await albumNamed("Abbey Road");
    assert.equal(
      writer({ isSearchable: true }).object(album),
      `<container id="${album.id}" parentID="1$7" restricted="1" searchable="1" childCount="2">` +
        "<dc:title>Abbey Road</dc:title><upnp:class>object.container.album.musicAlbum</upnp:class>" +
        "<dc:creator>The Beatles</dc:creator><upnp:artist>The Beatles</upnp:artist>" +
        "<dc:date>1969-01-01</dc:date>" +
        `<upnp:albumArtURI dlna:profileID="JPEG_TN">${BASE}/art/${album.id}.jpg</upnp:albumArtURI>` +
        "</container>",
    );
  });

  it("gives plain containers no art and no searchable attribute until Search is wired", async () => {
    assert.equal(
      writer().object(await object("1$4")),
      '<container id="1$4" parentID="1" restricted="1" childCount="8"><dc:title>All tracks</dc:title>' +
        "<upnp:class>object.container</upnp:class></container>",
    );
  });

  it("writes a track with every field", async () => {
    const item = await object<LibraryItem>("i9");
    assert.equal(
      writer().object(item),
      `<item id="i9" parentID="${item.parentId}" restricted="1">` +
        "<dc:title>Bohemian Rhapsody</dc:title><upnp:class>object.item.audioItem.musicTrack</upnp:class>" +
        "<dc:creator>Queen</dc:creator><upnp:artist>Queen</upnp:artist>" +
        '<upnp:artist role="AlbumArtist">Various Artists</upnp:artist>' +
        "<upnp:album>Greatest Hits</upnp:album><upnp:genre>Rock</upnp:genre>" +
        "<upnp:originalTrackNumber>11</upnp:originalTrackNumber><dc:date>1981-01-01</dc:date>" +
        `<upnp:albumArtURI dlna:profileID="JPEG_TN">${BASE}/art/i9.jpg</upnp:albumArtURI>` +
        `<res protocolInfo="${MP3}" size="11340000" duration="0:05:54.321" bitrate="32000"` +
        ` sampleFrequency="48000" nrAudioChannels="2">${BASE}/res/i9.mp3</res></item>`,
    );
  });

  it("writes a reference with refID and the canonical item's res and art URLs", async () => {
    assert.equal(
      writer().object(await object("1$4$i1")),
      '<item id="1$4$i1" parentID="1$4" restricted="1" refID="i1">' +
        "<dc:title>Come Together</dc:title><upnp:class>object.item.audioItem.musicTrack</upnp:class>" +
        "<dc:creator>The Beatles</dc:creator><upnp:artist>The Beatles</upnp:artist>" +
        "<upnp:album>Abbey Road</upnp:album><upnp:genre>Rock</upnp:genre>" +
        "<upnp:originalTrackNumber>1</upnp:originalTrackNumber><dc:date>1969-01-01</dc:date>" +
        `<upnp:albumArtURI dlna:profileID="JPEG_TN">${BASE}/art/i1.jpg</upnp:albumArtURI>` +
        `<res protocolInfo="${MP3}" size="4000000" duration="0:03:20.500" bitrate="40000"` +
        ` sampleFrequency="44100" nrAudioChannels="2">${BASE}/res/i1.mp3</res></item>`,
    );
  });

  it("writes a video with a res per subtitle and Samsung's CaptionInfoEx", async () => {
    assert.equal(
      writer().object(await object("2$8$i6")),
      '<item id="2$8$i6" parentID="2$8" restricted="1" refID="i6"><dc:title>Holiday</dc:title>' +
        "<upnp:class>object.item.videoItem</upnp:class>" +
        `<upnp:albumArtURI dlna:profileID="JPEG_TN">${BASE}/art/i6.jpg</upnp:albumArtURI>` +
        '<res protocolInfo="http-get:*:video/mp4:DLNA.ORG_PN=AVC_MP4_HP_HD_AAC;DLNA.ORG_OP=01;DLNA.ORG_CI=0;' +
        'DLNA.ORG_FLAGS=01700000000000000000000000000000" size="700000000" duration="1:30:00.000"' +
        ` resolution="1920x1080">${BASE}/res/i6.mp4</res>` +
        `<res protocolInfo="http-get:*:text/srt:*">${BASE}/res/i6/sub/0.srt</res>` +
        `<res protocolInfo="http-get:*:text/srt:*">${BASE}/res/i6/sub/1.srt</res>` +
        `<sec:CaptionInfoEx sec:type="srt">${BASE}/res/i6/sub/0.srt</sec:CaptionInfoEx></item>`,
    );
  });

  it("writes a picture with its date, an interactive res and a JPEG_TN thumbnail res", async () => {
    assert.equal(
      writer().object(await object("3$B$i7")),
      '<item id="3$B$i7" parentID="3$B" restricted="1" refID="i7"><dc:title>beach</dc:title>' +
        "<upnp:class>object.item.imageItem.photo</upnp:class><dc:date>2024-07-14T10:00:00</dc:date>" +
        `<upnp:albumArtURI dlna:profileID="JPEG_TN">${BASE}/art/i7.jpg</upnp:albumArtURI>` +
        '<res protocolInfo="http-get:*:image/jpeg:DLNA.ORG_PN=JPEG_LRG;DLNA.ORG_OP=01;DLNA.ORG_CI=0;' +
        `DLNA.ORG_FLAGS=00F00000000000000000000000000000" size="3000000" resolution="4000x3000">${BASE}/res/i7.jpg</res>` +
        `<res protocolInfo="${TN}">${BASE}/art/i7.jpg</res></item>`,
    );
  });

  it("writes a file whose metadata could not be read by its name, without a DLNA profile", async () => {
    const item = await object<LibraryItem>("ia");
    assert.equal(
      writer().object(item),
      `<item id="ia" parentID="${item.parentId}" restricted="1"><dc:title>broken</dc:title>` +
        "<upnp:class>object.item.audioItem.musicTrack</upnp:class>" +
        '<res protocolInfo="http-get:*:audio/mpeg:DLNA.ORG_OP=01;DLNA.ORG_CI=0;DLNA.ORG_FLAGS=01700000000000000000000000000000"' +
        ` size="1234">${BASE}/res/ia.mp3</res></item>`,
    );
  });

  it("escapes & < > \" ' once in text and attributes", async () => {
    const item = await object<LibraryItem>("ib");
    const xml = writer({ baseUrl: "http://h/m?a=1&b='2'" }).object(item);
    assert.ok(
      xml.includes(
        "<dc:title>Rock &amp; Roll &lt;Live&gt; &quot;Best&quot; &apos;Of&apos;</dc:title>" +
          "<upnp:class>object.item.audioItem.musicTrack</upnp:class>" +
          "<dc:creator>A&amp;B &lt;C&gt;</dc:creator><upnp:artist>A&amp;B &lt;C&gt;</upnp:artist>" +
          "<upnp:album>&quot;Q&quot; &amp; &apos;R&apos;</upnp:album>",
      ),
      xml,
    );
    assert.ok(xml.includes(">http://h/m?a=1&amp;b=&apos;2&apos;/res/ib.mp3</res>"), xml);
  });

  it("drops characters XML cannot carry, from a title the library did not clean", async () => {
    const item: LibraryItem = {
      ...(await object<LibraryItem>("ib")),
      title: "a\u0001b\u000bc\u001fd\ufffee\ud800f\tg",
      artist: "x\u0000y",
      subtitles: [{ index: 0, format: "s<r>t", mime: "text/s&rt" }],
    };
    const xml = writer().object(item);
    assert.ok(xml.includes("<dc:title>abcdef\tg</dc:title>"), xml);
    assert.ok(xml.includes("<dc:creator>xy</dc:creator>"), xml);
    assert.ok(
      xml.includes(
        `<res protocolInfo="http-get:*:text/s&amp;rt:*">${BASE}/res/ib/sub/0.s&lt;r&gt;t</res>`,
      ),
      xml,
    );
  });

  it("leaves out subtitles and DLNA.ORG_PN for clients whose profile says so", async () => {
    const xml = writer({ withSubtitles: false, withDlnaProfile: false }).object(
      await object("2$8$i6"),
    );
    assert.ok(!xml.includes("/sub/"), xml);
    assert.ok(!xml.includes("CaptionInfo"), xml);
    assert.ok(xml.includes('protocolInfo="http-get:*:video/mp4:DLNA.ORG_OP=01;'), xml);
  });

  it("writes durations as H:MM:SS.mmm", () => {
    assert.equal(didlDuration(0), "0:00:00.000");
    assert.equal(didlDuration(200.5), "0:03:20.500");
    assert.equal(didlDuration(59.9996), "0:01:00.000");
    assert.equal(didlDuration(3661.25), "1:01:01.250");
    assert.equal(didlDuration(36_000), "10:00:00.000");
  });

  it("picks res URL extensions from the MIME type", () => {
    assert.equal(extensionForMime("audio/x-flac"), "flac");
    assert.equal(extensionForMime("Video/X-Matroska; codecs=avc1"), "mkv");
    assert.equal(extensionForMime("image/jpeg"), "jpg");
    assert.equal(extensionForMime("audio/L16;rate=44100"), "pcm");
    assert.equal(extensionForMime("application/octet-stream"), "bin");
    assert.equal(extensionForMime("__proto__"), "bin");
  });
});
