import { createHash } from "node:crypto";
import type { LibraryItem } from "../library/library-object.js";
import type { ItemFile } from "../library/library-types.js";
import type { ThumbnailRequest } from "./thumbnail-maker.js";

/**
 * Which thumbnail an item shows and where it comes from. Album art is shared: every track of an
 * album with embedded art shows the album's one thumbnail, and every file next to a cover image
 * shows that cover's, so a 20 000-track library costs one ffmpeg run per album, not per track.
 * Keys carry the file size, so a replaced file gets a fresh thumbnail.
 */
export function thumbnailFor(
  item: LibraryItem,
  file: ItemFile,
  rootPath: string,
): ThumbnailRequest | undefined {
  const abs = (relPath: string) => `${rootPath}/${relPath}`;
  if (item.mediaClass === "image") {
    return {
      key: `p${item.itemId}-${file.sizeBytes}`,
      source: { kind: "image", absPath: abs(file.relPath) },
    };
  }
  if (item.mediaClass === "video") {
    const source = {
      kind: "video" as const,
      absPath: abs(file.relPath),
      durationSeconds: item.durationSeconds ?? 0,
    };
    return { key: `v${item.itemId}-${file.sizeBytes}`, source };
  }
  if (item.hasEmbeddedArt) {
    const album =
      item.album === undefined
        ? item.itemId
        : `${item.albumArtist ?? item.artist ?? ""}\u0000${item.album}`;
    return {
      key: `a${hash(`${album}`)}`,
      source: { kind: "embedded-art", absPath: abs(file.relPath) },
    };
  }
  if (item.hasCover && file.coverRelPath !== undefined) {
    return {
      key: `c${hash(`${file.rootId}/${file.coverRelPath}`)}`,
      source: { kind: "image", absPath: abs(file.coverRelPath) },
    };
  }
  return undefined;
}

function hash(text: string): string {
  return createHash("sha1").update(text).digest("hex").slice(0, 16);
}
