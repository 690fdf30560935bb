import assert from "node:assert/strict";
import { join } from "node:path";
import { probeMp4 } from "../../../media/metadata/probe-mp4.js";
import { probeVideo } from "../../../media/metadata/probe-video.js";
import { corpusCache, type CorpusManifest } from "../../fixtures/media-corpus/index.js";

describe("probeMp4 (in-process MP4 reader)", function () {
  this.timeout(60_000);
  let corpus: CorpusManifest;
  before(async () => {
    corpus = await corpusCache();
  });

  it("agrees with ffprobe on every MP4 of the corpus", async () => {
    const mp4s = corpus.entries.filter(
      (e) => /\.(mp4|m4v|mov)$/.test(e.relPath) && e.expected?.broken !== true,
    );
    assert.ok(mp4s.length >= 5);
    for (const entry of mp4s) {
      const abs = join(corpus.root, entry.relPath);
      const native = await probeMp4(abs);
      // An extension the native reader does not claim sends the file to ffprobe.
      const viaFfprobe = await probeVideo(abs, "ffprobe-only", "video/x-test");
      const expected = viaFfprobe === "audio-only" ? viaFfprobe : viaFfprobe.video;
      assert.deepEqual(native, expected, entry.relPath);
    }
  });

  it("leaves files without a complete moov to ffprobe", async () => {
    assert.equal(await probeMp4(join(corpus.root, "Broken/truncated.mp4")), undefined);
    assert.equal(await probeMp4(join(corpus.root, "Broken/garbage.mkv")), undefined);
    assert.equal(await probeMp4(join(corpus.root, "Broken/empty.mkv")), undefined);
  });
});
