import type { LibraryObject } from "./library-object.js";
import type { FileRef } from "./media-types.js";

export interface LibraryOptions {
  /** Titles of the configured roots by index ("Music"): the top of each Folders tree. */
  rootTitles?: readonly string[];
  /** Child ids kept in memory across cached child lists (about 40 bytes each). Default 200 000. */
  maxCachedChildIds?: number;
  /**
   * Object records kept in memory. Default 25 000 (about 0.4 KB each): a 20 000-file library's
   * records all fit, and a Browse page of 50 at a random offset costs 0.6 ms instead of 1.0 ms
   * (LevelDB reads), for ~10 MiB more RSS.
   */
  maxCachedObjects?: number;
  /** Where a throwing update listener is reported. */
  log?: { warn(obj: object, msg: string): void };
}

/** One page of a container's children. */
export interface LibraryPage {
  objects: LibraryObject[];
  /** All children of the container (TotalMatches). */
  total: number;
  /** The container's update id (Browse's UpdateID). */
  updateId: number;
}

/**
 * A page of a container's children as ids first, objects on demand: a caller that already holds
 * what it needs for some of them (the ContentDirectory's rendered fragments) builds only the rest.
 */
export interface LibraryPageIds {
  /** The page's object ids in order (a reference as its reference id). */
  ids: readonly string[];
  /** All children of the container (TotalMatches). */
  total: number;
  /** The container's update id (Browse's UpdateID). */
  updateId: number;
  /** The objects for some of `ids`, in the order asked; ids no longer there are skipped. */
  objects(ids: readonly string[]): Promise<LibraryObject[]>;
}

/** What one apply changed, for GENA: SystemUpdateID and ContainerUpdateIDs. */
export interface LibraryUpdate {
  systemUpdateId: number;
  /** Containers whose children or own metadata changed, with their new update ids. */
  containers: ReadonlyArray<{ id: string; updateId: number }>;
  /** Containers that became empty and no longer exist. */
  removedContainers: readonly string[];
}

/** Where an item's file and its companions are, relative to a root (for streaming only). */
export interface ItemFile extends FileRef {
  sizeBytes: number;
  mime: string;
  /** Root-relative paths of its subtitles, by `LibrarySubtitle.index`. */
  subtitleRelPaths: string[];
  coverRelPath?: string;
}

/** Library counts for the dashboard. */
export interface LibraryCounts {
  tracks: number;
  videos: number;
  pictures: number;
  albums: number;
  artists: number;
}
