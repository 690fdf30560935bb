import type { Library } from "../library/library.js";
import { thumbnailFor } from "./thumbnail-key.js";
import type { ThumbnailMaker } from "./thumbnail-maker.js";

/**
 * After a scan pass, queues the thumbnails that are missing. One range read over the items plus a
 * cache lookup each; ffmpeg runs only for what is not cached yet, in the maker's low-priority
 * queue, so neither the scan nor a Browse waits for it.
 */
export async function sweepThumbnails(
  library: Library,
  maker: ThumbnailMaker,
  rootPaths: readonly string[],
  signal: AbortSignal,
): Promise<void> {
  for await (const items of library.itemPages()) {
    for (const item of items) {
      if (signal.aborted) return;
      const file = await library.itemFile(item.itemId);
      const rootPath = file === undefined ? undefined : rootPaths[file.rootId];
      if (file === undefined || rootPath === undefined) continue;
      const request = thumbnailFor(item, file, rootPath);
      if (request !== undefined && (await maker.cached(request.key)) === undefined)
        maker.request(request);
    }
  }
}
