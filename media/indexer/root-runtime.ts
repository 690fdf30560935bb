import { isAbsolute, relative, resolve } from "node:path";
import type { Logger } from "pino";
import { describeError } from "../../services/errors.js";
import { ChangeCollector } from "./change-collector.js";
import { errorCode, type FsPort } from "./fs-port.js";
import type { LibraryStore } from "./indexer-ports.js";
import type { IndexerRoot, RootStatus, WatchMode } from "./indexer-types.js";
import { LiveWatcher, type WatcherFactory, type WatchSink } from "./live-watcher.js";
import { MountTable } from "./mount-table.js";
import { NameFilter } from "./name-filter.js";
import { ProblemLog } from "./problem-log.js";
import { RejectedFiles } from "./rejected-files.js";
import { SettleTracker } from "./settle-tracker.js";
import { parentOf } from "./subtree-sweep.js";

export interface RootRuntimeOptions {
  rootId: number;
  root: IndexerRoot;
  exclude: readonly string[];
  skipPaths: readonly string[];
  fs: FsPort;
  log: Logger;
  quietMs: number;
  settleMs: number;
  watcherFactory?: WatcherFactory;
  /** Collected live work is ready: queue a folders pass for this root. */
  onWork: () => void;
  /** inotify ran out of watches under this root (the Indexer logs it once for all roots). */
  onLimit: (err: Error) => void;
}

/**
 * One root's long-lived state: where it really is, which filesystem holds it and so how it is
 * kept current (watched live, or rescanned periodically), its watcher and event collector, the
 * files still settling, and its problems. Passes come and go; this stays until close().
 */
export class RootRuntime implements WatchSink {
  readonly rootId: number;
  readonly problems: ProblemLog;
  readonly collector: ChangeCollector;
  readonly settle: SettleTracker;
  readonly rejected = new RejectedFiles();
  /** Topmost folders inotify could not watch; rescanned every rescanMinutes. */
  readonly unwatched = new Set<string>();
  filter: NameFilter;
  mode: WatchMode = "off";
  fsType: string | null = null;
  lastScan: { atMs: number; durationMs: number; files: number } | null = null;
  /** The folder watches of a live root; null for network roots and before open(). */
  watcher: LiveWatcher | null = null;
  readonly #o: RootRuntimeOptions;

  constructor(options: RootRuntimeOptions) {
    this.#o = options;
    this.rootId = options.rootId;
    this.problems = new ProblemLog(options.log);
    this.collector = new ChangeCollector({
      quietMs: options.quietMs,
      maxWaitMs: Math.max(5_000, options.quietMs * 5),
      onReady: options.onWork,
    });
    this.settle = new SettleTracker(options.settleMs);
    this.filter = new NameFilter([...options.exclude, ...(options.root.exclude ?? [])]);
  }

  get path(): string {
    return this.#o.root.path;
  }

