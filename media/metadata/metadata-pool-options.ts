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
   * Files sent to a worker before it answered the first (it reads them concurrently). Default 4:
   * with one at a time the worker idled while the main thread was busy applying a batch.
   */
  jobsPerWorker?: number;
  /** A file taking longer is given up (metadataError) and its worker replaced. Default 30 000. */
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
   * V8 young generation per worker. Default 16: measured on 20 000 files, 8 saves ~15 MB per
   * worker but costs ~30 % more time in GC; V8's own default (up to 32) adds ~15 MB for nothing.
   */
  maxWorkerYoungMb?: number;
  /** Nice value of worker threads and their ffprobe children (Linux). Default 10. */
  workerNice?: number;
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
