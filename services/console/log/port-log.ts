import { mkdir } from "node:fs/promises";
import { describeError } from "../../errors.js";
import { type AppendJob, LogFile } from "./log-file.js";
import { LogRotator } from "./log-rotator.js";
import { PendingBytes } from "./pending-bytes.js";

export interface PortLogOptions {
  /** Folder of the logs (created if missing). */
  dir: string;
  /** Port name; the file is `<dir>/<name>.log`. */
  name: string;
  /** Rotate when the current file would exceed this. */
  maxBytes: number;
  /** Rotated files kept: `<name>.log.1.gz` … `<name>.log.N.gz` (1 = newest). */
  generations: number;
  /** Batch window, default 1000, never more than 2000. */
  flushMs?: number;
  /** Clock, for tests. */
  now?: () => Date;
  /** Disk full, permission: reported once per failure streak, never thrown. */
  onError?: (err: Error) => void;
}

const LF = 0x0a;
const DEFAULT_FLUSH_MS = 1000;
const MAX_FLUSH_MS = 2000;
/** A burst this big is written at once rather than at the end of the window. */
const EARLY_FLUSH_BYTES = 64 * 1024;
/** What is kept in memory while the disk refuses writes; older bytes are dropped. */
const MAX_PENDING_BYTES = 1024 * 1024;

/**
 * The always-on log of one serial port (conserver's `logfile` + `timestamp`): every line is
 * prefixed with the UTC ISO-8601 time its first byte arrived, events are marked lines
 * (`[-- hearth: alice attached rw --]`), and the file rotates by size into gzipped generations.
 *
 * It is a byte log: bytes from the port are never decoded, so NULs, broken UTF-8 and escape
 * sequences reach the file unchanged; only `\n` means something (it ends a line).
 *
 * Writes are batched (one write per `flushMs`, sooner past 64 KiB) to spare SD cards, never
 * fsynced except once at `close()`, and an idle port has no timer and writes nothing. Nothing
 * here throws into the caller: failures go to `onError`, once per streak, while up to 1 MiB waits
 * in memory; what had to be dropped is marked in the file once writing works again.
 */
export class PortLog {
  readonly #options: PortLogOptions;
  readonly #flushMs: number;
  readonly #now: () => Date;
  readonly #pending = new PendingBytes();
  readonly #rotator: LogRotator;
  readonly #file: LogFile;
  /** The port's current line has begun (its stamp is queued) and has not ended. */
  #isLineOpen = false;
  /** The oldest pending byte begins a line. */
  #isHeadLineStart = true;
  #timer: NodeJS.Timeout | undefined;
  #queuedFlush: Promise<void> | undefined;
  #chain: Promise<void> = Promise.resolve();
  #isWriting = false;
  #isPrepared = false;
  #isFailing = false;
  #lostBytes = 0;
  #lostReason = "";
  #closing: Promise<void> | undefined;

