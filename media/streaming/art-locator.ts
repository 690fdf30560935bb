import type { Library } from "../library/library.js";
import { parseObjectId } from "../library/object-ids.js";
import { thumbnailFor } from "../thumbnails/thumbnail-key.js";
import type { ThumbnailMaker } from "../thumbnails/thumbnail-maker.js";

/** What the art route needs of the library and the thumbnail maker. */
export interface ArtSources {
  library: Pick<Library, "getObject" | "itemFile" | "artItemId">;
  rootPaths: readonly string[];
  thumbnails: Pick<ThumbnailMaker, "cached" | "makeNow">;
}

/**
 * Finds the JPEG_TN file behind `/art/<objectId>.jpg`: an item's own thumbnail (a photo, a
 * video frame, its album's embedded art or its folder cover), a reference's item's, or for a
 * container (album, artist, folder) the art of its first child that has some. A thumbnail not in
 * the cache yet is made on the spot, first in the maker's line, and waited for at most `waitMs`;
 * the maker runs one ffmpeg at a time, so a burst of requests never starts more than one per key.
 */
export class ArtLocator {
  readonly #sources: ArtSources;
  readonly #waitMs: number;

  constructor(sources: ArtSources, options: { waitMs: number }) {
    this.#sources = sources;
    this.#waitMs = options.waitMs;
  }

  /** The cached JPEG's path, or undefined: no such object, no art, or not made in time. */
  async locate(objectId: string): Promise<string | undefined> {
    const { library, rootPaths, thumbnails } = this.#sources;
    const itemId = await this.#itemWithArt(objectId);
    if (itemId === undefined) return undefined;
    const [object, file] = await Promise.all([library.getObject(itemId), library.itemFile(itemId)]);
    const rootPath = file === undefined ? undefined : rootPaths[file.rootId];
    if (object?.isContainer !== false || file === undefined || rootPath === undefined) {
      return undefined;
    }
    const request = thumbnailFor(object, file, rootPath);
    if (request === undefined) return undefined;
    return (await thumbnails.cached(request.key)) ?? this.#bounded(thumbnails.makeNow(request));
  }

  async #itemWithArt(objectId: string): Promise<string | undefined> {
    const parsed = parseObjectId(objectId);
    if (parsed === undefined) return undefined;
    if (parsed.kind === "container") return this.#sources.library.artItemId(objectId);
    // A reference must exist where it claims to be; its art is its item's.
    const object = await this.#sources.library.getObject(objectId);
    return object?.isContainer === false ? object.itemId : undefined;
  }

  /** The maker's answer, or undefined after `waitMs` (the thumbnail is still made for next time). */
  async #bounded(making: Promise<string | undefined>): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.#waitMs);
    });
    try {
      return await Promise.race([making, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
