/**
 * The part of the catalog one service owns. Keys are plain strings ordered byte-wise, so design
 * them for range reads ("album/<sortkey>/<id>"). Values are JSON. A namespace never sees another's
 * keys.
 */
export interface CatalogNamespace {
  readonly name: string;
  /** The stored value, or undefined when the key is absent. */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Several keys in one read; undefined where absent. */
  getMany<T = unknown>(keys: readonly string[]): Promise<Array<T | undefined>>;
  /** Resolves once the write is durable in LevelDB's log (acknowledged). */
  put(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  /** All operations land together or not at all, even across a crash. */
  batch(ops: readonly CatalogOp[]): Promise<void>;
  /** Ordered range read. */
  entries<T = unknown>(range?: CatalogRange): AsyncIterable<[string, T]>;
  keys(range?: CatalogRange): AsyncIterable<string>;
  /** Deletes every key in the range in batches; returns how many. */
  clear(range?: CatalogRange): Promise<number>;
  /** A nested namespace "<this>/<name>", for a service's own sub-areas. */
  sub(name: string): CatalogNamespace;
}

export type CatalogOp = { type: "put"; key: string; value: unknown } | { type: "del"; key: string };

export interface CatalogRange {
  gt?: string;
  gte?: string;
  lt?: string;
  lte?: string;
  /** Shorthand for gte: prefix, lt: prefix + "\uffff". */
  prefix?: string;
  limit?: number;
  reverse?: boolean;
}
