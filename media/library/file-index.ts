import type { KnownFile } from "../indexer/indexer-ports.js";
import { catalogKeys, type FileEntry } from "./catalog-keys.js";
import type { CatalogReader } from "./catalog-reader.js";

/**
 * The indexer's view of the library: known files by path ("f<rootId>/<relPath>" → [id, size,
 * mtime]), in relPath order (UTF-8 byte order, LevelDB's key order).
 */
export class FileIndex {
  readonly #reader: CatalogReader;

  constructor(reader: CatalogReader) {
    this.#reader = reader;
  }

  /**
   * Files directly in `relDir`. Skips each subfolder with one seek instead of reading its files,
   * so listing a root's top level does not scan the whole root.
   */
  async *filesIn(rootId: number, relDir: string): AsyncGenerator<KnownFile> {
    const prefix = dirPrefix(rootId, relDir);
    let from: string | undefined;
    for (;;) {
      let skipTo: string | undefined;
      for await (const [key, entry] of this.#reader.entries<FileEntry>({ prefix, gte: from })) {
        const rest = key.slice(prefix.length);
        const slash = rest.indexOf("/");
        if (slash >= 0) {
          // "0" is the character after "/": the first key past everything under this subfolder.
          skipTo = `${prefix}${rest.slice(0, slash)}0`;
          break;
        }
        const file = knownFile(rootId, key, entry);
        if (file !== undefined) yield file;
      }
      if (skipTo === undefined) return;
      from = skipTo;
    }
  }

  /** Files anywhere under `relDir` ("" = the whole root). */
  async *filesUnder(rootId: number, relDir: string): AsyncGenerator<KnownFile> {
    for await (const [key, entry] of this.#reader.entries<FileEntry>({
      prefix: dirPrefix(rootId, relDir),
    })) {
      const file = knownFile(rootId, key, entry);
      if (file !== undefined) yield file;
    }
  }

  /** The root indexes that have files, one seek per root. */
  async rootIds(): Promise<number[]> {
    const roots: number[] = [];
    let from = "f";
    for (;;) {
      let next: string | undefined;
      for await (const key of this.#reader.keys({ prefix: "f", gte: from, limit: 1 })) next = key;
      const rootId = next === undefined ? NaN : Number(next.slice(1, next.indexOf("/")));
      if (!Number.isSafeInteger(rootId)) return roots;
      roots.push(rootId);
      from = `f${rootId}0`;
    }
  }
}

function dirPrefix(rootId: number, relDir: string): string {
  const dir = relDir.replace(/^\/+|\/+$/g, "");
  return dir === "" ? catalogKeys.filePrefix(rootId) : catalogKeys.file(rootId, `${dir}/`);
}

function knownFile(rootId: number, key: string, entry: FileEntry): KnownFile | undefined {
  if (!Array.isArray(entry)) return undefined;
  const [id, sizeBytes, mtimeMs] = entry;
  return {
    rootId,
    relPath: key.slice(catalogKeys.filePrefix(rootId).length),
    id,
    sizeBytes,
    mtimeMs,
  };
}
