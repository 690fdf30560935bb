import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { imageSize } from "image-size";
import pino from "pino";
import { ThumbnailMaker } from "../../../media/thumbnails/thumbnail-maker.js";

const ff = (...args: string[]) =>
  execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", ...args]);

describe("ThumbnailMaker (real ffmpeg)", function () {
  this.timeout(60_000);
  let dir: string;
  let maker: ThumbnailMaker;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "hearth-thumbs-"));
    ff("-f", "lavfi", "-i", "testsrc=size=640x480", "-frames:v", "1", join(dir, "photo.jpg"));
    ff(
      "-f",
      "lavfi",
      "-i",
      "testsrc=size=320x180:rate=10",
      "-t",
      "2",
      "-pix_fmt",
      "yuv420p",
      join(dir, "film.mp4"),
    );
    ff("-f", "lavfi", "-i", "testsrc=size=300x300", "-frames:v", "1", join(dir, "cover.jpg"));
    ff(
      "-f",
      "lavfi",
      "-i",
      "sine=frequency=440:duration=1",
      "-i",
      join(dir, "cover.jpg"),
      "-map",
      "0:a",
      "-map",
      "1:v",
      "-c:a",
      "libmp3lame",
      "-c:v",
      "copy",
      "-id3v2_version",
      "3",
      "-disposition:v",
      "attached_pic",
      join(dir, "song.mp3"),
    );
    writeFileSync(join(dir, "not-a-picture.jpg"), "this is text, not a JPEG\n");
  });
  beforeEach(() => {
    maker = new ThumbnailMaker({ cacheDir: join(dir, "cache"), log: pino({ level: "silent" }) });
  });
  afterEach(() => maker.close());
  after(() => rmSync(dir, { recursive: true, force: true }));

  function jpegSize(path: string) {
    const bytes = readFileSync(path);
    assert.equal(bytes.readUInt16BE(0), 0xffd8, "a JPEG");
    return imageSize(bytes);
  }

  it("makes JPEG_TN thumbnails (at most 160×160, aspect kept) from a photo, a video and embedded art", async () => {
    maker.request({ key: "photo-1", source: { kind: "image", absPath: join(dir, "photo.jpg") } });
    maker.request({
      key: "film-1",
      source: { kind: "video", absPath: join(dir, "film.mp4"), durationSeconds: 2 },
    });
    maker.request({
      key: "song-1",
      source: { kind: "embedded-art", absPath: join(dir, "song.mp3") },
    });
    await maker.idle();
    const photo = jpegSize((await maker.cached("photo-1"))!);
    assert.deepEqual([photo.width, photo.height], [160, 120]);
    const film = jpegSize((await maker.cached("film-1"))!);
    assert.deepEqual([film.width, film.height], [160, 90]);
    const art = jpegSize((await maker.cached("song-1"))!);
    assert.deepEqual([art.width, art.height], [160, 160]);
    // Each alone: the photo was the only request when the first ffmpeg started, a video never
    // shares a run, and the art came after it.
    assert.deepEqual(maker.stats, { queued: 0, made: 3, failed: 0, ffmpegRuns: 3 });
  });

  it("remembers a source ffmpeg cannot read and does not retry it", async () => {
    const bad = {
      key: "bad-1",
      source: { kind: "image" as const, absPath: join(dir, "not-a-picture.jpg") },
    };
    maker.request(bad);
    await maker.idle();
    assert.equal(await maker.cached("bad-1"), undefined);
    maker.request(bad);
    await maker.idle();
    assert.deepEqual(maker.stats, { queued: 0, made: 0, failed: 1, ffmpegRuns: 1 });
  });

  it("makes pictures and album art that queued up meanwhile in one ffmpeg run", async () => {
    const sources = ["photo.jpg", "cover.jpg", "song.mp3", "photo.jpg", "cover.jpg", "song.mp3"];
    sources.forEach((name, i) => {
      const kind = name.endsWith(".mp3") ? ("embedded-art" as const) : ("image" as const);
      maker.request({ key: `batch-${i}`, source: { kind, absPath: join(dir, name) } });
    });
    await maker.idle();
    // The first request started ffmpeg alone; the five that queued behind it shared one run.
    assert.deepEqual(maker.stats, { queued: 0, made: 6, failed: 0, ffmpegRuns: 2 });
    const sizes = [];
    for (let i = 0; i < sources.length; i++) {
      const { width, height } = jpegSize((await maker.cached(`batch-${i}`))!);
      sizes.push(`${width}x${height}`);
    }
    assert.deepEqual(sizes, ["160x120", "160x160", "160x160", "160x120", "160x160", "160x160"]);
  });

  it("falls back to one run per file when a shared run fails, so only the bad file fails", async () => {
    const names = ["photo.jpg", "cover.jpg", "not-a-picture.jpg", "song.mp3"];
    names.forEach((name, i) => {
      const kind = name.endsWith(".mp3") ? ("embedded-art" as const) : ("image" as const);
      maker.request({ key: `mixed-${i}`, source: { kind, absPath: join(dir, name) } });
    });
    await maker.idle();
    // photo alone; the other three together (fails on the text file); then each of them alone.
    assert.deepEqual(maker.stats, { queued: 0, made: 3, failed: 1, ffmpegRuns: 5 });
    assert.equal(await maker.cached("mixed-2"), undefined);
    for (const i of [0, 1, 3]) assert.ok(await maker.cached(`mixed-${i}`), `mixed-${i} made`);
  });

  it("keeps cache file names safe whatever the key holds", () => {
    const path = maker.pathFor("../../etc/passwd$1");
    assert.ok(path.startsWith(join(dir, "cache")));
    assert.ok(!path.includes(".."));
  });
});
