import type { Logger } from "pino";
import { ChangeBatcher, type BatchCounts } from "./change-batcher.js";
import { ExtractStage } from "./extract-stage.js";
import { diffFolder, sidecarReextract, type FolderDiff } from "./folder-diff.js";
import type { FsPort } from "./fs-port.js";
import type { KnownFile, LibraryStore, MetadataExtractor } from "./indexer-ports.js";
import type { LiveWatcher } from "./live-watcher.js";
import { MoveMatcher } from "./move-matcher.js";
import type { NameFilter } from "./name-filter.js";
import type { ProblemLog } from "./problem-log.js";
import type { RejectedFiles } from "./rejected-files.js";
import type { ScanProgress } from "./scan-progress.js";
import type { SettleTracker } from "./settle-tracker.js";
import { parentOf, sweepSubtree } from "./subtree-sweep.js";
import { TreeWalker, type FolderListing } from "./tree-walker.js";

/** One piece of work in a pass: a folder alone, or a folder and everything below it. */
export interface PassOp {
  relDir: string;
  recursive: boolean;
  /** Names live events reported in this folder (sidecar detection); null when unknown. */
  hints: ReadonlySet<string> | null;
}

/** Everything a pass works with; the root's long-lived state comes in from RootRuntime. */
export interface IndexPassOptions {
  rootId: number;
  rootPath: string;
  library: LibraryStore;
  extractor: MetadataExtractor;
  fs: FsPort;
  filter: NameFilter;
  isMediaName: (name: string) => boolean;
  problems: ProblemLog;
  progress: ScanProgress;
  settle: SettleTracker;
  rejected: RejectedFiles;
  /** The root's folder watches; null when it is not watched (network filesystem). */
  watcher: LiveWatcher | null;
  log: Logger;
  signal: AbortSignal;
  extractConcurrency: number;
  batchSize?: number;
  /** Re-read metadata of unchanged files too (`scan({ full: true })`). */
  reextractAll: boolean;
  /** Asked again before removals are applied: a disk unmounted mid-pass must not empty the library. */
  isRootAvailable: () => Promise<boolean>;
}

/** What a pass did. */
export interface PassOutcome {
  counts: BatchCounts;
  failed: number;
  /** Media files the pass looked at. */
  filesSeen: number;
  /** Folders with files still being written, and when (epoch ms) to look at them again. */
  deferred: Map<string, number>;
  /** False when the pass was aborted (close) or a catalog write failed. */
  completed: boolean;
}

/**
 * One reconciliation of part of a root with the catalog. Order matters for identity: first the
 * sweeps of whole subtrees find vanished folders, then single folders are diffed, and only then
 * are new files extracted, so a new file can be matched to a removal seen anywhere before it.
 * Removals are applied last, after every match had its chance. Streaming throughout: one folder
 * listing at a time, a bounded number of extractions in flight, batched atomic applies.
 */
export class IndexPass {
  readonly #o: IndexPassOptions;
  readonly #abort = new AbortController();
  readonly #walker: TreeWalker;
  readonly #matcher = new MoveMatcher();
  readonly #batcher: ChangeBatcher;
  readonly #extract: ExtractStage;
  readonly #visited = new Set<string>();
  /** Folders walked recursively: the pass's recursive ops, plus new subfolders found on the way. */
  readonly #trees: string[] = [];
  readonly #swept = new Set<string>();
  readonly #liveFolders = new Set<string>();
  #filesSeen = 0;