  /**
   * Finds the root's real path and filesystem, and so whether it can be watched. A missing
   * root (an unplugged USB disk) is reported and left alone: nothing is removed from the catalog.
   */
  async open(mounts: MountTable): Promise<void> {
    let realPath: string;
    try {
      realPath = await this.#o.fs.realpath(this.path);
    } catch (err) {
      this.#unavailable(
        `media folder ${this.path} is missing (${errorCode(err) ?? describeError(err)})`,
      );
      return;
    }
    this.filter = new NameFilter(
      [...this.#o.exclude, ...(this.#o.root.exclude ?? [])],
      await this.#skipRelPaths(realPath),
    );
    this.fsType = mounts.mountOf(realPath)?.fsType ?? null;
    this.problems.clear("unavailable");
    if (this.fsType !== null && MountTable.isNetworkFs(this.fsType)) {
      this.mode = "periodic-network";
      this.#o.log.info(
        { fsType: this.fsType },
        "network filesystem: no live events for remote changes, rescanned periodically",
      );
      return;
    }
    this.mode = this.unwatched.size > 0 ? "periodic-watch-limit" : "live";
    // Folders are watched as the scans walk them (IndexPass), starting with the first scan.
    this.watcher?.close();
    this.watcher = new LiveWatcher({
      rootPath: this.path,
      filter: this.filter,
      sink: this,
      factory: this.#o.watcherFactory,
    });
  }

  /**
   * Checked before every pass: a missing root, or an empty one while the catalog holds files from
   * it, looks like an unmounted disk. Scanning it would remove the whole library, so it is skipped.
   */
  async isAvailable(library: LibraryStore): Promise<boolean> {
    let hasEntries: boolean;
    try {
      const dir = await this.#o.fs.opendir(this.path);
      hasEntries = (await dir.read()) !== null;
      await dir.close();
    } catch (err) {
      this.#unavailable(
        `media folder ${this.path} cannot be read (${errorCode(err) ?? describeError(err)})`,
      );
      return false;
    }
    if (!hasEntries && (await hasAny(library.filesUnder(this.rootId, "")))) {
      this.#unavailable(
        `media folder ${this.path} is empty but the catalog has files from it; is the disk mounted?`,
      );
      return false;
    }
    return true;
  }

  /** True when the root came back after being unavailable: the caller re-opens it. */
  get wasUnavailable(): boolean {
    return this.mode === "unavailable";
  }

  status(): RootStatus {
    return {
      rootId: this.rootId,
      path: this.path,
      kind: this.#o.root.kind,
      fsType: this.fsType,
      watch: this.mode,
      watchedFolders: this.watcher?.watchedCount ?? 0,
      unwatchedFolders: this.unwatched.size,
      lastScanAt: this.lastScan === null ? null : new Date(this.lastScan.atMs).toISOString(),
      lastScanDurationMs: this.lastScan?.durationMs ?? null,
      lastScanFiles: this.lastScan?.files ?? null,
      problems: this.problems.list(),
    };
  }

  close(): void {
    this.collector.close();
    this.watcher?.close();
    this.watcher = null;
    if (this.mode !== "unavailable") this.mode = "off";
  }

  // WatchSink: the folder watches' events.
  changed(relDir: string, name: string | null): void {
    this.collector.changed(relDir, name);
  }

  limitReached(relDir: string, err: Error): void {
    if (isWithin(relDir, this.unwatched)) return;
    for (const dir of this.unwatched)
      if (isWithin(dir, new Set([relDir]))) this.unwatched.delete(dir);
    this.unwatched.add(relDir);
    this.mode = "periodic-watch-limit";
    const message =
      "the inotify watch limit is reached: folders that could not be watched are rescanned periodically";
    this.problems.report({ kind: "watch-limit", relPath: "", message, fix: watchLimitFix }, true);
    this.#o.onLimit(err);
  }

  failed(err: Error): void {
    // One report per root: a failing watcher repeats itself.
    this.problems.report({
      kind: "watch-error",
      relPath: "",
      message: `watching failed: ${describeError(err)}`,
    });
  }

  #unavailable(message: string): void {
    this.mode = "unavailable";
    this.problems.report({
      kind: "unavailable",
      relPath: "",
      message: `${message}; nothing is indexed or removed until it is back`,
      fix: "Mount the disk or fix the path in media.roots, then run `hearth scan`.",
    });
  }

  /** Skip paths under this root, relative to it (compared as real paths, so spelling does not matter). */
  async #skipRelPaths(realRoot: string): Promise<string[]> {
    const rels: string[] = [];
    for (const skip of this.#o.skipPaths) {
      // A skip path that does not exist yet is compared as written.
      const real = await this.#o.fs.realpath(skip).catch(() => resolve(skip));
      for (const [base, target] of [
        [realRoot, real],
        [resolve(this.path), resolve(skip)],
      ] as const) {
        const rel = relative(base, target);
        if (rel !== "" && rel !== ".." && !rel.startsWith("../") && !isAbsolute(rel))
          rels.push(rel);
      }
    }
    return rels;
  }
}

/** The fix logged and shown with the inotify limit. */
export const watchLimitFix =
  "Raise the limit: echo fs.inotify.max_user_watches=524288 | sudo tee /etc/sysctl.d/60-hearth.conf && sudo sysctl --system";

/** True when `relDir` is one of `dirs` or lies below one of them ("" contains everything). */
function isWithin(relDir: string, dirs: ReadonlySet<string>): boolean {
  for (let dir = relDir; ; dir = parentOf(dir)) {
    if (dirs.has(dir)) return true;
    if (dir === "") return false;
  }
}

async function hasAny(files: AsyncIterable<unknown>): Promise<boolean> {
  for await (const _ of files) return true;
  return false;
}
