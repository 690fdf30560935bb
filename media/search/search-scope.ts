import { fixedIds, type Library, type LibraryObject } from "../library/index.js";
import { containerClasses, type SearchReach } from "./search-reach.js";

/** Children read per call while walking: bounds what one step holds. */
const PAGE = 256;

/** Fixed categories whose items are exactly the items of one list (every track is in All tracks). */
const ITEM_LISTS: Readonly<Record<string, string>> = {
  [fixedIds.music]: fixedIds.musicAll,
  [fixedIds.videos]: fixedIds.videoAll,
  [fixedIds.pictures]: fixedIds.pictureAll,
};

/**
 * The objects a Search in `containerId` looks at, as that container's tree shows them, in pages
 * (one await per page, not per object: a Search over 20 000 items is mostly this loop); the
 * criteria's reach skips what cannot match. See README.md "Scope" for the rules.
 * - "0": every item once as its canonical object (one range read), and the containers of one
 *   kind from one list each: artists (Artists, then Album artists not yet seen by name), albums
 *   (Albums), genres (Genres), folders (the Folders tree), plain containers (Pictures by date).
 * - "1", "2", "3": the items of All tracks / All videos / All pictures (unless the criteria
 *   names @id or @parentID) and the containers below; "64": the canonical items and the folders.
 * - any other container: a depth-first walk of its subtree in default order, yielding every
 *   appearance of an item (the caller keeps the first that matches) and each container once.
 */
export async function* scopeObjects(
  library: Library,
  containerId: string,
  reach: SearchReach,
): AsyncGenerator<readonly LibraryObject[]> {
  const withItems = reach.itemClasses.size > 0;
  const withContainers = reach.containerClasses.size > 0;
  if (containerId === fixedIds.root) {
    yield* rootContainers(library, reach.containerClasses);
    if (withItems) yield* library.itemPages(undefined, reach.itemText);
    return;
  }
  const itemList = reach.isPlacementSensitive ? undefined : ITEM_LISTS[containerId];
  if (itemList === undefined && containerId !== fixedIds.folders) {
    if (withItems || withContainers) yield* subtree(library, containerId, withItems);
    return;
  }
  if (withContainers) yield* subtree(library, containerId, false);
  if (!withItems) return;
  yield* itemList === undefined
    ? library.itemPages(undefined, reach.itemText)
    : childrenOf(library, itemList);
}

async function* rootContainers(
  library: Library,
  classes: ReadonlySet<string>,
): AsyncGenerator<readonly LibraryObject[]> {
  if (classes.has(containerClasses.artist)) yield* artists(library);
  if (classes.has(containerClasses.album)) yield* childrenOf(library, fixedIds.musicAlbums);
  if (classes.has(containerClasses.genre)) yield* childrenOf(library, fixedIds.musicGenres);
  if (classes.has(containerClasses.folder)) yield* subtree(library, fixedIds.folders, false);
  if (classes.has(containerClasses.plain)) yield* subtree(library, fixedIds.pictureDates, false);
}

/** Artists, then album artists who are nobody's track artist ("Various Artists"). */
async function* artists(library: Library): AsyncGenerator<readonly LibraryObject[]> {
  const names = new Set<string>();
  for await (const page of childrenOf(library, fixedIds.musicArtists)) {
    for (const artist of page) names.add(artist.title.toLowerCase());
    yield page;
  }
  for await (const page of childrenOf(library, fixedIds.musicAlbumArtists)) {
    yield page.filter((artist) => !names.has(artist.title.toLowerCase()));
  }
}

/**
 * The containers below `rootId` (and, `withItems`, every appearance of an item), in pages,
 * depth first in default child order. Without items, a container's listing stops at its first
 * item: containers list subcontainers before items (media/library/README.md), so the rest are
 * items too and an album's tracks cost one read.
 */
async function* subtree(
  library: Library,
  rootId: string,
  withItems: boolean,
): AsyncGenerator<readonly LibraryObject[]> {
  const seen = new Set<string>([rootId]);
  const stack = [rootId];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    const below: string[] = [];
    for await (const page of childrenOf(library, id, !withItems)) {
      yield page.filter((child) => {
        if (!child.isContainer) return true;
        // Each container has one parent; the check only guards against a cycle.
        if (seen.has(child.id)) return false;
        seen.add(child.id);
        below.push(child.id);
        return true;
      });
    }
    // Reversed, so the first child is walked first; a loop, since a spread of 100 000 ids throws.
    for (let i = below.length - 1; i >= 0; i -= 1) stack.push(below[i] as string);
  }
}

/** A container's children, page by page; `untilItem` stops before the first item. */
async function* childrenOf(
  library: Library,
  id: string,
  untilItem = false,
): AsyncGenerator<readonly LibraryObject[]> {
  let count = untilItem ? 1 : PAGE;
  for (let start = 0; ; start += count, count = PAGE) {
    const page = await library.children(id, { start, count });
    if (page === undefined) return;
    const firstItem = untilItem ? page.objects.findIndex((child) => !child.isContainer) : -1;
    if (firstItem !== -1) {
      yield page.objects.slice(0, firstItem);
      return;
    }
    yield page.objects;
    if (start + count >= page.total) return;
  }
}
