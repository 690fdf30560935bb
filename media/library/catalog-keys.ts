/**
 * The library's key layout inside its catalog namespace (README.md "Keys"). One-letter prefixes:
 * keys are written once per file and per appearance, so every byte counts on an SD card.
 */
export const catalogKeys = {
  /** The library's counters: SystemUpdateID and the next item number. */
  meta: "m",
  /** An object's record: "o<id>". */
  object: (id: string): string => `o${id}`,
  /** Every item record starts with this: item ids start with "i", container ids never do. */
  itemPrefix: "oi",
  /** Every child entry of a container starts with this; one range read lists them in order. */
  childPrefix: (parentId: string): string => `c${parentId}/`,
  /**
   * A child entry: the child's sort key, then its local id after "\u0000" (so "ab" sorts before
   * "abc" and equal sort keys tie on the id). Local ids: a container's id, a canonical item's id,
   * or "$" + item id for a reference (the child's full id is then "<parentId>$<item id>").
   */
  child: (parentId: string, sortKey: string, localId: string): string =>
    `c${parentId}/${sortKey}\u0000${localId}`,
  /** Every known file of a root starts with this. */
  filePrefix: (rootId: number): string => `f${rootId}/`,
  /** A known file: "f<rootId>/<relPath>", so a folder's files are one range read. */
  file: (rootId: number, relPath: string): string => `f${rootId}/${relPath}`,
} as const;

/** The local id at the end of a child entry's key. */
export function localIdOf(childKey: string): string {
  return childKey.slice(childKey.lastIndexOf("\u0000") + 1);
}

/** Stored under `catalogKeys.meta`. */
export interface LibraryMeta {
  /** SystemUpdateID. */
  u: number;
  /** The counter value of the next new item id. */
  n: number;
}

/** Stored under `catalogKeys.file(...)`: [item id, size in bytes, mtime in ms]. */
export type FileEntry = [id: string, sizeBytes: number, mtimeMs: number];
