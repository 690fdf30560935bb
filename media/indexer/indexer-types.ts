import type { Logger } from "pino";
import type { FsPort } from "./fs-port.js";
import type { LibraryStore, MetadataExtractor } from "./indexer-ports.js";
import type { WatcherFactory } from "./live-watcher.js";

/** One configured media root, as media.roots lists it. Its index in `roots` is its rootId. */
export interface IndexerRoot {
  /** Absolute folder; everything below it is indexed. */
  path: string;
  /** "music" | "video" | "pictures" | "mixed": informational here, the library uses it. */
  kind: string;
  /** Name patterns skipped under this root only, on top of IndexerOptions.exclude. */
  exclude?: readonly string[];
}

/** What the Indexer is built with. Construction does nothing; `start()` does the work. */
export interface IndexerOptions {
  roots: readonly IndexerRoot[];
  /** Globs on names (picomatch); a pattern with a "/" matches the path relative to its root. */
  exclude: readonly string[];
  /** Absolute folders never indexed, e.g. hearth's own data dir when it lives under a root. */
  skipPaths: readonly string[];
  /** Interval of the periodic rescans of network roots and of folders inotify could not watch. */
  rescanMinutes: number;
  library: LibraryStore;
  extractor: MetadataExtractor;
  log: Logger;
  /** Called after every pass that changed the catalog. A throwing listener is logged, not propagated. */
  onChange?: (summary: IndexerChangeSummary) => void;
  /**
   * Extractions in flight at once (most wait in the metadata pool's queue); default 64: enough
   * queued files to cover the walk's per-folder latency (readdir, stats, catalog reads), so the
   * pool never starves. With 4 the 20 000-file scan took ~10 % longer (measured).
   */
  extractConcurrency?: number;
  /** Changes per atomic `library.apply`; default 200. */
  batchSize?: number;
  /** Quiet time after a burst of filesystem events before the touched folders are rescanned. */
  quietMs?: number;
  /** A file is indexed only once its size and mtime have been still this long (copies in progress). */
  settleMs?: number;
  /** Which file names are worth a metadata call; default: media-names.ts. */
  isMediaName?: (name: string) => boolean;
  /** Seams for tests: the filesystem, fs.watch, and /proc/self/mountinfo. */
  fs?: FsPort;
  watcherFactory?: WatcherFactory;
  mountInfoPath?: string;
}

/** What `progress()` returns: cheap counters of the pass that runs now (or ran last). */
export interface IndexerProgress {
  phase: "idle" | "scanning" | "watching";
  /** Media files the walk has found so far in this pass. */
  filesSeen: number;
  /** Files whose outcome is settled: unchanged, extracted, deferred or failed. */
  filesProcessed: number;
  /** Files whose metadata could not be read (still listed as plain items) or whose extraction threw. */
  filesFailed: number;
  /** Files processed per second over the last few seconds. */
  ratePerSecond: number;
  /** Seconds left, from the previous scan's total or a pre-count; null while unknown. */
  etaSeconds: number | null;
  /** Path of the root being scanned; null when none is. */
  currentRoot: string | null;
}

/** How a root is kept current. */
export type WatchMode =
  /** inotify watches every folder: changes show up within seconds. */
  | "live"
  /** network filesystem (nfs, cifs, fuse.*): no events for remote changes, rescanned periodically. */
  | "periodic-network"
  /** the inotify watch limit was reached: live where watched, periodic rescans for the rest. */
  | "periodic-watch-limit"
  /** the root is missing or looks unmounted: nothing indexed or removed until it is back. */
  | "unavailable"
  /** not started yet, or closed. */
  | "off";

/** Something the user should know about a root. Logged once when it first appears. */
export interface RootProblem {
  kind: "unreadable" | "symlink-loop" | "bad-name" | "watch-limit" | "unavailable" | "watch-error";
  /** Path relative to the root ("" = the root itself). */
  relPath: string;
  message: string;
  /** What the user can do about it, when there is something. */
  fix?: string;
}

/** Per root, what `status()` returns. */
export interface RootStatus {
  rootId: number;
  path: string;
  kind: string;
  /** Filesystem type from /proc/self/mountinfo ("ext4", "nfs4", "fuse.rclone"); null if unknown. */
  fsType: string | null;
  watch: WatchMode;
  /** Folders with an inotify watch now (one each; the kernel's limit counts these). */
  watchedFolders: number;
  /** Topmost folders inotify could not watch (rescanned periodically); 0 when fully watched. */
  unwatchedFolders: number;
  /** ISO time the last complete scan of this root ended; null before the first. */
  lastScanAt: string | null;
  lastScanDurationMs: number | null;
  /** Media files the last complete scan found. */
  lastScanFiles: number | null;
  problems: RootProblem[];
}

/** What the catalog gained and lost in one pass; given to `onChange`. */
export interface IndexerChangeSummary {
  rootId: number;
  /** Why the pass ran: the start-up or a requested scan, live events, or a periodic rescan. */
  trigger: "scan" | "watch" | "periodic";
  added: number;
  updated: number;
  removed: number;
  moved: number;
  failed: number;
}

/** Arguments of `scan()`. */
export interface ScanRequest {
  /** Re-read every file's metadata even when size and mtime are unchanged. */
  full?: boolean;
  /** Only this root (its index in `roots`); default: every root. */
  root?: number;
}
