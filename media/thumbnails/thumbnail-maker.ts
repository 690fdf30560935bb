import { execFile } from "node:child_process";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Logger } from "pino";

/** Where a thumbnail comes from. */
export type ThumbnailSource =
  /** cover art embedded in an audio file (ID3 APIC, FLAC PICTURE, MP4 covr): ffmpeg's attached_pic stream */
  | { kind: "embedded-art"; absPath: string }
  /** a picture or a folder cover image */
  | { kind: "image"; absPath: string }
  /** a frame from a video, taken a little way in so it is not a black title card */
  | { kind: "video"; absPath: string; durationSeconds?: number };

export interface ThumbnailRequest {
  /** Cache key: the item's object id plus its size+mtime, so a changed file gets a new thumbnail. */
  key: string;
  source: ThumbnailSource;
}

/** DLNA JPEG_TN: a JPEG of at most 160×160 pixels (DLNA guidelines, media format profiles). */
const MAX_EDGE_PX = 160;
const FFMPEG_TIMEOUT_MS = 30_000;
/**
 * Pictures and album art made by one ffmpeg. Starting ffmpeg costs ~70 ms of CPU, scaling a
 * 300×300 cover ~2 ms: 16 covers took 1.12 s of CPU one by one, 0.15 s in one run (same bytes
 * out). Videos stay one per run: seeking into them is the expensive part.
 */
const BATCH_SIZE = 16;

/**
 * Makes JPEG_TN thumbnails in the background with ffmpeg at the lowest CPU priority (nice 19),
 * one ffmpeg at a time (pictures and album art up to BATCH_SIZE per run), and caches them on
 * disk under `cacheDir`. Requests never block: a scan or a Browse only enqueues and moves on. A
 * source ffmpeg cannot read is remembered as failed for this run and not retried. `makeNow` puts
 * one thumbnail first in line for a client that waits for it.
 */
export class ThumbnailMaker {
  readonly #cacheDir: string;
  readonly #log: Logger;
  readonly #queue: ThumbnailRequest[] = [];
  readonly #queued = new Set<string>();
  readonly #failed = new Set<string>();
  /** Who waits for a key (makeNow): told the cache path, or undefined when it failed. */
  readonly #waiters = new Map<string, Array<(path: string | undefined) => void>>();
  #running: Promise<void> | undefined;
  #isClosed = false;
  #made = 0;
  #ffmpegRuns = 0;

  constructor(options: { cacheDir: string; log: Logger }) {
    this.#cacheDir = options.cacheDir;
    this.#log = options.log;
  }

