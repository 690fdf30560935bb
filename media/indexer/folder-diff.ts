import type { KnownFile } from "./indexer-ports.js";
import { mediaNames } from "./media-names.js";
import type { FolderListing, WalkedFile } from "./tree-walker.js";

/** A file that needs a metadata call: new (no `known`) or changed/forced (`known` set). */
export interface Candidate {
  relPath: string;
  file: WalkedFile;
  known?: KnownFile;
}

/** One folder compared with what the catalog knows of it. */
export interface FolderDiff {
  candidates: Candidate[];
  /** Known files no longer in the folder (or no longer media). */
  gone: KnownFile[];
  /** Known files whose size and mtime are unchanged: nothing to do. */
  unchanged: number;
}

/**
 * Compares a folder listing with the catalog's files in that folder by size and mtime (integer
 * ms). Unchanged files cost nothing: no metadata call, no catalog write. `reextract` names files to
 * treat as changed anyway: all of them for `scan({ full: true })`, or the ones whose sidecars
 * (subtitles, cover) were just added or removed.
 */
export function diffFolder(
  listing: FolderListing,
  known: ReadonlyMap<string, KnownFile>,
  reextract: ((name: string) => boolean) | null,
): FolderDiff {
  const candidates: Candidate[] = [];
  const present = new Set<string>();
  let unchanged = 0;
  for (const file of listing.files) {
    present.add(file.name);
    const relPath = listing.relDir === "" ? file.name : `${listing.relDir}/${file.name}`;
    const old = known.get(file.name);
    if (old === undefined) candidates.push({ relPath, file });
    else if (
      old.sizeBytes !== file.sizeBytes ||
      old.mtimeMs !== file.mtimeMs ||
      reextract?.(file.name)
    ) {
      candidates.push({ relPath, file, known: old });
    } else unchanged++;
  }
  const gone = [...known.values()].filter((k) => !present.has(nameOf(k.relPath)));
  return { candidates, gone, unchanged };
}

/**
 * Which media files to re-read because names that events reported are their sidecars: a cover
 * image concerns every audio and video file of the folder, a subtitle the video with its stem.
 * Size and mtime of the media file itself do not change when a sidecar appears, so without this
 * a new "Film.en.srt" would stay unknown until the film itself changed.
 */
export function sidecarReextract(
  hints: ReadonlySet<string> | null,
): ((name: string) => boolean) | null {
  if (hints === null || hints.size === 0) return null;
  const covers = [...hints].some((h) => mediaNames.isCover(h));
  const subtitles = [...hints].filter((h) => mediaNames.isSubtitle(h));
  if (!covers && subtitles.length === 0) return null;
  return (name) =>
    (covers && mediaNames.isAudioOrVideo(name)) ||
    (mediaNames.isVideo(name) && subtitles.some((s) => mediaNames.subtitleBelongsTo(s, name)));
}

/** The last path component. */
export function nameOf(relPath: string): string {
  return relPath.slice(relPath.lastIndexOf("/") + 1);
}
