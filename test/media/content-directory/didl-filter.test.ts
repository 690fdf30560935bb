import assert from "node:assert/strict";
import type { Library, LibraryObject } from "../../../media/library/index.js";
import {
  DidlWriter,
  FULL_FILTER,
  parseDidlFilter,
  REQUIRED_FILTER,
} from "../../../media/content-directory/index.js";
import type { LibraryFixture } from "../library/library-fixture.js";
import { BASE, openTestLibrary } from "./cds-harness.js";

const HEAD = '<item id="2$8$i6" parentID="2$8" restricted="1"';
const TITLE = "<dc:title>Holiday</dc:title><upnp:class>object.item.videoItem</upnp:class>";
const MP4 =
  "http-get:*:video/mp4:DLNA.ORG_PN=AVC_MP4_HP_HD_AAC;DLNA.ORG_OP=01;DLNA.ORG_CI=0;DLNA.ORG_FLAGS=01700000000000000000000000000000";
const SUBS =
  `<res protocolInfo="http-get:*:text/srt:*">${BASE}/res/i6/sub/0.srt</res>` +
  `<res protocolInfo="http-get:*:text/srt:*">${BASE}/res/i6/sub/1.srt</res>`;

describe("DIDL-Lite Filter", () => {
  let fixture: LibraryFixture;
  let library: Library;
  let video: LibraryObject;
  let track: LibraryObject;
  let album: LibraryObject;

  before(async () => {
    ({ fixture, library } = await openTestLibrary());
    video = (await library.getObject("2$8$i6")) as LibraryObject;
    track = (await library.getObject("1$4$i1")) as LibraryObject;
    album = (await library.children("1$7"))?.objects[0] as LibraryObject;
  });
  after(() => fixture.close());

  const render = (filter: string, object: LibraryObject): string =>
    new DidlWriter({ baseUrl: BASE, filter: parseDidlFilter(filter) }).object(object);

  it('sends only the required properties for "" and for required names', () => {
    const required = `${HEAD}>${TITLE}</item>`;
    assert.equal(render("", video), required);
    assert.equal(render("dc:title,upnp:class,@id,@parentID,@restricted", video), required);
    assert.equal(render("no:such,alsoNot", video), required);
    assert.deepEqual(parseDidlFilter(""), REQUIRED_FILTER);
  });

  it('treats "*" as everything, alone or in a list', () => {
    assert.equal(parseDidlFilter("*"), FULL_FILTER);
    assert.equal(parseDidlFilter("dc:title, * ,res"), FULL_FILTER);
    assert.ok(render("*", video).includes('refID="i6"'));
  });

  it("sends res with protocolInfo (and subtitles) for res, without optional attributes", () => {
    assert.equal(
      render("res", video),
      `${HEAD}>${TITLE}<res protocolInfo="${MP4}">${BASE}/res/i6.mp4</res>${SUBS}</item>`,
    );
    assert.equal(render("res@protocolInfo", video), render("res", video));
  });

  it("brings res along with any of its attributes, and only those attributes", () => {
    assert.equal(
      render("res@size, res@resolution", video),
      `${HEAD}>${TITLE}<res protocolInfo="${MP4}" size="700000000" resolution="1920x1080">` +
        `${BASE}/res/i6.mp4</res>${SUBS}</item>`,
    );
    assert.ok(
      render("res@duration,res@bitrate,res@sampleFrequency,res@nrAudioChannels", track).includes(
        ' duration="0:03:20.500" bitrate="40000" sampleFrequency="44100" nrAudioChannels="2">',
      ),
    );
  });

  it("sends refID, tags, art and CaptionInfoEx only when asked for", () => {
    assert.equal(
      render("@refID,upnp:albumArtURI,sec:CaptionInfoEx", video),
      `${HEAD} refID="i6">${TITLE}` +
        `<upnp:albumArtURI dlna:profileID="JPEG_TN">${BASE}/art/i6.jpg</upnp:albumArtURI>` +
        `<sec:CaptionInfoEx sec:type="srt">${BASE}/res/i6/sub/0.srt</sec:CaptionInfoEx></item>`,
    );
    assert.equal(
      render("upnp:album,upnp:originalTrackNumber,item@refID", track),
      '<item id="1$4$i1" parentID="1$4" restricted="1" refID="i1"><dc:title>Come Together</dc:title>' +
        "<upnp:class>object.item.audioItem.musicTrack</upnp:class>" +
        "<upnp:album>Abbey Road</upnp:album><upnp:originalTrackNumber>1</upnp:originalTrackNumber></item>",
    );
    assert.ok(render("dc:creator", track).includes("<dc:creator>The Beatles</dc:creator></item>"));
    assert.ok(
      render("upnp:artist", track).includes("<upnp:artist>The Beatles</upnp:artist></item>"),
    );
    assert.ok(render("dc:date", track).includes("<dc:date>1969-01-01</dc:date></item>"));
    assert.ok(render("upnp:genre", track).includes("<upnp:genre>Rock</upnp:genre></item>"));
  });

  it("sends childCount and container properties by their filter names", () => {
    assert.equal(
      render("@childCount", album),
      `<container id="${album.id}" parentID="1$7" restricted="1" childCount="2">` +
        "<dc:title>Abbey Road</dc:title><upnp:class>object.container.album.musicAlbum</upnp:class></container>",
    );
    assert.equal(render("container@childCount", album), render("@childCount", album));
    assert.ok(
      render("upnp:artist,dc:date", album).includes(
        "<upnp:artist>The Beatles</upnp:artist><dc:date>1969-01-01</dc:date></container>",
      ),
    );
    assert.ok(!render("@childCount", album).includes("albumArtURI"));
  });
});
