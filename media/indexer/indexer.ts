import { readFile } from "node:fs/promises";
import { describeError } from "../../services/errors.js";
import { errorCode, nodeFs } from "./fs-port.js";
import { IndexPass, type PassOp, type PassOutcome } from "./index-pass.js";
import type {
  IndexerChangeSummary,
  IndexerOptions,
  IndexerProgress,
  RootStatus,
  ScanRequest,
} from "./indexer-types.js";
import { mediaNames } from "./media-names.js";
import { MountTable } from "./mount-table.js";
import { RootRuntime, watchLimitFix } from "./root-runtime.js";
import { ScanProgress } from "./scan-progress.js";
import { ScanQueue, type ScanJob } from "./scan-queue.js";

/** See IndexerOptions.extractConcurrency. */
const DEFAULT_EXTRACT_CONCURRENCY = 64;

/**
 * Keeps the library (the catalog's `media` namespace) equal to what is on disk under the media
 * roots. `start()` forgets roots no longer configured and scans each root, watching its folders
 * as it goes; incremental by size+mtime, so an unchanged restart does no metadata work and no writes.
 * Afterwards live events are reconciled folder by folder; network roots and folders inotify could
 * not watch are rescanned every `rescanMinutes`. Passes run one at a time. On local disks nothing
 * runs while nothing changes: no polling, no timers.
 */
