import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { extractFile } from "../../../media/metadata/extract-file.js";
import {
  corpusCache,
  CORPUS_SPECS,
  diffFromExpected,
  siblingNames,
  type CorpusManifest,
} from "../../fixtures/media-corpus/index.js";

const ref = (relPath: string) => ({ rootId: 0, relPath, sizeBytes: 1, mtimeMs: 0 });

describe("extractFile (in-process) on the test corpus", function () {
  // The first run builds the corpus with ffmpeg (about 10 s on 2 cores); later runs reuse it.
  this.timeout(120_000);
  let corpus: CorpusManifest;
  before(async () => {
    corpus = await corpusCache();
  });

  for (const spec of CORPUS_SPECS) {
    const expected = spec.expected;
    const what =
      expected === null
        ? "is not a media item"
        : expected.broken === true
          ? "is listed by name with a metadataError"
          : "reads as its manifest says";
    it(`${JSON.stringify(spec.relPath)} ${what}`, async () => {
      const entry = corpus.entries.find((e) => e.relPath === spec.relPath);
      assert.ok(entry);
      const file = {
        rootId: 3,
        relPath: entry.relPath,
        sizeBytes: entry.sizeBytes,
        mtimeMs: entry.mtimeMs,
      };
      const got = await extractFile(
        join(corpus.root, entry.relPath),
        file,
        siblingNames(corpus.entries, entry.relPath),
      );
      if (expected === null) return assert.equal(got, null);
      assert.deepEqual(diffFromExpected(expected, got), []);
      assert.deepEqual(
        [got?.rootId, got?.relPath, got?.sizeBytes, got?.mtimeMs],
        [3, entry.relPath, entry.sizeBytes, entry.mtimeMs],
      );
    });
  }
});

describe("extractFile edge cases", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "hearth-extract-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("resolves null for a file that is gone", async () => {
    assert.equal(await extractFile(join(dir, "gone.mp3"), ref("gone.mp3"), []), null);
    assert.equal(await extractFile(join(dir, "no/such/dir/film.mkv"), ref("film.mkv"), []), null);
  });

  it("resolves null for names that are not media items", async () => {
    assert.equal(await extractFile(join(dir, "notes.txt"), ref("notes.txt"), []), null);
    assert.equal(await extractFile(join(dir, "cover.jpg"), ref("cover.jpg"), []), null);
  });

  it("lists a folder named like a video as broken, not as a crash", async () => {
    await mkdir(join(dir, "Looks Like.mkv"));
    const got = await extractFile(join(dir, "Looks Like.mkv"), ref("Looks Like.mkv"), []);
    assert.equal(got?.metadataError, "not a regular file");
    assert.equal(got?.mime, "video/x-matroska");
  });

  it("says when ffprobe is missing instead of blaming the file", async function () {
    this.timeout(30_000);
    const corpus = await corpusCache();
    const rel = "Videos/Clips/clip.webm"; // WebM always goes to ffprobe
    const got = await extractFile(join(corpus.root, rel), ref(rel), [], {
      ffprobePath: join(dir, "no-ffprobe"),
    });
    assert.equal(got?.metadataError, "ffprobe is not installed (apt install ffmpeg)");
  });
});
