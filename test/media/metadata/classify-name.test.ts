import assert from "node:assert/strict";
import { classifyName, extensionOf } from "../../../media/metadata/classify-name.js";

describe("classifyName", () => {
  const cases: Array<[string, string | undefined]> = [
    ["song.mp3", "audio audio/mpeg"],
    ["SONG.MP3", "audio audio/mpeg"],
    ["Artist/Album/01 Track.FLAC", "audio audio/x-flac"],
    ["a.m4a", "audio audio/mp4"],
    ["a.aac", "audio audio/vnd.dlna.adts"],
    ["a.ogg", "audio audio/ogg"],
    ["a.opus", "audio audio/ogg"],
    ["a.wav", "audio audio/wav"],
    ["a.wma", "audio audio/x-ms-wma"],
    ["film.mp4", "video video/mp4"],
    ["film.m4v", "video video/mp4"],
    ["film.MKV", "video video/x-matroska"],
    ["film.avi", "video video/x-msvideo"],
    ["film.mov", "video video/quicktime"],
    ["film.ts", "video video/mp2t"],
    ["film.webm", "video video/webm"],
    ["film.mpg", "video video/mpeg"],
    ["photo.jpg", "image image/jpeg"],
    ["photo.JPEG", "image image/jpeg"],
    ["photo.png", "image image/png"],
    ["photo.gif", "image image/gif"],
    ["photo.webp", "image image/webp"],
    ["photo.heic", "image image/heic"],
    ["Film.srt", undefined],
    ["Film.en.ass", undefined],
    ["Film.ssa", undefined],
    ["Film.vtt", undefined],
    ["cover.jpg", undefined],
    ["Album/Folder.JPG", undefined],
    ["front.png", undefined],
    ["AlbumArtSmall.jpg", undefined],
    ["AlbumArt_{DEADBEEF-0000}_Large.jpg", undefined],
    ["covers.jpg", "image image/jpeg"],
    ["notes.txt", undefined],
    ["playlist.m3u", undefined],
    ["no-extension", undefined],
    [".mp3", undefined],
    ["x.constructor", undefined],
    ["x.__proto__", undefined],
  ];
  for (const [name, expected] of cases) {
    it(`classifies ${JSON.stringify(name)} as ${expected ?? "not media"}`, () => {
      const found = classifyName(name);
      assert.equal(found === undefined ? undefined : `${found.mediaClass} ${found.mime}`, expected);
    });
  }

  it("takes the extension after the last dot of the last path segment, lower-cased", () => {
    assert.equal(extensionOf("a.b/C.D.Mp3"), "mp3");
    assert.equal(extensionOf("dir.d/noext"), "");
    assert.equal(extensionOf("dir/.hidden"), "");
  });
});
