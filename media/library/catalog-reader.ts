import type {
  CatalogNamespace,
  CatalogRange,
  EntryPageOptions,
} from "../../storage/catalog/catalog-namespace.js";

/** Catalog reads made by a Library, for tests and the dashboard; they only ever grow. */
export interface LibraryReadStats {
  /** Keys read one by one (get/getMany), misses included. */
  pointReads: number;
  /** Range reads started (one per LevelDB iterator). */
  rangeReads: number;
  /** Entries those range reads returned. */
  keysScanned: number;
}

/**
 * The library's only way to read its namespace: counts every read, so a test can prove that a
 * Browse page comes from the cache without scanning.
 */
export class CatalogReader {
  readonly #ns: CatalogNamespace;
  readonly #stats: LibraryReadStats = { pointReads: 0, rangeReads: 0, keysScanned: 0 };

  constructor(ns: CatalogNamespace) {
    this.#ns = ns;
  }

  get stats(): LibraryReadStats {
    return { ...this.#stats };
  }

  async getMany<T>(keys: readonly string[]): Promise<Array<T | undefined>> {
    if (keys.length === 0) return [];
    this.#stats.pointReads += keys.length;
    return this.#ns.getMany<T>(keys);
  }

  async *entries<T>(range: CatalogRange): AsyncGenerator<[string, T]> {
    this.#stats.rangeReads += 1;
    for await (const entry of this.#ns.entries<T>(range)) {
      this.#stats.keysScanned += 1;
      yield entry;
    }
  }

  async *entryPages<T>(
    range: CatalogRange,
    pageSize: number,
    options?: EntryPageOptions,
  ): AsyncGenerator<Array<[string, T]>> {
    this.#stats.rangeReads += 1;
    for await (const page of this.#ns.entryPages<T>(range, pageSize, options)) {
      this.#stats.keysScanned += page.length;
      yield page;
    }
  }

  async *keys(range: CatalogRange): AsyncGenerator<string> {
    this.#stats.rangeReads += 1;
    for await (const key of this.#ns.keys(range)) {
      this.#stats.keysScanned += 1;
      yield key;
    }
  }
}
