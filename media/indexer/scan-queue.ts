import type { IndexerChangeSummary } from "./indexer-types.js";

/** A unit of indexer work. Passes run one at a time: a small box's disk does one walk well. */
export type ScanJob =
  | { kind: "scan"; rootId: number; reextract: boolean; trigger: IndexerChangeSummary["trigger"] }
  | { kind: "folders"; rootId: number; trigger: IndexerChangeSummary["trigger"] };

interface Entry {
  job: ScanJob;
  waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }>;
}

/**
 * Serialises the indexer's passes and folds duplicates: asking for a scan of a root that already
 * waits in the queue joins that request (a re-extracting request upgrades it), and folder work of
 * a root is one job however many bursts arrived meanwhile, since the job takes whatever the root's
 * collector holds when it starts.
 */
export class ScanQueue {
  readonly #run: (job: ScanJob) => Promise<void>;
  readonly #jobs: Entry[] = [];
  #running = false;
  #closed = false;
  #idleWaiters: Array<() => void> = [];

  readonly #onBusy: () => void;
  #wasBusy = false;

  /**
   * @param run performs one job; a rejection fails that job's waiters.
   * @param onBusy called (synchronously, from the request) when work arrives at an idle queue.
   */
  constructor(run: (job: ScanJob) => Promise<void>, onBusy: () => void = () => undefined) {
    this.#run = run;
    this.#onBusy = onBusy;
  }

  /** Queues a complete scan of a root; resolves when it ran. */
  scan(
    rootId: number,
    reextract: boolean,
    trigger: IndexerChangeSummary["trigger"],
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#closed) return reject(closedError());
      const queued = this.#jobs.find((e) => e.job.kind === "scan" && e.job.rootId === rootId);
      if (queued !== undefined && queued.job.kind === "scan") {
        queued.job.reextract ||= reextract;
        queued.waiters.push({ resolve, reject });
        return;
      }
      this.#jobs.push({
        job: { kind: "scan", rootId, reextract, trigger },
        waiters: [{ resolve, reject }],
      });
      this.#pump();
    });
  }

  /** Queues folder work of a root (live events, deferred files, unwatched folders). */
  folders(rootId: number, trigger: IndexerChangeSummary["trigger"]): void {
    if (this.#closed) return;
    if (this.#jobs.some((e) => e.job.kind === "folders" && e.job.rootId === rootId)) return;
    this.#jobs.push({ job: { kind: "folders", rootId, trigger }, waiters: [] });
    this.#pump();
  }

  /** True while a job runs or waits. */
  get busy(): boolean {
    return this.#running || this.#jobs.length > 0;
  }

  /** Resolves when nothing runs and nothing waits. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Refuses new work and fails the waiters of jobs that never started. */
  close(): void {
    this.#closed = true;
    for (const entry of this.#jobs.splice(0))
      for (const w of entry.waiters) w.reject(closedError());
    if (!this.#running) this.#wakeIdle();
  }

  #pump(): void {
    if (this.#running) return;
    const entry = this.#jobs.shift();
    if (entry === undefined) return this.#wakeIdle();
    if (!this.#wasBusy) this.#onBusy();
    this.#wasBusy = true;
    this.#running = true;
    this.#run(entry.job).then(
      () => this.#finished(entry, (w) => w.resolve()),
      (err: unknown) => this.#finished(entry, (w) => w.reject(err)),
    );
  }

  /** Moves on first, then tells the waiters: whoever awaited a scan sees the queue as it is now. */
  #finished(entry: Entry, settle: (waiter: Entry["waiters"][number]) => void): void {
    this.#running = false;
    if (this.#closed) this.#wakeIdle();
    else this.#pump();
    entry.waiters.forEach(settle);
  }

  #wakeIdle(): void {
    this.#wasBusy = false;
    for (const wake of this.#idleWaiters.splice(0)) wake();
  }
}

function closedError(): Error {
  const err = new Error("the indexer closed before the scan ran");
  err.name = "AbortError";
  return err;
}
