import assert from "node:assert/strict";
import { findCover, isCoverName } from "../../../media/metadata/find-cover.js";

describe("findCover", () => {
  it("finds nothing in a folder without cover names", () => {
    assert.equal(findCover(["01 a.mp3", "photo.jpg", "covers.jpg", "cover.gif"]), undefined);
  });

  it("prefers cover over folder over front over albumart, whatever the case", () => {
    assert.equal(findCover(["AlbumArt.jpg", "Front.JPG", "FOLDER.jpg", "Cover.Jpg"]), "Cover.Jpg");
    assert.equal(findCover(["albumart.png", "front.jpeg", "folder.png"]), "folder.png");
    assert.equal(findCover(["AlbumArtSmall.jpg", "front.png"]), "front.png");
  });

  it("prefers JPEG to PNG for the same name, then the lowest code-point order", () => {
    assert.equal(findCover(["cover.png", "cover.jpeg"]), "cover.jpeg");
    assert.equal(findCover(["cover.jpg", "Cover.jpg"]), "Cover.jpg");
  });

  it("prefers Windows Media Player's Large art to its Small art", () => {
    const siblings = ["AlbumArt_{1234-AB}_Small.jpg", "AlbumArt_{1234-AB}_Large.jpg", "x.mp3"];
    assert.equal(findCover(siblings), "AlbumArt_{1234-AB}_Large.jpg");
  });

  it("tells cover names apart from pictures that merely start like one", () => {
    assert.equal(isCoverName("cover.jpg"), true);
    assert.equal(isCoverName("FRONT.PNG"), true);
    assert.equal(isCoverName("cover art.jpg"), false);
    assert.equal(isCoverName("cover.bmp"), false);
    assert.equal(isCoverName(".jpg"), false);
  });
});
