import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { MetadataExtractor } from "../indexer/indexer-ports.js";
import type { FileRef, FileStat, IndexedFile } from "../library/media-types.js";
import { HearthError } from "../../services/errors.js";
import { classifyName, type NameClass } from "./classify-name.js";
import { describeByName, withOutcome } from "./extract-file.js";
import type { JobRequest, WorkerConfig, WorkerMessage } from "./metadata-protocol.js";
import type { ProbeOutcome } from "./probe-file.js";
import type {
  MetadataPoolOptions,
  MetadataPoolStats,
  PoolLogger,
} from "./metadata-pool-options.js";

export type { MetadataPoolOptions, MetadataPoolStats, PoolLogger };

interface Job {
  id: number;
  absPath: string;
  name: NameClass;
  byName: IndexedFile;
  siblings: readonly string[];
  resolve(file: IndexedFile | null): void;
  reject(err: Error): void;
  /** In a worker that died with several files in flight: read alone, so a culprit fails alone. */
  isSuspect?: boolean;
}

interface Slot {
  worker: Worker;
  isReady: boolean;
  isRetiring: boolean;
  /** Retired, but its thread did not exit within stuckAfterMs (blocked in a read). */
  isStuck?: boolean;
  /** Files sent to this worker and not answered yet, by job id. */
  jobs: Map<number, Job>;
  idleTimer?: NodeJS.Timeout;
  /** Fires when the worker, holding files, answered none of them for a job's time (#watch). */
  watchdog?: NodeJS.Timeout;
  watchdogMs?: number;
  lastError?: string;
}

/** Consecutive workers dying before they are ready, after which queued files are refused. */
const MAX_START_FAILURES = 3;
/** Extra time a job gets when its worker is still starting (loading parsers, or tsx in tests). */
const STARTUP_ALLOWANCE_MS = 10_000;
/**
 * Retired workers still stuck in a system call after which no more are started. Workers read
 * files with blocking calls (buffered-tokenizer.ts); a read from a network share that stopped
 * answering never returns, and such a thread cannot be stopped until it does. Without a cap,
 * every hanging file would cost one more stuck thread and its memory.
 */
const MAX_STUCK_WORKERS = 2;
const here = import.meta.url;

/**
 * Extracts metadata in worker threads, up to `workers` at once, each with up to `jobsPerWorker`
 * files in flight: a worker that had to wait for the main thread's next file between files sat
 * idle about half the time while the main thread applied catalog batches (measured). A worker
 * that crashes with several files in flight gets them all read again one at a time, so the file
 * that crashes or hangs a worker still fails alone. Sidecars and covers are matched on the
 * calling thread, which only posts the path and merges the answer. Workers start on demand, are
 * unref'd while idle and stop after `idleTimeoutMs`; an idle pool holds no timers that keep the
 * process alive. Call `close()` when done.
 */
export class MetadataPool implements MetadataExtractor {
  readonly #max: number;
  readonly #perWorker: number;
  readonly #jobTimeoutMs: number;
  readonly #idleTimeoutMs: number;
  readonly #config: WorkerConfig;
  readonly #heapMb: number;
  readonly #youngMb: number;
  readonly #log: PoolLogger | undefined;
  readonly #workerUrl: URL;
  readonly #stuckAfterMs: number;
  readonly #slots = new Set<Slot>();
  /** Retired workers whose thread has not exited yet. */
  readonly #retired = new Map<Slot, Promise<void>>();
  #stuckCount = 0;
  readonly #queue: Job[] = [];
  #nextId = 1;
  #startFailures = 0;
  #isClosed = false;
  #hasWarnedFfprobe = false;
  readonly #stats = { completed: 0, crashed: 0, timedOut: 0, requeued: 0, peakBusy: 0 };