  /** Does no I/O: the folder and file appear with the first batch. */
  constructor(options: PortLogOptions) {
    this.#options = options;
    const flushMs = options.flushMs ?? DEFAULT_FLUSH_MS;
    this.#flushMs = Number.isFinite(flushMs)
      ? Math.min(Math.max(flushMs, 1), MAX_FLUSH_MS)
      : DEFAULT_FLUSH_MS;
    this.#now = options.now ?? (() => new Date());
    this.#rotator = new LogRotator({
      dir: options.dir,
      name: options.name,
      generations: options.generations,
      now: this.#now,
      onError: (err) => this.#report(err),
    });
    this.#file = new LogFile({
      path: this.#rotator.currentPath,
      maxBytes: options.maxBytes,
      rotate: () => this.#rotator.rotate(),
      stamp: () => this.#stamp(),
    });
  }

  /** The file being written now: `<dir>/<name>.log`. */
  get path(): string {
    return this.#rotator.currentPath;
  }

  /** Nothing pending, no timer armed, nothing being written: what an idle port looks like. */
  get isIdle(): boolean {
    return (
      this.#timer === undefined &&
      this.#queuedFlush === undefined &&
      !this.#isWriting &&
      this.#pending.sizeBytes === 0 &&
      this.#lostBytes === 0
    );
  }

  /** Bytes from the port, as read. Synchronous, copies `bytes`, never throws; no-op after close. */
  write(bytes: Buffer): void {
    if (this.#closing !== undefined || bytes.length === 0) return;
    let stamp: Buffer | undefined;
    let offset = 0;
    while (offset < bytes.length) {
      if (!this.#isLineOpen) {
        // One arrival time per read: every line that starts in it gets the same stamp.
        stamp ??= this.#stamp();
        this.#pending.push(stamp);
        this.#isLineOpen = true;
      }
      const newline = bytes.indexOf(LF, offset);
      const end = newline === -1 ? bytes.length : newline + 1;
      this.#pending.push(bytes.subarray(offset, end));
      if (newline !== -1) this.#isLineOpen = false;
      offset = end;
    }
    this.#scheduleFlush();
  }

  /** A marked event line, `[-- hearth: <text> --]`; ends a half-written port line first. */
  event(text: string): void {
    if (this.#closing !== undefined) return;
    if (this.#isLineOpen) this.#pending.push(Buffer.from("\n"));
    this.#isLineOpen = false;
    this.#pending.push(this.#markedLine(text));
    this.#scheduleFlush();
  }

  /** Writes what is buffered now. Resolves when it is on disk or failed (and was reported). */
  flush(): Promise<void> {
    this.#clearTimer();
    if (this.#queuedFlush !== undefined) return this.#queuedFlush;
    const run = this.#chain.then(() => {
      this.#queuedFlush = undefined;
      return this.#writePending();
    });
    this.#queuedFlush = run;
    this.#chain = run;
    return run;
  }

  /** Flushes, syncs once, waits for compressions under way; then ignores writes. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#closeNow();
    return this.#closing;
  }

  async #closeNow(): Promise<void> {
    await this.flush();
    try {
      await this.#file.sync();
    } catch (err) {
      this.#report(new Error(`cannot sync the console log ${this.path}`, { cause: err }));
    }
    await this.#rotator.idle();
  }

  #scheduleFlush(): void {
    // While the disk fails, retry on the timer only: a chatty port must not turn every read
    // into another failing write.
    if (this.#pending.sizeBytes >= EARLY_FLUSH_BYTES && !this.#isFailing) void this.flush();
    else if (this.#timer === undefined && this.#queuedFlush === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        void this.flush();
      }, this.#flushMs);
      // The port keeps the daemon alive, not its log; close() writes what a timer would have.
      this.#timer.unref();
    }
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #writePending(): Promise<void> {
    if (this.#pending.sizeBytes === 0 && this.#lostBytes === 0) return;
    this.#isWriting = true;
    const body = this.#pending.take();
    const isBodyLineStart = this.#isHeadLineStart;
    if (body.length > 0) this.#isHeadLineStart = body[body.length - 1] === LF;
    const lostLine = this.#lostLine(isBodyLineStart);
    const job: AppendJob = {
      bytes: lostLine.length === 0 ? body : Buffer.concat([lostLine, body]),
      isLineStart: lostLine.length > 0 || isBodyLineStart,
      consumed: 0,
    };
    try {
      await this.#prepare();
      await this.#file.append(job);
      this.#lostBytes = 0;
      this.#isFailing = false;
    } catch (err) {
      this.#keepUnwritten(job, lostLine.length, body, isBodyLineStart, err);
    } finally {
      this.#isWriting = false;
    }
  }

  /** After a failed write: requeue what did not reach the file, bound memory, report, retry. */
  #keepUnwritten(
    job: AppendJob,
    lostLineBytes: number,
    body: Buffer,
    isBodyLineStart: boolean,
    err: unknown,
  ): void {
    if (job.consumed >= lostLineBytes) {
      // The "bytes lost" line made it; what was lost before it is accounted for.
      this.#lostBytes = 0;
      const rest = job.bytes.subarray(job.consumed);
      if (rest.length > 0) {
        this.#isHeadLineStart =
          job.consumed === 0 ? job.isLineStart : job.bytes[job.consumed - 1] === LF;
      }
      this.#pending.unshift(rest);
    } else {
      if (body.length > 0) this.#isHeadLineStart = isBodyLineStart;
      this.#pending.unshift(body);
    }
    const dropped = this.#pending.dropOldest(MAX_PENDING_BYTES);
    if (dropped.droppedBytes > 0) {
      this.#lostBytes += dropped.droppedBytes;
      this.#lostReason = describeError(err);
      this.#isHeadLineStart = dropped.isHeadLineStart;
    }
    if (!this.#isFailing) {
      this.#isFailing = true;
      this.#report(
        new Error(
          `cannot write the console log ${this.path}: ${describeError(err)}; keeping up to 1 MiB in memory and retrying`,
          { cause: err },
        ),
      );
    }
    if (this.#closing === undefined) this.#scheduleFlush();
  }

  /**
   * Makes the folder before every batch (one mkdir a second at most; someone may have removed
   * the folder to free space) and recovers half-done rotations before the first one.
   */
  async #prepare(): Promise<void> {
    await mkdir(this.#options.dir, { recursive: true });
    if (this.#isPrepared) return;
    await this.#rotator.recover();
    this.#isPrepared = true;
  }

  /** The "bytes lost" line (plus a stamp when the kept bytes begin mid-line), or nothing. */
  #lostLine(isBodyLineStart: boolean): Buffer {
    if (this.#lostBytes === 0) return Buffer.alloc(0);
    const line = this.#markedLine(`${this.#lostBytes} bytes lost: ${this.#lostReason}`);
    return isBodyLineStart ? line : Buffer.concat([line, this.#stamp()]);
  }

  #markedLine(text: string): Buffer {
    // Control characters would break the line or smuggle escapes into the log: make them spaces.
    // eslint-disable-next-line no-control-regex
    const clean = text.replace(/[\x00-\x1f\x7f]/g, " ");
    return Buffer.concat([this.#stamp(), Buffer.from(`[-- hearth: ${clean} --]\n`)]);
  }

  #stamp(): Buffer {
    return Buffer.from(`${this.#now().toISOString()} `, "latin1");
  }

  #report(err: Error): void {
    try {
      if (this.#options.onError) this.#options.onError(err);
      else process.emitWarning(err);
    } catch (thrown) {
      // A throwing onError must not break the log: that would turn a disk problem into a crash.
      process.emitWarning(
        new Error(`the console log's onError threw: ${describeError(thrown)}`, { cause: err }),
      );
    }
  }
}
