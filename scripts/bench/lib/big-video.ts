import { closeSync, mkdirSync, openSync, utimesSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { loadBulkAssets } from "../../../test/fixtures/media-corpus/bulk-assets.js";
import { CORPUS_MTIME_MS } from "../../../test/fixtures/media-corpus/index.js";

/**
 * Writes a valid MP4 of exactly `bytes` at `path`: the bulk corpus's small H.264+AAC clip (moov
 * first) followed by one trailing 'free' box (ISO/IEC 14496-12 §8.1.2) that fills the rest, as
 * make-bulk-corpus.ts makes distinct copies. Every server indexes it as a video.
 */
export async function makeBigVideo(path: string, bytes: number): Promise<void> {
  const { video } = await loadBulkAssets();
  const freeSize = bytes - video.length;
  if (freeSize < 16 || freeSize > 0xffffffff) throw new Error(`cannot pad a video to ${bytes}`);
  mkdirSync(dirname(path), { recursive: true });
  const header = Buffer.alloc(8);
  header.writeUInt32BE(freeSize, 0);
  header.write("free", 4, "latin1");
  const fd = openSync(path, "w");
  try {
    writeSync(fd, video);
    writeSync(fd, header);
    writeSync(fd, Buffer.from("hearth benchmark big video"));
    // Real bytes (not a hole): the servers read what a real file would make them read.
    const chunk = Buffer.alloc(16 * 2 ** 20, 0x20);
    let left = freeSize - 8 - "hearth benchmark big video".length;
    while (left > 0) left -= writeSync(fd, chunk, 0, Math.min(chunk.length, left));
  } finally {
    closeSync(fd);
  }
  const mtime = new Date(CORPUS_MTIME_MS);
  utimesSync(path, mtime, mtime);
}
