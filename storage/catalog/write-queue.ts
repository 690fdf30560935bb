import { HearthError } from "../../services/errors.js";
import type { CatalogDb, RawOp } from "./open-sublevel.js";

/** Where a namespace sends its encoded writes: the write queue, or a migration's buffer. */
export interface WriteSink {
  /** Resolves when the ops are acknowledged by whatever the sink stands for. */
  write(ops: readonly RawOp[]): Promise<void>;
}

/** Counters for tests and the dashboard; they only ever grow. */
export interface WriteQueueStats {
  /** LevelDB batches written (each one a single atomic log record). */
  batchesWritten: number;
  /** Operations inside those batches. */
  opsWritten: number;
}

/**
 * Batch options, shared and frozen. abstract-level copies a batch's options into each of its ops
 * (`{ ...options, ...op }`); with a fresh options object per batch V8 takes a slow path there:
 * ~11 µs and 1.8 KB of garbage per op instead of ~2 µs and 175 bytes (measured, classic-level 3
 * on Node 20). At 20 000 files that was 300 MB of the indexer's garbage and ~1.7 s of CPU.
 */
const SYNCED = Object.freeze({ sync: true });
const UNSYNCED = Object.freeze({ sync: false });

interface PendingWrite {
  ops: readonly RawOp[];
  resolve(): void;
  reject(err: Error): void;
}

/**
 * Coalesces every write issued in one event-loop turn into one LevelDB batch (group commit).
 * While a batch is being written, new writes gather and go out together as the next one, so a
 * burst of writes costs a few log appends, not one per key. At most one batch is in flight, so
 * batches land in the order their writes were issued.
 *
 * Each caller's ops stay inside one LevelDB batch, never split: that is what makes
 * `CatalogNamespace.batch` atomic. A write's promise resolves after LevelDB acknowledged the batch
 * that holds it, or rejects (with the whole batch) when LevelDB failed to write it.
 *
 * Idle is idle: the only scheduling is one `setImmediate` per burst, gone once it ran.
 */
export class WriteQueue implements WriteSink {
  /** Callers' writes are gathered until a batch holds at least this many ops. */
  static readonly targetOpsPerBatch = 2048;

  readonly #db: CatalogDb;
  readonly #isSync: boolean;
  #pending: PendingWrite[] = [];
  #immediate: NodeJS.Immediate | undefined;
  #isDraining = false;
  #isClosed = false;
  #hasUnsyncedWrites = false;
  #stats: WriteQueueStats = { batchesWritten: 0, opsWritten: 0 };

  /** `isSync`: fsync every batch (survives power loss; costs an SD-card flush per batch). */
  constructor(db: CatalogDb, isSync: boolean) {
    this.#db = db;
    this.#isSync = isSync;
  }

  get stats(): WriteQueueStats {
    return { ...this.#stats };
  }

  write(ops: readonly RawOp[]): Promise<void> {
    if (this.#isClosed) {
      return Promise.reject(
        new HearthError("E_CATALOG", "the catalog is closed; this write was not saved", {
          fix: "a service wrote after the catalog closed; it must finish its writes in stop()",
        }),
      );
    }
    return this.#enqueue(ops);
  }

  /** Resolves once every write issued so far is acknowledged (or failed). */
  flush(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    // An empty write queues behind everything issued so far and settles with the last of them.
    // Its rejection is dropped on purpose: the writers whose batch failed get the error.
    return this.#enqueue([]).catch(() => undefined);
  }

  /**
   * Refuses new writes, waits for the pending ones, then, when anything was written without
   * fsync, writes `closingOps` with sync so everything before them reaches the card: a clean stop
   * followed by pulling the plug loses nothing. Call once.
   */
  async close(closingOps: readonly RawOp[]): Promise<void> {
    this.#isClosed = true;
    await this.flush();
    if (this.#hasUnsyncedWrites && closingOps.length > 0) {
      await this.#db.batch([...closingOps], SYNCED);
      this.#hasUnsyncedWrites = false;
    }
  }

  #enqueue(ops: readonly RawOp[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ ops, resolve, reject });
      this.#schedule();
    });
  }

  #isIdle(): boolean {
    return this.#pending.length === 0 && !this.#isDraining && this.#immediate === undefined;
  }

  #schedule(): void {
    // A running drain picks new writes up when its batch is done. Otherwise wait with
    // setImmediate rather than a microtask: writes made after awaits that settle later in this
    // turn (several services reacting to one event) still join the same batch.
    if (this.#isDraining || this.#immediate !== undefined) return;
    this.#immediate = setImmediate(() => {
      this.#immediate = undefined;
      void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#isDraining = true;
    try {
      while (this.#pending.length > 0) await this.#writeGroup(this.#takeGroup());
    } finally {
      // Runs in the same synchronous step as the emptiness check above, so no write can slip in
      // between and be left without a scheduled drain.
      this.#isDraining = false;
    }
  }

  #takeGroup(): PendingWrite[] {
    let opCount = 0;
    let taken = 0;
    for (const write of this.#pending) {
      if (taken > 0 && opCount + write.ops.length > WriteQueue.targetOpsPerBatch) break;
      opCount += write.ops.length;
      taken += 1;
    }
    return this.#pending.splice(0, taken);
  }

  async #writeGroup(group: readonly PendingWrite[]): Promise<void> {
    const ops = group.flatMap((write) => write.ops);
    try {
      if (ops.length > 0) {
        await this.#db.batch(ops, this.#isSync ? SYNCED : UNSYNCED);
        this.#stats.batchesWritten += 1;
        this.#stats.opsWritten += ops.length;
        if (!this.#isSync) this.#hasUnsyncedWrites = true;
      }
    } catch (err) {
      const error = new HearthError("E_CATALOG", "could not write to the catalog", {
        cause: err,
        fix: "check that the data disk is not full or read-only (dmesg shows SD-card errors)",
      });
      for (const write of group) write.reject(error);
      return;
    }
    for (const write of group) write.resolve();
  }
}
