import { join } from "node:path";
import type { Logger } from "pino";
import type { IndexedFile } from "../library/media-types.js";
import { describeError } from "../../services/errors.js";
import type { ChangeBatcher } from "./change-batcher.js";
import { ExtractQueue } from "./extract-queue.js";
import type { Candidate, FolderDiff } from "./folder-diff.js";
import type { KnownFile, MetadataExtractor } from "./indexer-ports.js";
import type { MoveMatcher } from "./move-matcher.js";
import type { RejectedFiles } from "./rejected-files.js";
import type { ScanProgress } from "./scan-progress.js";
import type { SettleTracker } from "./settle-tracker.js";
import type { FolderListing } from "./tree-walker.js";

export interface ExtractStageOptions {
  rootId: number;
  rootPath: string;
  extractor: MetadataExtractor;
  settle: SettleTracker;
  rejected: RejectedFiles;
  progress: ScanProgress;
  log: Logger;
  extractConcurrency: number;
  matcher: MoveMatcher;
  batcher: ChangeBatcher;
  signal: AbortSignal;
  /** True once the pass must stop adding work (aborted, or a catalog write failed). */
  isStopped: () => boolean;
}

/**
 * The part of a pass that turns candidate files into catalog changes: files still being written
 * are deferred, files that continue a vanished one become moves (same object id), files the
 * extractor already refused are skipped, the rest are extracted with a bounded number in flight
 * and handed to the batcher as they come back.
 */
export class ExtractStage {
  /** Folders with files still being written, and when (epoch ms) to look at them again. */
  readonly deferred = new Map<string, number>();
  /** Files whose metadata failed (metadataError) or whose extraction threw. */
  failed = 0;
  readonly #o: ExtractStageOptions;
  readonly #queue: ExtractQueue;
  #threw: { count: number; first: string } | null = null;

  constructor(options: ExtractStageOptions) {
    this.#o = options;
    this.#queue = new ExtractQueue(options.extractConcurrency, options.signal, (err) =>
      this.#threwOn("(unknown file)", err),
    );
  }

  /** Queues a folder's candidates; waits only for free extraction slots. */
  async submit(listing: FolderListing, diff: FolderDiff): Promise<void> {
    const o = this.#o;
    const now = Date.now();
    for (const candidate of diff.candidates) {
      if (o.isStopped()) return;
      const due = o.settle.check(candidate.relPath, candidate.file, now);
      if (due !== true) {
        this.#defer(listing.relDir, due);
        continue;
      }
      const from = candidate.known ? undefined : o.matcher.take(candidate.relPath, candidate.file);
      if (from === undefined && o.rejected.has(candidate.relPath, candidate.file)) {
        o.progress.processed();
        continue;
      }
      await this.#queue.push(() => this.#extract(candidate, listing.names, from));
    }
  }

  /** Waits for the extractions in flight (not when the pass is aborted). */
  drain(): Promise<void> {
    return this.#queue.drain();
  }

  /** One log line for the files whose extraction threw, rather than one per file. */
  report(): void {
    if (this.#threw === null) return;
    const { count, first } = this.#threw;
    const message = "metadata extraction failed for some files; they are retried on the next scan";
    this.#o.log.warn({ count, first }, message);
  }

  #defer(relDir: string, dueMs: number): void {
    const earlier = this.deferred.get(relDir);
    this.deferred.set(relDir, earlier === undefined ? dueMs : Math.min(earlier, dueMs));
    this.#o.progress.processed();
  }

  async #extract(c: Candidate, siblings: readonly string[], from: KnownFile | undefined) {
    const o = this.#o;
    const { sizeBytes, mtimeMs } = c.file;
    const ref = { rootId: o.rootId, relPath: c.relPath, sizeBytes, mtimeMs };
    let result: IndexedFile | null;
    try {
      result = await o.extractor.extract(join(o.rootPath, c.relPath), ref, siblings);
    } catch (err) {
      if (o.isStopped()) return;
      this.#threwOn(c.relPath, err);
      // The old entry of a moved file points nowhere now; the new path is retried next scan.
      if (from !== undefined) await o.batcher.remove(from);
      return;
    }
    if (o.isStopped()) return;
    o.progress.processed();
    if (result === null) return this.#rejectedAfterAll(c, from);
    if (result.metadataError !== undefined) this.#countFailed();
    if (from !== undefined) await o.batcher.move(from, result);
    else await o.batcher.upsert(result, c.known === undefined);
  }

  /** The extractor says it is not media after all: remember that, and drop what it replaced. */
  async #rejectedAfterAll(c: Candidate, from: KnownFile | undefined): Promise<void> {
    this.#o.rejected.add(c.relPath, c.file);
    const old = from ?? c.known;
    if (old !== undefined) await this.#o.batcher.remove(old);
  }

  #threwOn(relPath: string, err: unknown): void {
    this.#o.progress.processed();
    this.#countFailed();
    this.#threw ??= { count: 0, first: `${relPath}: ${describeError(err)}` };
    this.#threw.count++;
  }

  #countFailed(): void {
    this.failed++;
    this.#o.progress.filesFailed++;
  }
}
