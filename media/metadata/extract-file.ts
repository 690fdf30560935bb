import type { FileRef, FileStat, IndexedFile } from "../library/media-types.js";
import { classifyName, type NameClass } from "./classify-name.js";
import { findCover } from "./find-cover.js";
import { findSubtitles } from "./find-subtitles.js";
import type { ProbeOutcome } from "./probe-file.js";
import type { FfprobeOptions } from "./probe-video.js";

/**
 * The IndexedFile a file gets from its name and folder alone: class and MIME type from the
 * extension, sidecar subtitles for videos, the folder cover for audio and video. What a broken
 * file is listed as; the content's details are laid over it by `withOutcome`.
 */
export function describeByName(
  file: FileRef & FileStat,
  name: NameClass,
  siblings: readonly string[],
): IndexedFile {
  const indexed: IndexedFile = {
    rootId: file.rootId,
    relPath: file.relPath,
    sizeBytes: file.sizeBytes,
    mtimeMs: file.mtimeMs,
    mediaClass: name.mediaClass,
    mime: name.mime,
  };
  return withSidecars(indexed, siblings);
}

function withSidecars(indexed: IndexedFile, siblings: readonly string[]): IndexedFile {
  if (indexed.mediaClass === "video") {
    const subtitles = findSubtitles(indexed.relPath, siblings);
    if (subtitles.length > 0) indexed.subtitles = subtitles;
  }
  if (indexed.mediaClass !== "image") {
    const cover = findCover(siblings);
    if (cover !== undefined) indexed.coverRelPath = siblingPath(indexed.relPath, cover);
  }
  return indexed;
}

function siblingPath(relPath: string, name: string): string {
  const slash = relPath.lastIndexOf("/");
  return slash < 0 ? name : `${relPath.slice(0, slash + 1)}${name}`;
}

/**
 * Lays a probe's outcome over the by-name description: the content's class, MIME type, profile
 * and facts when it was read; `metadataError` when it failed; null when the file is gone.
 */
export function withOutcome(
  byName: IndexedFile,
  outcome: ProbeOutcome,
  siblings: readonly string[],
): IndexedFile | null {
  if (outcome.kind === "vanished") return null;
  if (outcome.kind === "failed") return { ...byName, metadataError: outcome.error };
  const { details } = outcome;
  const { rootId, relPath, sizeBytes, mtimeMs } = byName;
  const indexed: IndexedFile = {
    rootId,
    relPath,
    sizeBytes,
    mtimeMs,
    mediaClass: details.mediaClass,
    mime: details.mime,
  };
  if (details.dlnaProfile !== undefined) indexed.dlnaProfile = details.dlnaProfile;
  if (details.audio !== undefined) indexed.audio = details.audio;
  if (details.video !== undefined) indexed.video = details.video;
  if (details.image !== undefined) indexed.image = details.image;
  return withSidecars(indexed, siblings);
}

/**
 * Extracts one file's metadata in the calling thread: what MetadataPool does in its workers, for
 * tests and one-off tools. Resolves null for names that are not media (see classifyName) and for
 * files that vanished; a broken file resolves with `metadataError` set. Never rejects.
 */
export async function extractFile(
  absPath: string,
  file: FileRef & FileStat,
  siblings: readonly string[],
  options: FfprobeOptions = {},
): Promise<IndexedFile | null> {
  const name = classifyName(file.relPath);
  if (name === undefined) return null;
  const byName = describeByName(file, name, siblings);
  // Loaded on use: the parsers behind probeFile (music-metadata, exifr, image-size: ~14 MiB,
  // measured) belong in the metadata workers; the main thread imports this file for the helpers.
  const { probeFile } = await import("./probe-file.js");
  return withOutcome(byName, await probeFile(absPath, name, options), siblings);
}