  /** The cache file for `key` (it may not exist yet). */
  pathFor(key: string): string {
    const safe = key.replace(/[^A-Za-z0-9_-]/g, "_");
    return join(this.#cacheDir, safe.slice(0, 2), `${safe}.jpg`);
  }

  /** The cached thumbnail's path, or undefined when it has not been made (yet). */
  async cached(key: string): Promise<string | undefined> {
    const path = this.pathFor(key);
    return stat(path).then(
      () => path,
      () => undefined,
    );
  }

  /** Queues a thumbnail unless it is cached, queued or failed before. Returns at once. */
  request(req: ThumbnailRequest): void {
    if (this.#isClosed || this.#queued.has(req.key) || this.#failed.has(req.key)) return;
    this.#queued.add(req.key);
    this.#queue.push(req);
    this.#kick();
  }

  /**
   * Makes this thumbnail next (ahead of the background queue; the one ffmpeg in progress is not
   * interrupted) and resolves with its cache path once it exists; undefined when ffmpeg cannot
   * make it, it failed before, or the maker closes. A key queued or in progress is not made
   * twice: the caller waits for that run. The caller bounds its own wait.
   */
  async makeNow(req: ThumbnailRequest): Promise<string | undefined> {
    if (this.#isClosed || this.#failed.has(req.key)) return undefined;
    const done = new Promise<string | undefined>((resolve) => {
      const waiters = this.#waiters.get(req.key) ?? [];
      waiters.push(resolve);
      this.#waiters.set(req.key, waiters);
    });
    const at = this.#queue.findIndex((queued) => queued.key === req.key);
    if (at > 0) this.#queue.unshift(...this.#queue.splice(at, 1));
    else if (at < 0 && !this.#queued.has(req.key)) {
      this.#queued.add(req.key);
      this.#queue.unshift(req);
    }
    this.#kick();
    return done;
  }

  /** Resolves when the queue is empty (tests, `hearth scan --wait`). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  get stats(): { queued: number; made: number; failed: number; ffmpegRuns: number } {
    return {
      queued: this.#queue.length,
      made: this.#made,
      failed: this.#failed.size,
      ffmpegRuns: this.#ffmpegRuns,
    };
  }

  /** Drops the queue and waits for the thumbnail in progress. */
  async close(): Promise<void> {
    this.#isClosed = true;
    this.#queue.length = 0;
    await this.#running;
    for (const key of [...this.#waiters.keys()]) this.#notify(key, undefined);
  }

  #kick(): void {
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
      // A request may have come between the loop's last shift and this callback.
      if (this.#queue.length > 0 && !this.#isClosed) this.#kick();
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0 && !this.#isClosed) {
      const todo: ThumbnailRequest[] = [];
      for (const req of this.#takeBatch()) {
        const path = await this.cached(req.key);
        if (path === undefined) todo.push(req);
        else this.#finish(req.key, path);
      }
      const left = todo.length > 1 ? await this.#makeTogether(todo) : todo;
      // Alone, or after a batch failed: one unreadable file fails the whole run, and only
      // one by one tells which file it was.
      for (const [i, req] of left.entries()) {
        if (i > 0 && this.#isClosed) break; // the one already under way is finished
        try {
          this.#finish(req.key, await this.#make(req));
        } catch (err) {
          this.#failed.add(req.key);
          this.#log.debug({ err, key: req.key }, "no thumbnail for this item");
          this.#finish(req.key, undefined);
        }
      }
    }
  }

  /** The next run's requests: pictures and album art together, a video or an awaited one alone. */
  #takeBatch(): ThumbnailRequest[] {
    const first = this.#queue.shift() as ThumbnailRequest;
    // A client waiting (makeNow) gets its thumbnail as fast as one ffmpeg makes it.
    if (first.source.kind === "video" || this.#waiters.has(first.key)) return [first];
    const batch = [first];
    while (batch.length < BATCH_SIZE) {
      const next = this.#queue[0];
      if (next === undefined || next.source.kind === "video" || this.#waiters.has(next.key)) break;
      batch.push(this.#queue.shift() as ThumbnailRequest);
    }
    return batch;
  }

  #finish(key: string, path: string | undefined): void {
    if (path !== undefined) this.#made += 1;
    this.#queued.delete(key);
    this.#notify(key, path);
  }

  #notify(key: string, path: string | undefined): void {
    const waiters = this.#waiters.get(key);
    this.#waiters.delete(key);
    for (const resolve of waiters ?? []) resolve(path);
  }

  async #make(req: ThumbnailRequest): Promise<string> {
    const out = this.pathFor(req.key);
    await mkdir(dirname(out), { recursive: true });
    // Written under a temporary name and renamed, so a kill never leaves half a JPEG in the cache.
    const partial = `${out}.part`;
    try {
      this.#ffmpegRuns += 1;
      await runFfmpeg([...inputArgs(req.source), ...outputArgs(partial)]);
      await rename(partial, out);
    } finally {
      await rm(partial, { force: true });
    }
    return out;
  }

  /**
   * Makes pictures' and album art's thumbnails in one ffmpeg run: every source an input, every
   * thumbnail an output of its own input's first picture stream. Returns the requests it did not
   * make (all of them when the run failed); those it made are finished and their waiters told.
   */
  async #makeTogether(reqs: readonly ThumbnailRequest[]): Promise<readonly ThumbnailRequest[]> {
    const outs = reqs.map((req) => this.pathFor(req.key));
    const partials = outs.map((out) => `${out}.part`);
    const args: string[] = [];
    for (const req of reqs) args.push("-i", req.source.absPath);
    let made = 0;
    partials.forEach((partial, i) => args.push("-map", `${i}:v:0`, ...outputArgs(partial)));
    try {
      for (const dir of new Set(outs.map((out) => dirname(out)))) {
        await mkdir(dir, { recursive: true });
      }
      this.#ffmpegRuns += 1;
      await runFfmpeg(args);
      // All or nothing: an output ffmpeg skipped means a source it could not read.
      for (const partial of partials) if ((await stat(partial)).size === 0) return reqs;
      for (let i = 0; i < reqs.length; i++) {
        await rename(partials[i] as string, outs[i] as string);
        this.#finish((reqs[i] as ThumbnailRequest).key, outs[i]);
        made = i + 1;
      }
      return [];
    } catch {
      return reqs.slice(made);
    } finally {
      await Promise.all(partials.map((partial) => rm(partial, { force: true })));
    }
  }
}

function inputArgs(source: ThumbnailSource): string[] {
  switch (source.kind) {
    case "embedded-art":
      return ["-i", source.absPath, "-map", "0:v:0"];
    case "image":
      return ["-i", source.absPath];
    case "video": {
      // 10 % in, at most 30 s: past the studio logo, and cheap to seek to.
      const at = Math.min(30, (source.durationSeconds ?? 0) / 10);
      return ["-ss", at.toFixed(2), "-i", source.absPath, "-map", "0:v:0"];
    }
  }
}

function outputArgs(out: string): string[] {
  const fit = `scale=w=${MAX_EDGE_PX}:h=${MAX_EDGE_PX}:force_original_aspect_ratio=decrease`;
  return ["-frames:v", "1", "-vf", fit, "-q:v", "5", "-f", "mjpeg", "-y", out];
}

function runFfmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      "nice",
      ["-n", "19", "ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", ...args],
      { timeout: FFMPEG_TIMEOUT_MS, killSignal: "SIGKILL" },
      (err, _stdout, stderr) =>
        err ? reject(new Error(`ffmpeg: ${stderr.trim() || err.message}`)) : resolve(),
    );
  });
}
