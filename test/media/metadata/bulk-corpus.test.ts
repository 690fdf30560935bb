import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { extractFile } from "../../../media/metadata/extract-file.js";
import {
  makeBulkCorpus,
  type BulkEntry,
  type BulkManifest,
} from "../../fixtures/media-corpus/index.js";

describe("makeBulkCorpus (benchmark library)", function () {
  this.timeout(60_000);
  let dir: string;
  let bulk: BulkManifest;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "hearth-bulk-"));
    bulk = await makeBulkCorpus(dir, { files: 2_000 });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const extract = (entry: BulkEntry) => {
    const slash = entry.relPath.lastIndexOf("/");
    const folder = entry.relPath.slice(0, slash + 1);
    const siblings = bulk.entries
      .filter((e) => e.relPath.startsWith(folder) && !e.relPath.slice(folder.length).includes("/"))
      .map((e) => e.relPath.slice(folder.length));
    const file = { rootId: 0, relPath: entry.relPath, sizeBytes: 1, mtimeMs: 0 };
    return extractFile(join(dir, entry.relPath), file, siblings);
  };
  const first = (kind: BulkEntry["kind"]): BulkEntry => {
    const found = bulk.entries.find((e) => e.kind === kind);
    assert.ok(found, `no ${kind} in the bulk corpus`);
    return found;
  };

  it("writes exactly the requested number of distinct files, mostly tagged audio", async () => {
    const onDisk = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((d) =>
      d.isFile(),
    );
    assert.equal(onDisk.length, 2_000);
    assert.equal(bulk.files, 2_000);
    assert.equal(new Set(bulk.entries.map((e) => e.relPath)).size, 2_000);
    const sum = Object.values(bulk.counts).reduce((a, b) => a + b, 0);
    assert.equal(sum, 2_000);
    assert.ok(bulk.counts.audio > 1_600, `audio: ${bulk.counts.audio}`);
    assert.equal(bulk.mediaItems, bulk.counts.audio + bulk.counts.video + bulk.counts.image);
  });

  it("tags each track as its entry says (hand-written ID3v2.3) with the album's cover", async () => {
    const track = bulk.entries.filter((e) => e.kind === "audio")[100];
    assert.ok(track);
    const got = await extract(track);
    assert.deepEqual(
      [
        got?.audio?.title,
        got?.audio?.artist,
        got?.audio?.album,
        got?.audio?.trackNumber,
        got?.audio?.year,
        got?.audio?.genre,
      ],
      [track.title, track.artist, track.album, track.trackNumber, track.year, track.genre],
    );
    assert.equal(got?.dlnaProfile, "MP3");
    assert.equal(
      got?.coverRelPath,
      `${track.relPath.slice(0, track.relPath.lastIndexOf("/"))}/cover.jpg`,
    );
  });

  it("dates photos with the hand-written EXIF block, and makes videos and broken files", async () => {
    const photo = await extract(first("image"));
    assert.equal(photo?.image?.takenAt, "2015-01-01T00:00:00");
    assert.equal(photo?.dlnaProfile, "JPEG_SM");
    const video = await extract(first("video"));
    assert.equal(video?.dlnaProfile, "AVC_MP4_BL_CIF15_AAC_520");
    assert.equal(video?.subtitles?.[0]?.language, "en");
    assert.equal((await extract(first("broken")))?.metadataError, "the file is empty");
    assert.equal(await extract(first("cover")), null);
  });
});