  constructor(options: MetadataPoolOptions = {}) {
    const cores = availableParallelism();
    this.#max = Math.min(cores, Math.max(1, Math.floor(options.workers ?? cores - 1)));
    this.#perWorker = Math.max(1, Math.floor(options.jobsPerWorker ?? 16));
    this.#jobTimeoutMs = options.jobTimeoutMs ?? 30_000;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
    const ffprobeTimeoutMs =
      options.ffprobeTimeoutMs ?? Math.min(20_000, Math.floor(this.#jobTimeoutMs * 0.75));
    this.#config = {
      ffprobePath: options.ffprobePath ?? "ffprobe",
      timeoutMs: ffprobeTimeoutMs,
      nice: options.workerNice ?? 10,
    };
    this.#heapMb = options.maxWorkerHeapMb ?? 64;
    this.#youngMb = options.maxWorkerYoungMb ?? 4;
    this.#log = options.log;
    const ext = here.endsWith(".ts") ? "ts" : "js";
    this.#workerUrl = options.workerUrl ?? new URL(`./metadata-worker.${ext}`, here);
    this.#stuckAfterMs = options.stuckAfterMs ?? 5_000;
  }

  /** See MetadataExtractor.extract. Rejects only after close() or when workers cannot start. */
  extract(
    absPath: string,
    file: FileRef & FileStat,
    siblings: readonly string[],
  ): Promise<IndexedFile | null> {
    if (this.#isClosed) return Promise.reject(closedError());
    const stuck = this.#stuckError();
    if (stuck !== undefined) return Promise.reject(stuck);
    const name = classifyName(file.relPath);
    if (name === undefined) return Promise.resolve(null);
    const byName = describeByName(file, name, siblings);
    return new Promise((resolve, reject) => {
      const id = this.#nextId++;
      this.#queue.push({ id, absPath, name, byName, siblings, resolve, reject });
      this.#pump();
    });
  }

  stats(): MetadataPoolStats {
    return {
      workers: this.#slots.size,
      busy: this.#busy(),
      queued: this.#queue.length,
      ...this.#stats,
    };
  }

  /**
   * Stops every worker; queued and running extractions reject. Safe to call twice. Waits for the
   * threads to exit, except for ones stuck in a read (see MAX_STUCK_WORKERS): nobody can end
   * those, so a stop must not wait for them.
   */
  async close(): Promise<void> {
    this.#isClosed = true;
    for (const job of this.#queue.splice(0)) job.reject(closedError());
    for (const slot of [...this.#slots]) {
      for (const job of slot.jobs.values()) this.#settle(job, undefined, closedError());
      slot.jobs.clear();
      void this.#retire(slot);
    }
    const exits = [...this.#retired].map(([slot, exited]) =>
      slot.isStuck === true ? undefined : exited,
    );
    let giveUp: NodeJS.Timeout | undefined;
    const patience = new Promise<void>((resolve) => {
      giveUp = setTimeout(resolve, this.#stuckAfterMs).unref();
    });
    await Promise.race([Promise.all(exits), patience]);
    clearTimeout(giveUp);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      const target = this.#slotFor(this.#queue[0] as Job);
      if (target === undefined) return;
      const job = this.#queue.shift();
      if (job !== undefined) this.#assign(target, job);
    }
  }

  /** An idle worker first, then a new one, then one with room; a suspect file only gets an idle one. */
  #slotFor(job: Job): Slot | undefined {
    const open = [...this.#slots].filter((s) => !s.isRetiring && !isHoldingSuspect(s));
    const idle = open.find((s) => s.jobs.size === 0);
    if (idle !== undefined) return idle;
    if (this.#slots.size < this.#max && this.#stuckCount < MAX_STUCK_WORKERS) return this.#spawn();
    if (job.isSuspect) return undefined;
    return open.find((s) => s.jobs.size < this.#perWorker);
  }

  #busy(): number {
    return [...this.#slots].filter((s) => s.jobs.size > 0).length;
  }

  #spawn(): Slot {
    const url = this.#workerUrl;
    const options = {
      workerData: this.#config,
      resourceLimits: {
        maxOldGenerationSizeMb: this.#heapMb,
        maxYoungGenerationSizeMb: this.#youngMb,
      },
    };
    const worker = url.pathname.endsWith(".ts")
      ? new Worker(TS_BOOTSTRAP, { ...options, argv: [url.href] })
      : new Worker(url, options);
    const slot: Slot = { worker, isReady: false, isRetiring: false, jobs: new Map() };
    worker.on("message", (msg: WorkerMessage) => this.#onMessage(slot, msg));
    worker.on("error", (err) => {
      slot.lastError = err.message;
    });
    worker.on("exit", (code) => this.#onExit(slot, code));
    this.#slots.add(slot);
    return slot;
  }

  #assign(slot: Slot, job: Job): void {
    clearTimeout(slot.idleTimer);
    const wasIdle = slot.jobs.size === 0;
    slot.jobs.set(job.id, job);
    slot.worker.ref();
    if (wasIdle) this.#watch(slot);
    const request: JobRequest = { id: job.id, absPath: job.absPath, name: job.name };
    slot.worker.postMessage(request);
    this.#stats.peakBusy = Math.max(this.#stats.peakBusy, this.#busy());
  }

  #onMessage(slot: Slot, msg: WorkerMessage): void {
    if (msg.kind === "ready") {
      slot.isReady = true;
      this.#startFailures = 0;
      return;
    }
    const job = slot.jobs.get(msg.id);
    if (job === undefined) return; // a late answer for a job already given up
    slot.jobs.delete(msg.id);
    if (slot.jobs.size > 0) this.#watch(slot);
    else this.#unwatch(slot);
    this.#stats.completed++;
    this.#noticeMissingFfprobe(msg.outcome);
    this.#settle(job, msg.outcome);
    this.#pump();
    if (slot.jobs.size > 0 || slot.isRetiring) return;
    // Idle: let the process exit around it, and give its memory back after a while.
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => void this.#retire(slot), this.#idleTimeoutMs).unref();
  }

  /**
   * (Re)arms a busy worker's watchdog. It measures progress, not each file's time since it was
   * sent: a file queued in the worker behind slow ones (videos on a network share) has not
   * started, and must not be given up for their time.
   */
  #watch(slot: Slot): void {
    const ms = this.#jobTimeoutMs + (slot.isReady ? 0 : STARTUP_ALLOWANCE_MS);
    if (slot.watchdog !== undefined && slot.watchdogMs === ms) {
      slot.watchdog.refresh(); // one timer per worker, re-armed in place on every answer
      return;
    }
    clearTimeout(slot.watchdog);
    slot.watchdog = setTimeout(() => this.#onTimeout(slot), ms);
    slot.watchdogMs = ms;
  }

  #unwatch(slot: Slot): void {
    clearTimeout(slot.watchdog);
    slot.watchdog = undefined;
  }

  #onTimeout(slot: Slot): void {
    slot.watchdog = undefined;
    const [job] = slot.jobs.values();
    if (job === undefined || slot.isRetiring) return;
    // A parser stuck in a loop stalls every file of its worker, so the oldest file may be an
    // innocent one waiting behind it: with several in flight, each is read again on its own.
    if (slot.jobs.size > 1) {
      this.#requeue(slot, true);
      void this.#retire(slot);
      return this.#pump();
    }
    this.#stats.timedOut++;
    this.#log?.warn(
      { file: job.byName.relPath, timeoutMs: this.#jobTimeoutMs },
      "reading a file's metadata took too long; listing it by name and replacing its worker",
    );
    const error = `metadata extraction gave no answer within ${this.#jobTimeoutMs} ms`;
    slot.jobs.delete(job.id);
    this.#settle(job, { kind: "failed", error });
    void this.#retire(slot);
    this.#pump();
  }

  #onExit(slot: Slot, code: number): void {
    this.#slots.delete(slot);
    clearTimeout(slot.idleTimer);
    this.#unwatch(slot);
    if (slot.isRetiring) return;
    const reason = slot.lastError ?? `exit code ${code}`;
    if (!slot.isReady) {
      this.#requeue(slot, false);
      return this.#onStartFailure(reason);
    }
    // With several files in flight the culprit is unknown: each is read again on its own.
    if (slot.jobs.size > 1) {
      this.#requeue(slot, true);
      return this.#pump();
    }
    const [job] = slot.jobs.values();
    slot.jobs.clear();
    if (job !== undefined) {
      this.#stats.crashed++;
      this.#log?.warn(
        { file: job.byName.relPath, reason },
        "a metadata worker crashed on a file; listing it by name and starting another worker",
      );
      this.#settle(job, { kind: "failed", error: `the metadata reader crashed: ${reason}` });
    }
    this.#pump();
  }

  /** Puts a worker's unanswered files back at the head of the queue, in their order. */
  #requeue(slot: Slot, asSuspects: boolean): void {
    const jobs = [...slot.jobs.values()];
    slot.jobs.clear();
    if (asSuspects) for (const job of jobs) job.isSuspect = true;
    if (asSuspects) this.#stats.requeued += jobs.length;
    this.#queue.unshift(...jobs);
  }