export class Indexer {
  readonly #o: IndexerOptions;
  readonly #roots: RootRuntime[];
  readonly #progress = new ScanProgress();
  // Progress counters restart whenever work arrives at an idle indexer.
  readonly #queue = new ScanQueue(
    (job) => this.#runJob(job),
    () => this.#progress.reset(),
  );
  readonly #abort = new AbortController();
  #state: "new" | "started" | "closed" = "new";
  #running: Promise<unknown> | null = null;
  #periodicTimer: NodeJS.Timeout | null = null;
  #limitLogged = false;
  #mounts = new MountTable([]);

  /** Does no I/O: the roots are only described until `start()`. */
  constructor(options: IndexerOptions) {
    this.#o = options;
    this.#roots = options.roots.map(
      (root, rootId) =>
        new RootRuntime({
          rootId,
          root,
          exclude: options.exclude,
          skipPaths: options.skipPaths,
          fs: options.fs ?? nodeFs,
          log: options.log.child({ root: root.path }),
          quietMs: options.quietMs ?? 1_000,
          settleMs: options.settleMs ?? 2_000,
          watcherFactory: options.watcherFactory,
          onWork: () => this.#queue.folders(rootId, "watch"),
          onLimit: (err) => this.#watchLimitReached(err),
        }),
    );
  }

  /**
   * Drops catalog files of roots no longer configured, reads the mount table, then scans every
   * root; folders are watched as the scan walks them, so nothing changed meanwhile is missed.
   * Resolves when the first scan is done (minutes on a big first run: call it without awaiting
   * it in a service's start; Browse serves the catalog meanwhile); resolves early if close() cuts
   * it short; rejects when a scan failed (the catalog refused a write).
   */
  async start(): Promise<void> {
    if (this.#state !== "new") throw new Error("Indexer.start() may be called once");
    this.#state = "started";
    const pruned = await this.#o.library.pruneRoots(this.#roots.length);
    if (pruned > 0)
      this.#o.log.info({ files: pruned }, "removed the files of media roots no longer configured");
    this.#mounts = await MountTable.read(this.#o.mountInfoPath);
    await Promise.all(this.#roots.map((root) => root.open(this.#mounts)));
    const scans = this.#roots.map((root) => this.#queue.scan(root.rootId, false, "scan"));
    this.#armPeriodic();
    try {
      await Promise.all(scans);
    } catch (err) {
      // Cut short by close(): not a failure of the scan, which the next start resumes.
      if (!this.#abort.signal.aborted) throw err;
    }
  }

  /**
   * Rescans every root (or `root`), incrementally unless `full`, which re-reads every file's
   * metadata. Resolves when done; rejects when the indexer closes first or the catalog refused a write.
   */
  async scan(request: ScanRequest = {}): Promise<void> {
    if (this.#state !== "started") throw new Error("the indexer is not running");
    const ids = request.root === undefined ? this.#roots.map((r) => r.rootId) : [request.root];
    if (ids.some((id) => this.#roots[id] === undefined))
      throw new RangeError(`no media root ${request.root}`);
    await Promise.all(ids.map((id) => this.#queue.scan(id, request.full === true, "scan")));
  }

  /** Resolves once no pass runs or waits (live events still in their quiet time not counted). */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  /** Cheap: counters only, no I/O. */
  progress(): IndexerProgress {
    const watching = this.#roots.some(
      (r) => r.mode === "live" || r.mode === "periodic-watch-limit",
    );
    // Busy from the moment a scan is asked for: `hearth scan --wait` stops at the first non-scanning answer.
    const phase = this.#queue.busy ? "scanning" : watching ? "watching" : "idle";
    return this.#progress.snapshot(phase);
  }

  /** Per root: how it is kept current, its last complete scan, and its problems. */
  status(): RootStatus[] {
    return this.#roots.map((root) => root.status());
  }

  /** Stops watchers, timers and the running pass (extractions in flight are abandoned). Idempotent. */
  async close(): Promise<void> {
    if (this.#state === "closed") return;
    this.#state = "closed";
    this.#abort.abort();
    this.#queue.close();
    if (this.#periodicTimer !== null) clearTimeout(this.#periodicTimer);
    this.#periodicTimer = null;
    for (const root of this.#roots) root.close();
    // The pass stops at its next check; what it already extracted is applied first.
    // Its failure, if any, was logged by #runJob.
    await this.#running?.catch(() => undefined);
  }

  async #runJob(job: ScanJob): Promise<void> {
    const root = this.#roots[job.rootId] as RootRuntime;
    if (this.#abort.signal.aborted || !(await this.#ensureAvailable(root))) return;
    const isScan = job.kind === "scan";
    if (isScan) root.collector.discard();
    const ops: PassOp[] = isScan
      ? [{ relDir: "", recursive: true, hints: null }]
      : root.collector.take();
    if (ops.length === 0) return;
    const startedAt = Date.now();
    if (isScan) root.problems.beginScan();
    this.#progress.begin(root.path);
    const pass = this.#pass(root, isScan && job.reextract).run(ops);
    this.#running = pass;
    try {
      const outcome = await pass;
      this.#finished(root, job, outcome, startedAt);
    } catch (err) {
      root.problems.abandonScan();
      this.#o.log.error(
        { root: root.path, err: describeError(err) },
        "indexing failed; the next scan retries",
      );
      if (isScan) throw err;
    } finally {
      this.#running = null;
      this.#progress.end();
    }
  }

  #pass(root: RootRuntime, reextractAll: boolean): IndexPass {
    const o = this.#o;
    return new IndexPass({
      rootId: root.rootId,
      rootPath: root.path,
      library: o.library,
      extractor: o.extractor,
      fs: o.fs ?? nodeFs,
      filter: root.filter,
      isMediaName: o.isMediaName ?? mediaNames.isMedia,
      problems: root.problems,
      progress: this.#progress,
      settle: root.settle,
      rejected: root.rejected,
      watcher: root.watcher,
      log: o.log.child({ root: root.path }),
      signal: this.#abort.signal,
      extractConcurrency: o.extractConcurrency ?? DEFAULT_EXTRACT_CONCURRENCY,
      batchSize: o.batchSize,
      reextractAll,
      isRootAvailable: () => root.isAvailable(o.library),
    });
  }

  #finished(root: RootRuntime, job: ScanJob, outcome: PassOutcome, startedAt: number): void {
    if (this.#abort.signal.aborted) return root.problems.abandonScan();
    for (const [relDir, dueMs] of outcome.deferred) root.collector.defer(relDir, dueMs);
    const summary: IndexerChangeSummary = {
      rootId: root.rootId,
      trigger: job.trigger,
      ...outcome.counts,
      failed: outcome.failed,
    };
    const changed = summary.added + summary.updated + summary.removed + summary.moved > 0;
    if (job.kind === "scan") {
      if (!outcome.completed) return root.problems.abandonScan();
      root.problems.endScan();
      const durationMs = Date.now() - startedAt;
      root.lastScan = { atMs: Date.now(), durationMs, files: outcome.filesSeen };
      // A network root is rescanned every rescanMinutes: only news goes to the journal.
      const level = job.trigger === "scan" || changed ? "info" : "debug";
      const facts = { root: root.path, files: outcome.filesSeen, durationMs, ...outcome.counts };
      this.#o.log[level]({ ...facts, failed: outcome.failed }, "media folder scanned");
    } else if (changed)
      this.#o.log.debug({ root: root.path, ...outcome.counts }, "media folder changes indexed");
    if (changed) this.#notify(summary);
  }

  #notify(summary: IndexerChangeSummary): void {
    try {
      this.#o.onChange?.(summary);
    } catch (err) {
      // A listener's bug must not stop indexing (STYLE: throwing listeners are logged).
      this.#o.log.error({ err: describeError(err) }, "an indexer change listener threw");
    }
  }

  /** A root that is missing or looks unmounted is skipped; one that came back is watched again. */
  async #ensureAvailable(root: RootRuntime): Promise<boolean> {
    const wasUnavailable = root.wasUnavailable;
    if (!(await root.isAvailable(this.#o.library))) return false;
    if (wasUnavailable) {
      this.#o.log.info({ root: root.path }, "media folder is available again");
      await root.open(this.#mounts);
    }
    return true;
  }

  #watchLimitReached(err: Error): void {
    this.#armPeriodic();
    if (this.#limitLogged) return;
    this.#limitLogged = true;
    this.#background(this.#logWatchLimit(err));
  }

  /** Logged once for all roots: the limit is the user's, not a root's. */
  async #logWatchLimit(err: Error): Promise<void> {
    const minutes = this.#o.rescanMinutes;
    // The current value only makes the message more useful; without /proc it is just unknown.
    const limit = await readFile("/proc/sys/fs/inotify/max_user_watches", "utf8").then(
      (text) => text.trim(),
      () => "unknown",
    );
    this.#o.log.warn(
      { code: errorCode(err), limit, rescanMinutes: minutes, fix: watchLimitFix },
      `inotify watch limit reached (fs.inotify.max_user_watches=${limit}): folders that could not be watched are rescanned every ${minutes} min instead of live`,
    );
  }

  /** One coalesced timer for all periodic work, armed only while some root needs it. */
  #armPeriodic(): void {
    if (this.#periodicTimer !== null || this.#state !== "started") return;
    if (!this.#roots.some((r) => r.mode === "periodic-network" || r.unwatched.size > 0)) return;
    const everyMs = Math.max(1, this.#o.rescanMinutes * 60_000);
    this.#periodicTimer = setTimeout(() => {
      this.#periodicTimer = null;
      this.#periodic();
      this.#armPeriodic();
    }, everyMs).unref();
  }

  #periodic(): void {
    for (const root of this.#roots) {
      if (root.mode === "periodic-network")
        this.#background(this.#queue.scan(root.rootId, false, "periodic"));
      else if (root.unwatched.size > 0) {
        for (const relDir of root.unwatched) root.collector.tree(relDir);
        this.#queue.folders(root.rootId, "periodic");
      }
    }
  }

  /** Background work logs its own failures; this only keeps a rejection from going unhandled. */
  #background(work: Promise<unknown>): void {
    work.catch((err: unknown) => {
      if (!this.#abort.signal.aborted)
        this.#o.log.debug(
          { err: describeError(err) },
          "background indexer work ended with an error",
        );
    });
  }
}
