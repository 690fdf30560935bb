/**
 * The part of the catalog one service owns. Keys are plain strings ordered byte-wise (UTF-8), so
 * design them for range reads ("album/<sortkey>/<id>"). Values are JSON. A namespace never sees
 * another's keys, its sub-namespaces' keys or the catalog's own schema records.
 *
 * Reads see every write whose promise has resolved; a write still pending may or may not be seen.
 */
/** How `entryPages` reads. */
export interface EntryPageOptions {
  /**
   * Looks at a value's stored JSON text before it is parsed; a value it refuses is skipped (and
   * does not count towards the range's limit). For scans that can rule most values out by their
   * text, such as a Search for a word, where parsing every record was most of the cost.
   */
  keepText?: (json: string) => boolean;
}

export interface CatalogNamespace {
  /** "media", or "media/thumbs" for a sub-namespace. */
  readonly name: string;
  /** The stored value, or undefined when the key is absent (or its value is corrupt; logged once). */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Several keys in one read; undefined where absent. */
  getMany<T = unknown>(keys: readonly string[]): Promise<Array<T | undefined>>;
  /**
   * Resolves once the write is in LevelDB's log (acknowledged): it survives the process being
   * killed. Writes issued in the same event-loop turn share one LevelDB batch. Rejects with a
   * TypeError when the value has no JSON form (undefined, a function, a BigInt, a cycle).
   */
  put(key: string, value: unknown): Promise<void>;
  /** Resolves once the delete is acknowledged, like `put`. Deleting an absent key is fine. */
  del(key: string): Promise<void>;
  /** All operations land together or not at all, even across a crash. */
  batch(ops: readonly CatalogOp[]): Promise<void>;
  /** Ordered range read from a consistent snapshot. Corrupt values are logged once and skipped. */
  entries<T = unknown>(range?: CatalogRange): AsyncIterable<[string, T]>;
  /**
   * `entries` in arrays of up to `pageSize` (never empty): one native read and one await per
   * page instead of per entry, for scans over tens of thousands of keys (a Search).
   */
  entryPages<T = unknown>(
    range: CatalogRange,
    pageSize: number,
    options?: EntryPageOptions,
  ): AsyncIterable<Array<[string, T]>>;
  keys(range?: CatalogRange): AsyncIterable<string>;
  /**
   * Deletes every key in the range that exists when the call starts, in batches of a few hundred
   * keys (each batch atomic, the whole clear not); returns how many.
   */
  clear(range?: CatalogRange): Promise<number>;
  /** A nested namespace "<this>/<name>", for a service's own sub-areas. */
  sub(name: string): CatalogNamespace;
  /**
   * Brings this namespace's data to the newest schema version. A service calls it once in
   * `start()`, before it reads its data. Migrations whose version is above the stored one run in
   * ascending order; each one's writes land in one batch together with its version bump. A
   * migration that throws leaves the stored version where it was and rejects with an E_CATALOG
   * HearthError (cause = the thrown error). A stored version above every version given means a
   * newer hearth wrote the data: it rejects with E_CATALOG telling the user to upgrade, and
   * nothing is written. Resolves to the version now stored (0 for a namespace never migrated).
   */
  migrate(migrations: readonly CatalogMigration[]): Promise<number>;
}

/**
 * One step of a namespace's schema. `up` receives the same namespace with two differences: its
 * writes (put/del/batch/clear) resolve at once and are buffered until `up` resolves, then land with
 * the version bump in one batch; its reads see the data as it was before this migration. Keep a
 * migration's writes to what fits in memory (tens of thousands of keys are fine).
 */
export interface CatalogMigration {
  /** 1, 2, 3…: positive integers, unique within a namespace's list. */
  readonly version: number;
  /** A few words for the journal: "thumbnails keyed by content hash". */
  readonly description?: string;
  up(ns: CatalogNamespace): Promise<void>;
}

export type CatalogOp = { type: "put"; key: string; value: unknown } | { type: "del"; key: string };

export interface CatalogRange {
  gt?: string;
  gte?: string;
  lt?: string;
  lte?: string;
  /**
   * Only keys starting with this string: shorthand for gte: prefix, lt: prefix + U+10FFFF (the
   * highest code point). Explicit bounds given with it narrow the range further.
   */
  prefix?: string;
  /** At most this many entries; absent or Infinity for all. */
  limit?: number;
  /** Descending key order. */
  reverse?: boolean;
}
