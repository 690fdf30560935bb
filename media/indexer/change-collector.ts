import { mediaNames } from "./media-names.js";
import type { PassOp } from "./index-pass.js";
import { parentOf } from "./subtree-sweep.js";

export interface ChangeCollectorOptions {
  /** Quiet time after the last event before the collected folders are reconciled. */
  quietMs: number;
  /** A continuous stream of events (a long copy) still gets reconciled this often. */
  maxWaitMs: number;
  /** Called when collected work is ready to be taken; the owner queues a pass that calls take(). */
  onReady: () => void;
}

/**
 * Turns a root's stream of filesystem events into folder work. Events are not trusted one by one
 * (inotify drops them under load, and a folder copied in is often filled before its watch exists):
 * they only say which folders to look at. After a burst, once it has been quiet for `quietMs`,
 * the touched folders are rescanned; the pass walks the subfolders they gained (every file of a
 * copied folder shows up) and removes the ones they lost. `tree()` asks for whole subtrees (the
 * periodic rescan of folders inotify could not watch). Folders with files still being written
 * come back when the settle check said. Timers run only while there is work: idle is idle.
 */
export class ChangeCollector {
  readonly #o: ChangeCollectorOptions;
  /** Changed folders → sidecar names events mentioned (for re-reading the files they belong to). */
  #changed = new Map<string, Set<string>>();
  #trees = new Set<string>();
  readonly #deferred = new Map<string, number>();
  #firstAt = 0;
  #lastAt = 0;
  #quietTimer: NodeJS.Timeout | null = null;
  #deferTimer: { timer: NodeJS.Timeout; dueMs: number } | null = null;

  constructor(options: ChangeCollectorOptions) {
    this.#o = options;
  }

  /** Something changed directly in `relDir`; `name` is the entry the event named, when known. */
  changed(relDir: string, name: string | null): void {
    let names = this.#changed.get(relDir);
    if (names === undefined) this.#changed.set(relDir, (names = new Set()));
    if (name !== null && (mediaNames.isSubtitle(name) || mediaNames.isCover(name))) names.add(name);
    this.#touch();
  }

  /** Reconcile `relDir` and everything below it. */
  tree(relDir: string): void {
    this.#trees.add(relDir);
    this.#touch();
  }

  /** Look at `relDir` again at `dueMs` (files still being written there). */
  defer(relDir: string, dueMs: number): void {
    const earlier = this.#deferred.get(relDir);
    this.#deferred.set(relDir, earlier === undefined ? dueMs : Math.min(earlier, dueMs));
    if (this.#deferTimer !== null && this.#deferTimer.dueMs <= dueMs) return;
    if (this.#deferTimer !== null) clearTimeout(this.#deferTimer.timer);
    this.#armDeferTimer(dueMs);
  }

  /** True when changed or tree work waits (deferred folders count once they are due). */
  get hasWork(): boolean {
    return this.#changed.size > 0 || this.#trees.size > 0;
  }

  /** The collected work as pass operations, nested ones folded into their ancestors; resets. */
  take(): PassOp[] {
    const trees = topmost(this.#trees);
    const ops: PassOp[] = [...trees].map((relDir) => ({ relDir, recursive: true, hints: null }));
    for (const [relDir, names] of this.#changed) {
      if (!coveredBy(relDir, trees)) ops.push({ relDir, recursive: false, hints: names });
    }
    this.#changed = new Map();
    this.#trees = new Set();
    if (this.#quietTimer !== null) clearTimeout(this.#quietTimer);
    this.#quietTimer = null;
    return ops;
  }

  /** Drops changed and tree work (a complete scan of the root is about to cover it). */
  discard(): void {
    this.take();
  }

  close(): void {
    if (this.#quietTimer !== null) clearTimeout(this.#quietTimer);
    if (this.#deferTimer !== null) clearTimeout(this.#deferTimer.timer);
    this.#quietTimer = null;
    this.#deferTimer = null;
    this.#deferred.clear();
  }

  #touch(): void {
    const now = Date.now();
    if (this.#quietTimer === null) {
      this.#firstAt = now;
      this.#quietTimer = setTimeout(() => this.#quietCheck(), this.#o.quietMs).unref();
    }
    // Only a timestamp per event: a 4 GB copy produces tens of thousands of them.
    this.#lastAt = now;
  }

  #quietCheck(): void {
    const now = Date.now();
    const quietFor = now - this.#lastAt;
    const waited = now - this.#firstAt;
    if (quietFor < this.#o.quietMs && waited < this.#o.maxWaitMs) {
      const delay = Math.min(this.#o.quietMs - quietFor, this.#o.maxWaitMs - waited);
      this.#quietTimer = setTimeout(() => this.#quietCheck(), delay).unref();
      return;
    }
    this.#quietTimer = null;
    this.#o.onReady();
  }

  #armDeferTimer(dueMs: number): void {
    const delay = Math.max(0, dueMs - Date.now());
    const timer = setTimeout(() => this.#deferredDue(), delay + 1).unref();
    this.#deferTimer = { timer, dueMs };
  }

  #deferredDue(): void {
    this.#deferTimer = null;
    const now = Date.now();
    let next = Infinity;
    for (const [relDir, dueMs] of this.#deferred) {
      if (dueMs > now) next = Math.min(next, dueMs);
      else {
        this.#deferred.delete(relDir);
        if (!this.#changed.has(relDir)) this.#changed.set(relDir, new Set());
      }
    }
    if (next !== Infinity) this.#armDeferTimer(next);
    if (this.hasWork) this.#o.onReady();
  }
}

/** The folders of `dirs` that no other folder of `dirs` contains. */
function topmost(dirs: ReadonlySet<string>): Set<string> {
  const result = new Set<string>();
  for (const dir of dirs) if (!coveredBy(dir, dirs, true)) result.add(dir);
  return result;
}

/** True when `dir` or (with `strict`, only) one of its ancestors is in `trees`. */
function coveredBy(dir: string, trees: ReadonlySet<string>, strict = false): boolean {
  if (!strict && trees.has(dir)) return true;
  for (let up = dir; up !== "";) {
    up = parentOf(up);
    if (trees.has(up)) return true;
  }
  return false;
}
