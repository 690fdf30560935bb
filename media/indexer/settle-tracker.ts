/** Files being watched for stability at most; past this, the oldest observations are forgotten. */
const maxTracked = 20_000;

/**
 * Keeps half-written files out of the catalog (a 4 GB copy over SMB grows for minutes). A file is
 * settled when its mtime is at least `settleMs` old (every write moves mtime forward), or, for an
 * mtime in the future (another machine's clock), when its size and mtime were seen unchanged for
 * `settleMs`. This is chokidar's awaitWriteFinish without its 100 ms stat polling: the caller looks
 * again once, at the time `check` returns.
 */
export class SettleTracker {
  readonly #settleMs: number;
  readonly #seen = new Map<string, { sizeBytes: number; mtimeMs: number; atMs: number }>();

  constructor(settleMs: number) {
    this.#settleMs = settleMs;
  }

  /** True when the file may be indexed now; otherwise the time (epoch ms) to look again. */
  check(
    relPath: string,
    stat: { sizeBytes: number; mtimeMs: number },
    nowMs: number,
  ): true | number {
    if (this.#settleMs <= 0 || nowMs - stat.mtimeMs >= this.#settleMs) {
      this.#seen.delete(relPath);
      return true;
    }
    const seen = this.#seen.get(relPath);
    if (seen !== undefined && seen.sizeBytes === stat.sizeBytes && seen.mtimeMs === stat.mtimeMs) {
      if (nowMs - seen.atMs >= this.#settleMs) {
        this.#seen.delete(relPath);
        return true;
      }
      return seen.atMs + this.#settleMs;
    }
    if (this.#seen.size >= maxTracked) this.#seen.delete(this.#seen.keys().next().value as string);
    this.#seen.set(relPath, { ...stat, atMs: nowMs });
    return Math.min(stat.mtimeMs, nowMs) + this.#settleMs;
  }
}