  /** A worker that dies before it is ready says nothing about its files (requeued already). */
  #onStartFailure(reason: string): void {
    if (++this.#startFailures < MAX_START_FAILURES) return this.#pump();
    this.#startFailures = 0;
    const err = new HearthError("E_NOT_RUNNING", `metadata workers fail to start: ${reason}`, {
      fix: "check that hearth is installed completely (npm ci) and that the box has free memory",
    });
    for (const queued of this.#queue.splice(0)) queued.reject(err);
  }

  #settle(job: Job, outcome: ProbeOutcome | undefined, err?: Error): void {
    if (outcome === undefined) return job.reject(err ?? closedError());
    job.resolve(withOutcome(job.byName, outcome, job.siblings));
  }

  #retire(slot: Slot): Promise<void> {
    const known = this.#retired.get(slot);
    if (known !== undefined) return known;
    slot.isRetiring = true;
    clearTimeout(slot.idleTimer);
    this.#unwatch(slot);
    this.#slots.delete(slot);
    const stuckTimer = setTimeout(() => this.#onStuck(slot), this.#stuckAfterMs).unref();
    const exited = slot.worker.terminate().then(
      () => undefined,
      () => undefined,
    );
    this.#retired.set(slot, exited);
    void exited.then(() => {
      clearTimeout(stuckTimer);
      this.#retired.delete(slot);
      if (slot.isStuck !== true) return;
      this.#stuckCount--;
      this.#pump(); // room for a worker again
    });
    return exited;
  }