  constructor(options: IndexPassOptions) {
    this.#o = options;
    // The pass's own signal: aborted by close() through the indexer's, and at the pass's end
    // (which stops a background pre-count). Not AbortSignal.any, whose dependants can linger.
    const signal = this.#abort.signal;
    options.signal.addEventListener("abort", this.#onClose, { once: true });
    const watcher = options.watcher;
    const onFolder = watcher === null ? undefined : (relDir: string) => watcher.watch(relDir);
    this.#walker = new TreeWalker(options.rootPath, { ...options, signal, onFolder });
    this.#batcher = new ChangeBatcher(options.library, { batchSize: options.batchSize });
    this.#extract = new ExtractStage({
      ...options,
      matcher: this.#matcher,
      batcher: this.#batcher,
      signal,
      isStopped: () => this.#stopped,
    });
  }

  async run(ops: readonly PassOp[]): Promise<PassOutcome> {
    try {
      for (const op of ops) if (op.recursive) await this.#sweep(op.relDir, true);
      const held: Array<[FolderListing, FolderDiff]> = [];
      for (const op of ops) if (!op.recursive) await this.#diffAlone(op, held);
      for (const [listing, diff] of held) await this.#extract.submit(listing, diff);
      for (const relDir of this.#trees) await this.#walkTree(relDir);
      await this.#extract.drain();
      if (!this.#stopped && (await this.#o.isRootAvailable())) await this.#removeLeftovers();
      if (!this.#stopped) this.#pruneWatches();
      await this.#batcher.flush();
      return this.#outcome();
    } finally {
      this.#o.signal.removeEventListener("abort", this.#onClose);
      this.#abort.abort();
    }
  }

  readonly #onClose = (): void => this.#abort.abort();

  get #stopped(): boolean {
    return this.#o.signal.aborted || this.#batcher.hasFailed;
  }

  /** Reads what the catalog has under `relDir` before anything is extracted (see sweepSubtree). */
  async #sweep(relDir: string, walk: boolean): Promise<void> {
    if (walk) this.#trees.push(relDir);
    for (let dir = relDir; ; dir = parentOf(dir)) {
      if (this.#swept.has(dir)) return;
      if (dir === "") break;
    }
    this.#swept.add(relDir);
    const o = this.#o;
    const swept = await sweepSubtree(relDir, { ...o, matcher: this.#matcher });
    // Folders that should be walked; ones left unvisited are gone by the end (see removeLeftovers).
    if (walk) for (const dir of swept.liveFolders) this.#liveFolders.add(dir);
    if (swept.knownCount > 0) o.progress.estimate(swept.knownCount);
    else if (relDir === "") {
      // A first scan: a readdir-only count gives the ETA a total while the real walk goes on.
      void this.#walker.countMedia("").then(
        (n) => o.progress.estimate(n),
        // Without a count the first scan just shows no ETA.
        (err: unknown) => o.log.debug({ err }, "pre-count of the first scan failed"),
      );
    }
  }

  /** A changed folder, non-recursively. A folder that vanished meanwhile becomes a removed subtree. */
  async #diffAlone(op: PassOp, held: Array<[FolderListing, FolderDiff]>): Promise<void> {
    if (this.#stopped) return;
    const listing = await this.#walker.list(op.relDir);
    if (listing === "gone") {
      this.#o.watcher?.unwatchTree(op.relDir);
      return this.#sweep(op.relDir, false);
    }
    if (listing === "failed") return;
    this.#visited.add(op.relDir);
    await this.#subfolders(listing);
    held.push([listing, await this.#diff(listing, sidecarReextract(op.hints))]);
  }

  /**
   * The watcher knows a live root's folders: a subfolder it does not know is new (walk it, files
   * written before its watch existed included), a known one missing from the listing is gone.
   */
  async #subfolders(listing: FolderListing): Promise<void> {
    const watcher = this.#o.watcher;
    if (watcher === null) return;
    const pathOf = (name: string) => (listing.relDir === "" ? name : `${listing.relDir}/${name}`);
    const present = new Set(listing.subdirs);
    for (const name of watcher.childrenOf(listing.relDir)) {
      if (present.has(name)) continue;
      watcher.unwatchTree(pathOf(name));
      await this.#sweep(pathOf(name), false);
    }
    for (const name of listing.subdirs)
      if (!watcher.has(pathOf(name))) await this.#sweep(pathOf(name), true);
  }

  async #walkTree(relDir: string): Promise<void> {
    for await (const listing of this.#walker.walk(relDir)) {
      if (this.#stopped) break;
      this.#visited.add(listing.relDir);
      await this.#extract.submit(listing, await this.#diff(listing, null));
    }
  }

  async #diff(
    listing: FolderListing,
    reextract: ((name: string) => boolean) | null,
  ): Promise<FolderDiff> {
    const o = this.#o;
    const known = new Map<string, KnownFile>();
    for await (const file of o.library.filesIn(o.rootId, listing.relDir)) {
      known.set(file.relPath.slice(file.relPath.lastIndexOf("/") + 1), file);
    }
    const diff = diffFolder(listing, known, o.reextractAll ? () => true : reextract);
    // A folder the sweep thought gone can be back (recreated mid-pass): its files are not removals.
    for (const file of listing.files) {
      const old = known.get(file.name);
      if (old !== undefined) this.#matcher.cancel(old.relPath);
    }
    for (const file of diff.gone) this.#matcher.add(file);
    this.#filesSeen += listing.files.length;
    o.progress.filesSeen += listing.files.length;
    o.progress.processed(diff.unchanged);
    return diff;
  }

  /** Files of folders the walk no longer reaches, and gone files nobody moved to: removals. */
  async #removeLeftovers(): Promise<void> {
    const o = this.#o;
    for (const dir of this.#liveFolders) {
      if (this.#visited.has(dir) || this.#isProtected(dir)) continue;
      for await (const file of o.library.filesIn(o.rootId, dir)) this.#matcher.add(file);
    }
    for (const file of [...this.#matcher.remaining()]) {
      if (this.#isProtected(parentOf(file.relPath))) continue;
      await this.#batcher.remove(file);
    }
  }

  /** Watches of folders the walks no longer reach (gone, excluded, behind a loop) are closed. */
  #pruneWatches(): void {
    const watcher = this.#o.watcher;
    if (watcher === null) return;
    const keep = (dir: string): boolean => this.#visited.has(dir) || this.#isProtected(dir);
    for (const tree of this.#trees) {
      if (keep(tree)) watcher.prune(tree, keep);
      else watcher.unwatchTree(tree);
    }
  }

  /** Under a folder that could not be read: what the catalog has there is kept, not removed. */
  #isProtected(relDir: string): boolean {
    for (let dir = relDir; ; dir = parentOf(dir)) {
      if (this.#walker.failed.has(dir)) return true;
      if (dir === "") return false;
    }
  }

  #outcome(): PassOutcome {
    this.#extract.report();
    return {
      counts: this.#batcher.counts,
      failed: this.#extract.failed,
      filesSeen: this.#filesSeen,
      deferred: this.#extract.deferred,
      completed: !this.#stopped,
    };
  }
}
