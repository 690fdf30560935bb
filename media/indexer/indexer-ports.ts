import type { FileRef, FileStat, IndexedFile } from "../library/media-types.js";

/** A file the library already knows, as the scanner needs it for the size+mtime diff. */
export interface KnownFile extends FileRef, FileStat {
  /** The item's stable object id. */
  id: string;
}

/**
 * What the indexer needs of the library (media/library implements it over the catalog). Every
 * `apply` is one atomic catalog batch: after a kill the library is either before or after it.
 */
export interface LibraryStore {
  /** Known files directly in `relDir` ("" = the root itself), in relPath order. */
  filesIn(rootId: number, relDir: string): AsyncIterable<KnownFile>;
  /** Known files anywhere under `relDir` ("" = the whole root), in relPath order. */
  filesUnder(rootId: number, relDir: string): AsyncIterable<KnownFile>;
  /**
   * Adds or updates files, removes files, and records moves (a removed file that reappeared under
   * another path with the same content keeps its object id). Updates the virtual tree, the
   * container update ids and the SystemUpdateID exactly when something changed.
   */
  apply(changes: LibraryChanges): Promise<void>;
  /** Drops every file of roots that are no longer configured (rootId ≥ rootCount). */
  pruneRoots(rootCount: number): Promise<number>;
}

export interface LibraryChanges {
  upserts?: readonly IndexedFile[];
  removals?: readonly FileRef[];
  moves?: ReadonlyArray<{ from: FileRef; to: IndexedFile }>;
}

/**
 * What the indexer needs of metadata extraction (media/metadata implements it with music-metadata,
 * ffprobe, image-size and exifr, in worker threads up to the core count).
 */
export interface MetadataExtractor {
  /**
   * Reads one file's metadata. `siblings` are the other names in the same folder (for sidecar
   * subtitles and cover images). Never rejects for a broken file: it returns an IndexedFile with
   * `metadataError` set. Resolves null when the file is not a media file after all.
   */
  extract(
    absPath: string,
    file: FileRef & FileStat,
    siblings: readonly string[],
  ): Promise<IndexedFile | null>;
  /** Stops the workers. */
  close(): Promise<void>;
}