  /** A retired worker that does not exit is blocked in a read; past the cap, files are refused. */
  #onStuck(slot: Slot): void {
    slot.isStuck = true;
    this.#stuckCount++;
    this.#log?.warn(
      { stuckWorkers: this.#stuckCount },
      "a metadata worker is stuck in a file read that does not return (a network share that stopped answering?); it ends when the read does",
    );
    const err = this.#stuckError();
    if (err !== undefined) for (const queued of this.#queue.splice(0)) queued.reject(err);
  }

  /** Why no file can be read now: too many workers stuck and none left; else undefined. */
  #stuckError(): HearthError | undefined {
    if (this.#stuckCount < MAX_STUCK_WORKERS || this.#slots.size > 0) return undefined;
    return new HearthError(
      "E_NOT_RUNNING",
      `metadata workers are stuck in ${this.#stuckCount} file reads that do not return`,
      {
        fix: "check the network share or disk the media folders are on (dmesg shows NFS/CIFS timeouts); files are read again once it answers",
      },
    );
  }

  #noticeMissingFfprobe(outcome: ProbeOutcome): void {
    if (outcome.kind !== "failed" || !outcome.error.startsWith("ffprobe is not installed")) return;
    if (this.#hasWarnedFfprobe) return;
    this.#hasWarnedFfprobe = true;
    this.#log?.warn(
      { ffprobe: this.#config.ffprobePath },
      "ffprobe is missing; videos are listed by name only until it is installed (apt install ffmpeg)",
    );
  }
}

function isHoldingSuspect(slot: Slot): boolean {
  for (const job of slot.jobs.values()) if (job.isSuspect) return true;
  return false;
}

function closedError(): HearthError {
  return new HearthError("E_NOT_RUNNING", "the metadata pool is closed");
}

/** Under tsx (tests), a .ts worker entry starts through this loader; see the file. */
const TS_BOOTSTRAP = new URL("./ts-worker-bootstrap.mjs", here);
