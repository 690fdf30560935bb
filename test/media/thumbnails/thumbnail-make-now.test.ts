import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import {
  ThumbnailMaker,
  type ThumbnailRequest,
} from "../../../media/thumbnails/thumbnail-maker.js";

describe("ThumbnailMaker.makeNow (real ffmpeg)", function () {
  this.timeout(60_000);
  let dir: string;
  let maker: ThumbnailMaker;
  const photo = (key: string): ThumbnailRequest => ({
    key,
    source: { kind: "image", absPath: join(dir, "photo.jpg") },
  });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "hearth-thumbs-now-"));
    execFileSync("ffmpeg", [
      ...["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=320x240"],
      ...["-frames:v", "1", join(dir, "photo.jpg")],
    ]);
    writeFileSync(join(dir, "text.jpg"), "not a picture\n");
  });
  beforeEach(() => {
    maker = new ThumbnailMaker({ cacheDir: join(dir, "cache"), log: pino({ level: "silent" }) });
  });
  afterEach(async () => {
    await maker.close();
    rmSync(join(dir, "cache"), { recursive: true, force: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("makes the thumbnail ahead of the background queue and resolves with its cache path", async () => {
    const background = ["b1", "b2", "b3", "b4"].map(photo);
    for (const request of background) maker.request(request);
    const path = await maker.makeNow(photo("now"));
    assert.equal(path, maker.pathFor("now"));
    assert.equal(await maker.cached("now"), path);
    // b1 may have been in progress already; the rest waited behind the urgent one.
    assert.equal(await maker.cached("b3"), undefined);
    assert.equal(await maker.cached("b4"), undefined);
    await maker.idle();
    assert.equal(await maker.cached("b4"), maker.pathFor("b4"));
  });

  it("runs ffmpeg once for a key asked for by many at once, or already queued", async () => {
    maker.request(photo("queued"));
    const paths = await Promise.all([
      ...Array.from({ length: 5 }, () => maker.makeNow(photo("same"))),
      maker.makeNow(photo("queued")),
    ]);
    assert.deepEqual(paths, [
      ...Array.from({ length: 5 }, () => maker.pathFor("same")),
      maker.pathFor("queued"),
    ]);
    assert.deepEqual(maker.stats, { queued: 0, made: 2, failed: 0, ffmpegRuns: 2 });
  });

  it("resolves undefined for a source ffmpeg cannot read, at once the second time", async () => {
    const bad: ThumbnailRequest = {
      key: "bad",
      source: { kind: "image", absPath: join(dir, "text.jpg") },
    };
    assert.equal(await maker.makeNow(bad), undefined);
    assert.equal(await maker.makeNow(bad), undefined);
    assert.equal(maker.stats.failed, 1);
  });

  it("resolves waiters with undefined when the maker closes; the ffmpeg in progress finishes", async () => {
    for (const key of ["c1", "c2", "c3"]) maker.request(photo(key));
    const waiting = [maker.makeNow(photo("late")), maker.makeNow(photo("c3"))];
    await maker.close();
    assert.deepEqual(await Promise.all(waiting), [undefined, undefined]);
    assert.equal(await maker.cached("c1"), maker.pathFor("c1"));
    assert.equal(await maker.cached("late"), undefined);
    assert.equal(await maker.makeNow(photo("after")), undefined);
  });
});
