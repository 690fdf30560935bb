import { statSync } from "node:fs";
import type { NameClass } from "./classify-name.js";
import { extensionOf } from "./classify-name.js";
import type { MediaDetails } from "./media-format.js";
import { probeVideo, type FfprobeOptions } from "./probe-video.js";
import { readAudio } from "./read-audio.js";
import { readImage } from "./read-image.js";

/**
 * What reading one file gave: its details, a one-line reason it could not be read (stored as the
 * item's metadataError), or the news that it is gone. Plain data, so it crosses the worker
 * boundary as is.
 */
export type ProbeOutcome =
  | { kind: "read"; details: MediaDetails }
  | { kind: "failed"; error: string }
  | { kind: "vanished" };

/** The longest metadataError kept; the first line of a parser's complaint is what helps. */
const MAX_ERROR = 300;

function isGone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

function reasonOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = text.split("\n")[0]?.trim() ?? "";
  return (line === "" ? "unreadable file" : line).slice(0, MAX_ERROR);
}

async function readDetails(
  absPath: string,
  name: NameClass,
  ext: string,
  options: FfprobeOptions,
): Promise<MediaDetails> {
  if (name.mediaClass === "audio") return readAudio(absPath, ext, name.mime);
  if (name.mediaClass === "image") return readImage(absPath, name.mime);
  const video = await probeVideo(absPath, ext, name.mime, options);
  // An .mp4 holding only sound is a track, as MiniDLNA lists it; read its tags as audio.
  return video === "audio-only" ? readAudio(absPath, ext, "audio/mp4") : video;
}

/**
 * Reads one media file's content by its class. Never throws: a broken file gives "failed" with
 * the reason, a file deleted before or during the read gives "vanished" (the indexer drops it).
 */
export async function probeFile(
  absPath: string,
  name: NameClass,
  options: FfprobeOptions = {},
): Promise<ProbeOutcome> {
  try {
    // Synchronous: this runs in a metadata worker (see buffered-tokenizer.ts).
    const info = statSync(absPath);
    if (!info.isFile()) return { kind: "failed", error: "not a regular file" };
    if (info.size === 0) return { kind: "failed", error: "the file is empty" };
    const details = await readDetails(absPath, name, extensionOf(absPath), options);
    return { kind: "read", details };
  } catch (err) {
    if (isGone(err)) return { kind: "vanished" };
    try {
      statSync(absPath);
    } catch (statErr) {
      // A parser's odd error while the file was being deleted: report the deletion, not the error.
      if (isGone(statErr)) return { kind: "vanished" };
    }
    return { kind: "failed", error: reasonOf(err) };
  }
}
