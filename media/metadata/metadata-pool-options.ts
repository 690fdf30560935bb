/** The slice of a pino logger the pool uses. */
export interface PoolLogger {
  warn(obj: object, msg: string): void;
}

/** How a MetadataPool runs its workers; every field is optional. */
export interface MetadataPoolOptions {
  /**
   * Most worker threads at once, at most os.availableParallelism(). Default one less than that
   * (at least 1): the main thread keeps a core for catalog writes and Browse. On 2 cores one
   * worker indexes as fast as two (measured) and saves a worker's ~30 MB.
   */
  workers?: number;
  /**
   * Files sent to a worker before it answered the first (it reads them one after another).
   * Default 16: with one at a time the worker idled while the main thread was busy applying a
   * batch; 20 000 files indexed in 9.2–9.4 s with 4, 7.9–8.5 s with 12 or 24 (measured).
   */
  jobsPerWorker?: number;
  /**
   * A worker that answers none of its files for this long is replaced, and its file given up
   * (metadataError; with several in flight, each is read again alone). Default 30 000.
   */
  jobTimeoutMs?: number;
  /** A worker idle this long is stopped to give its memory back. Default 30 000. */
  idleTimeoutMs?: number;
  /** ffprobe binary. Default "ffprobe" on PATH. */
  ffprobePath?: string;
  /** ffprobe is killed after this long; kept below jobTimeoutMs. Default 20 000 at most. */
  ffprobeTimeoutMs?: number;
  /** V8 old-space limit per worker; a file that makes a parser balloon kills only its worker. */
  maxWorkerHeapMb?: number;
  /**
   * V8 young generation per worker. Default 4, set together with the process's small young
   * generation (services/node-flags.ts: peak RSS while indexing 20 000 files 247 → 139 MiB).
   */
  maxWorkerYoungMb?: number;
  /** Nice value of worker threads and their ffprobe children (Linux). Default 10. */
  workerNice?: number;
  /**
   * A retired worker whose thread has not exited after this long is counted as stuck in a read
   * (MetadataPool's MAX_STUCK_WORKERS); close() waits no longer for it. Default 5 000.
   */
  stuckAfterMs?: number;
  log?: PoolLogger;
  /** Test seam: a worker entry to run instead of metadata-worker (it must serveMetadataJobs). */
  workerUrl?: URL;
}

/** Counters for the scan status and for tests. */
export interface MetadataPoolStats {
  workers: number;
  busy: number;
  queued: number;
  completed: number;
  crashed: number;
  timedOut: number;
  /** Files read again alone because their worker died or hung with several files in flight. */
  requeued: number;
  peakBusy: number;
}
