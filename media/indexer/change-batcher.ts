import type { FileRef, IndexedFile } from "../library/media-types.js";
import type { LibraryChanges, LibraryStore } from "./indexer-ports.js";

/** What one pass wrote to the catalog. */
export interface BatchCounts {
  added: number;
  updated: number;
  removed: number;
  moved: number;
}

export interface ChangeBatcherOptions {
  /** Changes per `library.apply`: few large batches write less than many small ones (SD wear). */
  batchSize?: number;
  /** A batch older than this is applied with the next change, so slow extraction still shows up. */
  maxDelayMs?: number;
}

/**
 * Collects a pass's catalog changes and hands them to `library.apply` in batches (each one atomic,
 * so a killed scan leaves the catalog consistent and the next scan just continues). Applies run one
 * at a time, in order; the promise an add returns waits only when it triggered a batch, which is
 * the pass's backpressure. The first failed apply is remembered and rethrown by `flush()`.
 */
export class ChangeBatcher {
  readonly counts: BatchCounts = { added: 0, updated: 0, removed: 0, moved: 0 };
  readonly #library: LibraryStore;
  readonly #batchSize: number;
  readonly #maxDelayMs: number;
  #upserts: IndexedFile[] = [];
  #removals: FileRef[] = [];
  #moves: Array<{ from: FileRef; to: IndexedFile }> = [];
  #added = 0;
  #firstAt = 0;
  #chain: Promise<void> = Promise.resolve();
  #error: unknown = undefined;

  constructor(library: LibraryStore, options: ChangeBatcherOptions = {}) {
    this.#library = library;
    this.#batchSize = options.batchSize ?? 200;
    this.#maxDelayMs = options.maxDelayMs ?? 2_000;
  }

  /** A new file (`isNew`) or a changed one. */
  upsert(file: IndexedFile, isNew: boolean): Promise<void> {
    this.#upserts.push(file);
    if (isNew) this.#added++;
    return this.#maybeApply();
  }

  move(from: FileRef, to: IndexedFile): Promise<void> {
    this.#moves.push({ from: refOf(from), to });
    return this.#maybeApply();
  }

  remove(file: FileRef): Promise<void> {
    this.#removals.push(refOf(file));
    return this.#maybeApply();
  }

  /** Applies what is pending and waits for every apply; rethrows the first failure. */
  async flush(): Promise<void> {
    this.#schedule();
    await this.#chain;
    if (this.#error !== undefined) throw this.#error;
  }

  /** True once an apply failed: the pass should stop adding work. */
  get hasFailed(): boolean {
    return this.#error !== undefined;
  }

  /**
   * Only the change that fills a batch waits for the applies (backpressure); the others return at
   * once, so extractions go on while a batch is written (they used to wait for every apply in
   * flight, and the metadata worker sat idle meanwhile).
   */
  #maybeApply(): Promise<void> {
    const pending = this.#upserts.length + this.#removals.length + this.#moves.length;
    if (pending === 1) this.#firstAt = Date.now();
    if (pending >= this.#batchSize || Date.now() - this.#firstAt >= this.#maxDelayMs) {
      this.#schedule();
      return this.#chain;
    }
    return Promise.resolve();
  }

  #schedule(): void {
    if (this.#upserts.length + this.#removals.length + this.#moves.length === 0) return;
    const changes: LibraryChanges = {
      ...(this.#upserts.length > 0 ? { upserts: this.#upserts } : {}),
      ...(this.#removals.length > 0 ? { removals: this.#removals } : {}),
      ...(this.#moves.length > 0 ? { moves: this.#moves } : {}),
    };
    const added = this.#added;
    this.#upserts = [];
    this.#removals = [];
    this.#moves = [];
    this.#added = 0;
    this.#chain = this.#chain.then(() => this.#apply(changes, added));
  }

  async #apply(changes: LibraryChanges, added: number): Promise<void> {
    if (this.#error !== undefined) return;
    try {
      await this.#library.apply(changes);
    } catch (err) {
      // Kept and rethrown by flush(); the batch is lost, which the next scan repairs.
      this.#error = err;
      return;
    }
    this.counts.added += added;
    this.counts.updated += (changes.upserts?.length ?? 0) - added;
    this.counts.removed += changes.removals?.length ?? 0;
    this.counts.moved += changes.moves?.length ?? 0;
  }
}

function refOf(file: FileRef): FileRef {
  return { rootId: file.rootId, relPath: file.relPath };
}
