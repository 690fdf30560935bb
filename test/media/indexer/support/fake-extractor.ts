import type {
  FileRef,
  FileStat,
  IndexedFile,
  MediaClass,
} from "../../../../media/library/media-types.js";
import type { MetadataExtractor } from "../../../../media/indexer/indexer-ports.js";

const classes: Record<string, [MediaClass, string]> = {
  mp3: ["audio", "audio/mpeg"],
  flac: ["audio", "audio/x-flac"],
  mp4: ["video", "video/mp4"],
  mkv: ["video", "video/x-matroska"],
  jpg: ["image", "image/jpeg"],
  png: ["image", "image/png"],
};

/** One call the double received. */
export interface ExtractCall {
  absPath: string;
  file: FileRef & FileStat;
  siblings: readonly string[];
}

/**
 * TEST DOUBLE of hearth's own MetadataExtractor port (media/indexer/indexer-ports.ts), not of a
 * real peer: it classifies by extension only and records every call. Names containing
 * "not-media" resolve null (the port's "not a media file after all"); "throws" rejects (a pool
 * failure); "broken" sets metadataError. The real MetadataPool lives in media/metadata.
 */
export class FakeExtractor implements MetadataExtractor {
  readonly calls: ExtractCall[] = [];
  /** Delay per call, to make a scan slow enough to interrupt. */
  delayMs = 0;
  closed = false;

  async extract(
    absPath: string,
    file: FileRef & FileStat,
    siblings: readonly string[],
  ): Promise<IndexedFile | null> {
    this.calls.push({ absPath, file: { ...file }, siblings });
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const name = file.relPath.slice(file.relPath.lastIndexOf("/") + 1);
    if (name.includes("throws")) throw new Error("worker crashed");
    const cls = classes[name.slice(name.lastIndexOf(".") + 1).toLowerCase()];
    if (cls === undefined || name.includes("not-media")) return null;
    const [mediaClass, mime] = cls;
    const indexed: IndexedFile = { ...file, mediaClass, mime };
    if (name.includes("broken")) indexed.metadataError = "truncated";
    return indexed;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** relPaths extracted, in call order. */
  paths(): string[] {
    return this.calls.map((c) => c.file.relPath);
  }
}
