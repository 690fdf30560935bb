import type { FileRef, IndexedFile } from "../../../../media/library/media-types.js";
import type {
  KnownFile,
  LibraryChanges,
  LibraryStore,
} from "../../../../media/indexer/indexer-ports.js";

/**
 * TEST DOUBLE of hearth's own LibraryStore port (media/indexer/indexer-ports.ts), not of a real
 * peer: an in-memory map with the port's contract (stable ids, atomic apply, relPath order). The
 * real Library lives in media/library and is exercised by the integration test.
 */
export class MemoryLibrary implements LibraryStore {
  readonly files = new Map<string, { id: string; file: IndexedFile }>();
  /** Every apply, in order; tests count them for "an unchanged rescan writes nothing". */
  readonly applied: LibraryChanges[] = [];
  /** When set, the next apply throws it (a catalog that refuses a write). */
  failNextApply: Error | null = null;
  #nextId = 1;

  async *filesIn(rootId: number, relDir: string): AsyncIterable<KnownFile> {
    for (const known of this.#sorted(rootId)) if (parentOf(known.relPath) === relDir) yield known;
  }

  async *filesUnder(rootId: number, relDir: string): AsyncIterable<KnownFile> {
    for (const known of this.#sorted(rootId)) {
      if (relDir === "" || known.relPath.startsWith(`${relDir}/`)) yield known;
    }
  }

  async apply(changes: LibraryChanges): Promise<void> {
    if (this.failNextApply !== null) {
      const err = this.failNextApply;
      this.failNextApply = null;
      throw err;
    }
    for (const { from } of changes.moves ?? []) {
      if (!this.files.has(key(from))) throw new Error(`move from unknown file ${from.relPath}`);
    }
    this.applied.push(changes);
    for (const ref of changes.removals ?? []) this.files.delete(key(ref));
    for (const { from, to } of changes.moves ?? []) {
      const id = this.files.get(key(from))?.id as string;
      this.files.delete(key(from));
      this.files.set(key(to), { id, file: to });
    }
    for (const file of changes.upserts ?? []) {
      const id = this.files.get(key(file))?.id ?? `id${this.#nextId++}`;
      this.files.set(key(file), { id, file });
    }
  }

  async pruneRoots(rootCount: number): Promise<number> {
    let pruned = 0;
    for (const [k, { file }] of this.files) {
      if (file.rootId >= rootCount) pruned += Number(this.files.delete(k));
    }
    return pruned;
  }

  /** Sorted relPaths of a root: what tests compare. */
  paths(rootId = 0): string[] {
    return this.#sorted(rootId).map((k) => k.relPath);
  }

  idOf(relPath: string, rootId = 0): string | undefined {
    return this.files.get(key({ rootId, relPath }))?.id;
  }

  get(relPath: string, rootId = 0): IndexedFile | undefined {
    return this.files.get(key({ rootId, relPath }))?.file;
  }

  #sorted(rootId: number): KnownFile[] {
    const known: KnownFile[] = [];
    for (const { id, file } of this.files.values()) {
      if (file.rootId !== rootId) continue;
      const { relPath, sizeBytes, mtimeMs } = file;
      known.push({ id, rootId, relPath, sizeBytes, mtimeMs });
    }
    return known.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  }
}

function key(ref: FileRef): string {
  return `${ref.rootId}\0${ref.relPath}`;
}

function parentOf(relPath: string): string {
  const slash = relPath.lastIndexOf("/");
  return slash < 0 ? "" : relPath.slice(0, slash);
}
