import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ClassicLevel } from "classic-level";
import { describeError, HearthError } from "../../services/errors.js";
import { silentLog, type CatalogLog } from "./catalog-log.js";
import type { CatalogNamespace } from "./catalog-namespace.js";
import { LevelNamespace, type NamespaceHost } from "./level-namespace.js";
import { MetaStore } from "./meta-store.js";
import { openSublevel, type CatalogDb, type Sublevel } from "./open-sublevel.js";
import { WriteQueue, type WriteQueueStats } from "./write-queue.js";

export interface CatalogOptions {
  /** The database folder, e.g. <dataDir>/catalog; created (with its parents) when missing. */
  dir: string;
  log?: CatalogLog;
  /**
   * fsync every batch. Default false: an acknowledged write survives the process being killed
   * (it is in the kernel's page cache), but a power cut may lose the last few seconds of writes
   * (never tear a batch). True survives power cuts too, at the price of one SD-card flush per
   * batch. See README.md.
   */
  isSyncEveryBatch?: boolean;
}

/** Counters for the dashboard and tests; they only ever grow while the catalog is open. */
export interface CatalogStats extends WriteQueueStats {
  /** Reads that met a value which is not JSON and skipped it. */
  corruptValuesSkipped: number;
}

/** How many distinct corrupt keys get their own warning before the rest are only counted. */
const MAX_CORRUPT_KEYS_LOGGED = 100;

/**
 * The catalog: one LevelDB database (classic-level) holding every service's persistent state, one
 * namespace per service. The host opens it before starting services and closes it after they
 * stopped. Guarantees:
 * - writes from all namespaces issued in one event-loop turn are coalesced into one LevelDB batch;
 *   a write's promise resolves once its batch is in LevelDB's log;
 * - `batch()` and each migration step are atomic, also across a crash (one log record);
 * - an acknowledged write survives SIGKILL; see `CatalogOptions.isSyncEveryBatch` for power loss;
 * - nothing runs while nothing is written: no timers, no polling.
 */
export class Catalog {
  /** The absolute path of the database folder. */
  readonly dir: string;
  readonly #db: CatalogDb;
  readonly #log: CatalogLog;
  readonly #queue: WriteQueue;
  readonly #meta: MetaStore;
  readonly #host: NamespaceHost;
  readonly #sublevels = new Map<string, Sublevel>();
  readonly #namespaces = new Map<string, CatalogNamespace>();
  readonly #corruptKeysLogged = new Set<string>();
  #corruptValuesSkipped = 0;
  #closing: Promise<void> | undefined;

