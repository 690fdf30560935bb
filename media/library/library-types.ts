import type { LibraryObject } from "./library-object.js";
import type { FileRef } from "./media-types.js";

export interface LibraryOptions {
  /** Titles of the configured roots by index ("Music"): the top of each Folders tree. */
  rootTitles?: readonly string[];
  /** Child ids kept in memory across cached child lists (about 40 bytes each). Default 200 000. */
  maxCachedChildIds?: number;
  /**
   * Object records kept in memory (about 0.4 KB each). Default 5 000: Browse pages of items come
   * from the ContentDirectory's rendered fragments (DidlFragments), so records are read for the
   * first render, containers, streaming and sorting; holding a whole 20 000-file library here as
   * well would cost ~10 MiB for little.
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
