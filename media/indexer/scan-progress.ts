import type { IndexerProgress } from "./indexer-types.js";

/** Rate window: samples at most every 500 ms, the last 20 kept (about 10 s). */
const sampleEveryMs = 500;
const samplesKept = 20;

/**
 * Counters of the indexer's current busy period (all passes since it was last idle), cheap to read (the dashboard and `hearth scan` poll them).
 * The rate is measured over the last ~10 s, so a slow video after a run of unchanged files does
 * not make the ETA jump by minutes; the ETA needs a total, from the previous scan's file count or
 * a pre-count of a first scan.
 */
export class ScanProgress {
  filesSeen = 0;
  filesProcessed = 0;
  filesFailed = 0;
  currentRoot: string | null = null;
  #estimate: number | null = null;
  #samples: Array<{ atMs: number; processed: number }> = [];
  /** Counters when the current pass began: the ETA is the current root's. */
  #passSeen = 0;
  #passProcessed = 0;

  /** The indexer got busy after being idle: counters restart (they add up over its passes). */
  reset(): void {
    this.filesSeen = 0;
    this.filesProcessed = 0;
    this.filesFailed = 0;
    this.#samples = [{ atMs: Date.now(), processed: 0 }];
  }

  /** A pass starts on `rootPath`. */
  begin(rootPath: string): void {
    this.currentRoot = rootPath;
    this.#estimate = null;
    this.#passSeen = this.filesSeen;
    this.#passProcessed = this.filesProcessed;
  }

  /** The pass ended. Counters stay readable until the next one. */
  end(): void {
    this.currentRoot = null;
  }

  /** How many files the current pass will probably see (previous total or pre-count); raises only. */
  estimate(files: number): void {
    this.#estimate = Math.max(this.#estimate ?? 0, files);
  }

  processed(count = 1): void {
    this.filesProcessed += count;
    const now = Date.now();
    const last = this.#samples[this.#samples.length - 1];
    if (last !== undefined && now - last.atMs < sampleEveryMs) return;
    this.#samples.push({ atMs: now, processed: this.filesProcessed });
    if (this.#samples.length > samplesKept) this.#samples.shift();
  }

  snapshot(phase: IndexerProgress["phase"]): IndexerProgress {
    const rate = this.#rate();
    return {
      phase,
      filesSeen: this.filesSeen,
      filesProcessed: this.filesProcessed,
      filesFailed: this.filesFailed,
      ratePerSecond: Math.round(rate * 10) / 10,
      etaSeconds: this.#eta(rate),
      currentRoot: this.currentRoot,
    };
  }

  #rate(): number {
    const oldest = this.#samples[0];
    if (oldest === undefined) return 0;
    const elapsedMs = Date.now() - oldest.atMs;
    return elapsedMs <= 0 ? 0 : ((this.filesProcessed - oldest.processed) * 1000) / elapsedMs;
  }

  #eta(rate: number): number | null {
    if (this.#estimate === null || this.currentRoot === null) return null;
    const seen = this.filesSeen - this.#passSeen;
    const remaining = Math.max(this.#estimate, seen) - (this.filesProcessed - this.#passProcessed);
    if (remaining <= 0) return 0;
    return rate > 0 ? Math.ceil(remaining / rate) : null;
  }
}
