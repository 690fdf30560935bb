import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { imageSize } from "image-size";
import { fixedIds } from "../../../media/library/index.js";
import { thumbnailFor } from "../../../media/thumbnails/thumbnail-key.js";
import { curl } from "./curl.js";
import { StreamingFixture } from "./streaming-fixture.js";

const ALBUM = "Music/Alpha Artist/First Album";
const EMBEDDED = `${ALBUM}/01 Opening.mp3`;
const COVER_ONLY = `${ALBUM}/02 Second.mp3`;
const THUMBNAIL_FEATURES =
  "DLNA.ORG_PN=JPEG_TN;DLNA.ORG_OP=00;DLNA.ORG_CI=1;DLNA.ORG_FLAGS=00D00000000000000000000000000000";

describe("streaming routes: thumbnails and album art (real server, corpus, ffmpeg, curl)", function () {
  this.timeout(120_000);
  const f = new StreamingFixture();

  before(() => f.start());
  after(() => f.stop());

  /** The cache file the art of item `itemId` must be served from. */
  async function expectedArt(itemId: string): Promise<{ key: string; bytes: Buffer }> {
    const [item, file] = [await f.library.getObject(itemId), await f.library.itemFile(itemId)];
    assert.ok(item !== undefined && !item.isContainer && file !== undefined, itemId);
    const request = thumbnailFor(item, file, f.root);
    assert.ok(request !== undefined, `${itemId} has art`);
    return { key: request.key, bytes: await readFile(f.thumbs.pathFor(request.key)) };
  }

  async function childId(parentId: string, title: string): Promise<string> {
    const page = await f.library.children(parentId);
    const child = page?.objects.find((o) => o.title === title);
    assert.ok(child !== undefined, `${title} in ${parentId}`);
    return child.id;
  }

  async function assertArt(objectId: string, itemId: string, label: string): Promise<string> {
    const reply = await curl(f.url(`/art/${encodeURIComponent(objectId)}.jpg`));
    assert.equal(reply.status, 200, label);
    assert.equal(reply.header("content-type"), "image/jpeg", label);
    assert.ok(reply.lines.includes(`contentFeatures.dlna.org: ${THUMBNAIL_FEATURES}`), label);
    assert.ok(reply.lines.includes("transferMode.dlna.org: Interactive"), label);
    const { key, bytes } = await expectedArt(itemId);
    assert.ok(reply.body.equals(bytes), label);
    const size = imageSize(reply.body);
    assert.equal(size.type, "jpg", label);
    assert.ok(size.width <= 160 && size.height <= 160, `${label}: ${size.width}x${size.height}`);
    return key;
  }

  it("makes an item's thumbnail on demand and serves it: embedded art, folder cover, picture, video", async () => {
    const cases: Array<[string, string]> = [
      [EMBEDDED, "a"],
      [COVER_ONLY, "c"],
      ["Pictures/2021/06/beach.jpg", "p"],
      ["Videos/Film.mp4", "v"],
    ];
    for (const [relPath, kind] of cases) {
      const id = f.id(relPath);
      const { key } = await thumbnailKey(id);
      assert.equal(await f.thumbs.cached(key), undefined, `${relPath}: not cached before`);
      assert.equal((await assertArt(id, id, relPath)).slice(0, 1), kind, relPath);
    }
  });

  it("serves an album's, a folder's and a reference's art from the item that has it", async () => {
    const artist = await childId(fixedIds.musicArtists, "Alpha Artist");
    const album = await childId(artist, "First Album");
    await assertArt(album, f.id(EMBEDDED), "album container");
    const folder = (await f.library.getObject(f.id(COVER_ONLY)))?.parentId ?? "";
    await assertArt(folder, f.id(EMBEDDED), "folder container");
    const reference = `${fixedIds.musicAll}$${f.id(COVER_ONLY)}`;
    await assertArt(reference, f.id(COVER_ONLY), "reference with %24");
    const raw = await curl(f.url(`/art/${reference}.jpg`));
    assert.equal(raw.status, 200, "reference with a literal $");
  });

  it("answers 404 for objects without art, art ffmpeg cannot make, and references that do not exist", async () => {
    const paths = [
      `/art/${fixedIds.root}.jpg`,
      `/art/${fixedIds.videoAll}%24${f.id(EMBEDDED)}.jpg`,
      `/art/${f.id("Broken/text.mp3")}.jpg`,
      `/art/${f.id("Broken/truncated.jpg")}.jpg`,
      `/art/${f.id("Broken/garbage.mkv")}.jpg`,
      `/art/${f.id("Broken/garbage.mkv")}.jpg`,
    ];
    for (const path of paths) {
      const reply = await curl(f.url(path));
      assert.equal(reply.status, 404, path);
    }
    // The broken picture and video were each tried once, not once per request.
    assert.equal(f.thumbs.stats.failed, 2);
  });

  async function thumbnailKey(itemId: string): Promise<{ key: string }> {
    const [item, file] = [await f.library.getObject(itemId), await f.library.itemFile(itemId)];
    assert.ok(item !== undefined && !item.isContainer && file !== undefined, itemId);
    const request = thumbnailFor(item, file, f.root);
    assert.ok(request !== undefined, `${itemId} has art`);
    return { key: request.key };
  }
});
