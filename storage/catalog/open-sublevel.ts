import type { BatchOperation, ClassicLevel } from "classic-level";

/** The one LevelDB database behind the catalog; keys and values are stored as UTF-8 strings. */
export type CatalogDb = ClassicLevel<string, string>;

/** A key area of the database: a namespace's data or the catalog's meta records. */
export type Sublevel = ReturnType<typeof openSublevel>;

/** One write of an encoded batch; `sublevel` says which area the key belongs to. */
export type RawOp = BatchOperation<CatalogDb, string, string>;

/**
 * A sublevel for a namespace path like "media" or "media/thumbs". Paths are flat sublevel names,
 * not nested sublevels, so "media/thumbs" keys ("!media/thumbs!k") sort outside the "media" range
 * ("!media!" up to "!media\""): a parent's range reads and clear() never reach a child's keys.
 * Values stay strings here; the namespace parses the JSON itself so a corrupt value can be
 * skipped instead of aborting a whole range read.
 */
export function openSublevel(db: CatalogDb, path: string) {
  return db.sublevel<string, string>(path, { keyEncoding: "utf8", valueEncoding: "utf8" });
}
