import { fixedIds, type LibraryContainer } from "../library/index.js";

const FOLDER_CLASS = "object.container.storageFolder";
/** About 60 bytes an id: a few MiB at most, far more folders than a home library has. */
const MAX_REMEMBERED = 50_000;

/**
 * Which folder containers belong to Music → Folders, so they get an albumArtURI without a read:
 * a LibraryContainer does not say which tree it is in, but a control point reaches a folder by
 * browsing its parent first. A folder whose parent is Music → Folders, or a folder already
 * known to be in that tree, is in it; the answer is remembered for its own children. The ids of
 * that tree's folders are derived from the tree (object-ids.ts), so a remembered id never moves
 * to another tree. A folder reached without its parent (a bookmark after a restart) goes without
 * art until its parent is browsed: a missing picture, never a wrong URL.
 */
export class MusicFolderHints {
  readonly #known = new Set<string>();

  /** True when `container` is a folder of Music → Folders (and remembers it). */
  isMusicFolder(container: LibraryContainer): boolean {
    if (container.upnpClass !== FOLDER_CLASS) return false;
    if (this.#known.has(container.id)) return true;
    const parent = container.parentId;
    if (parent !== fixedIds.musicFolders && !this.#known.has(parent)) return false;
    // Forgetting everything at the cap costs only art on folders until their parents are browsed.
    if (this.#known.size >= MAX_REMEMBERED) this.#known.clear();
    this.#known.add(container.id);
    return true;
  }

  /** The DidlOptions.hasContainerArt of a ContentDirectory: albums and Music → Folders folders. */
  hasArt = (container: LibraryContainer): boolean =>
    container.upnpClass === "object.container.album.musicAlbum" || this.isMusicFolder(container);
}