  private constructor(db: CatalogDb, dir: string, options: CatalogOptions) {
    this.dir = dir;
    this.#db = db;
    this.#log = options.log ?? silentLog;
    this.#queue = new WriteQueue(db, options.isSyncEveryBatch === true);
    this.#meta = new MetaStore(openSublevel(db, MetaStore.sublevelName));
    this.#host = {
      sublevel: (path) => this.#sublevel(path),
      queue: this.#queue,
      meta: this.#meta,
      log: this.#log,
      reportCorrupt: (namespace, key, cause) => this.#reportCorrupt(namespace, key, cause),
    };
  }

  /**
   * Opens (or creates) the database in `options.dir`. Rejects with an E_CATALOG HearthError, with
   * the LevelDB error as `cause`, when another process holds the database or it cannot be opened.
   */
  static async open(options: CatalogOptions): Promise<Catalog> {
    const dir = resolve(options.dir);
    const db: CatalogDb = new ClassicLevel<string, string>(dir, {
      keyEncoding: "utf8",
      valueEncoding: "utf8",
    });
    try {
      await db.open();
    } catch (err) {
      throw openError(dir, err);
    }
    options.log?.debug({ dir }, "catalog opened");
    return new Catalog(db, dir, options);
  }

  /** True until `close()` is called. */
  get isOpen(): boolean {
    return this.#closing === undefined;
  }

  get stats(): CatalogStats {
    return { ...this.#queue.stats, corruptValuesSkipped: this.#corruptValuesSkipped };
  }

  /**
   * The namespace of one service ("media", "pbx", "backup", "console", "host"): the same object
   * for the same name. Throws E_CATALOG for a name that is not lowercase letters, digits, ".", "_"
   * or "-"; use `sub()` for nested areas.
   */
  namespace(name: string): CatalogNamespace {
    if (name.includes("/")) {
      throw new HearthError("E_CATALOG", `"${name}" is not a valid catalog namespace name`, {
        fix: `open the top namespace and use sub() for nested areas`,
      });
    }
    let ns = this.#namespaces.get(name);
    if (ns === undefined) {
      ns = new LevelNamespace(this.#host, name);
      this.#namespaces.set(name, ns);
    }
    return ns;
  }

  /** Resolves once every write issued so far is acknowledged. */
  flush(): Promise<void> {
    return this.#queue.flush();
  }

  /**
   * Writes a consistent copy of the whole catalog as a new LevelDB database in `dir` (which must
   * not exist): every key as it was at one instant (an iterator's implicit snapshot), while
   * writes go on. hearth opens the copy like its own catalog, so restoring it is moving a folder.
   * Resolves to the number of keys copied.
   */
  async copyTo(dir: string): Promise<number> {
    await this.#queue.flush();
    const copy = new ClassicLevel<string, string>(resolve(dir), {
      keyEncoding: "utf8",
      valueEncoding: "utf8",
      errorIfExists: true,
    });
    await copy.open();
    let count = 0;
    try {
      let batch = copy.batch();
      for await (const [key, value] of this.#db.iterator()) {
        batch.put(key, value);
        count += 1;
        if (batch.length >= 1000) {
          await batch.write();
          batch = copy.batch();
        }
      }
      await batch.write();
    } finally {
      await copy.close();
    }
    return count;
  }

  /** Bytes used by the database folder (log, tables, manifest); for the dashboard. */
  async sizeBytes(): Promise<number> {
    const entries = await readdir(this.dir, { withFileTypes: true });
    const sizes = await Promise.all(
      entries
        .filter((entry) => entry.isFile())
        .map((entry) =>
          stat(join(this.dir, entry.name)).then(
            (info) => info.size,
            (err: NodeJS.ErrnoException) => {
              // Compaction deletes table files between readdir and stat; a gone file is 0 bytes.
              if (err.code === "ENOENT") return 0;
              throw err;
            },
          ),
        ),
    );
    return sizes.reduce((sum, size) => sum + size, 0);
  }

  /**
   * Writes everything pending, syncs it to the card, and closes the database. Writes issued after
   * this call reject with E_CATALOG. Idempotent: later calls return the same promise.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    try {
      await this.#queue.close([this.#meta.closedOp(new Date())]);
      if (this.#queue.stats.batchesWritten > 0) await this.#flushMemtable();
    } finally {
      // Close even when the last write failed: the lock must go so a restart can reopen.
      await this.#db.close();
    }
    this.#log.debug({ dir: this.dir }, "catalog closed");
  }

  /**
   * Writes LevelDB's in-memory table to a table file now, so the next open finds an empty log.
   * Otherwise every start after a stop replays the last session's writes into a new table: 0.5-1.5
   * MiB written by a restart that changed nothing (measured at 20 000 files), wear an SD card
   * pays at every boot. LevelDB's CompactRange always flushes the memtable first; an empty key
   * range (no key sorts below "\x00") compacts nothing else. Best effort: when it fails, the next
   * open replays the log as before.
   */
  async #flushMemtable(): Promise<void> {
    try {
      await this.#db.compactRange("\x00", "\x00");
    } catch (err) {
      this.#log.warn(
        { err, dir: this.dir },
        "catalog: could not flush before close; the next start replays its log",
      );
    }
  }

  #sublevel(path: string): Sublevel {
    let sublevel = this.#sublevels.get(path);
    if (sublevel === undefined) {
      sublevel = openSublevel(this.#db, path);
      this.#sublevels.set(path, sublevel);
    }
    return sublevel;
  }

  #reportCorrupt(namespace: string, key: string, cause: unknown): void {
    this.#corruptValuesSkipped += 1;
    const id = `${namespace}\u0000${key}`;
    const logged = this.#corruptKeysLogged;
    if (logged.has(id) || logged.size > MAX_CORRUPT_KEYS_LOGGED) return;
    logged.add(id);
    if (logged.size > MAX_CORRUPT_KEYS_LOGGED) {
      this.#log.warn({ namespace }, "more corrupt catalog values; counting them without logging");
      return;
    }
    this.#log.warn(
      { namespace, key, err: describeError(cause) },
      "catalog value is not valid JSON; skipping it until the key is written again",
    );
  }
}

function openError(dir: string, cause: unknown): HearthError {
  // abstract-level wraps the LevelDB error in LEVEL_DATABASE_NOT_OPEN; the reason is its cause.
  const inner = (cause as { cause?: unknown }).cause ?? cause;
  const code = (inner as { code?: unknown } | undefined)?.code;
  if (code === "LEVEL_LOCKED") {
    return new HearthError(
      "E_CATALOG",
      `another hearth is already using ${dir}; stop it or point --data elsewhere`,
      {
        cause,
        fix: "stop the other hearth (systemctl stop hearth) or start this one with --data <another folder>",
      },
    );
  }
  if (code === "LEVEL_CORRUPTION") {
    return new HearthError("E_CATALOG", `the catalog in ${dir} is damaged and cannot be opened`, {
      cause,
      fix: "restore the catalog folder from a backup, or move it aside to let hearth rebuild it",
    });
  }
  const reason = describeError(inner);
  return new HearthError("E_CATALOG", `cannot open the catalog in ${dir}: ${reason}`, {
    cause,
    fix: "check that the data folder exists, hearth's user can write to it, and the disk is not full",
  });
}
