import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";

const LF = 0x0a;
const NEWLINE = Buffer.from("\n");
const NOTHING = Buffer.alloc(0);
/** How far a file may run past its limit to finish a line it already holds. */
const LINE_SLACK_BYTES = 4096;

/**
 * One batch of log bytes on its way to disk. `consumed` grows as bytes reach the file, so after
 * a failure the caller knows exactly what is still unwritten.
 */
export interface AppendJob {
  bytes: Buffer;
  /** `bytes` begins a line (its first bytes are a stamp). */
  isLineStart: boolean;
  consumed: number;
}

export interface LogFileOptions {
  path: string;
  maxBytes: number;
  /** Moves the full file aside; the next open creates a new one. */
  rotate: () => Promise<void>;
  /** A fresh line stamp, for a line that has to continue in a new file. */
  stamp: () => Buffer;
}

interface Cut {
  count: number;
  isRotateAfter: boolean;
}

/**
 * Appends batches to a port's current log file and rotates it at its size limit, cutting at a
 * line boundary where one is near. The file is opened per batch (at most one a second): that
 * picks up its size across restarts and after rotation, and holds no descriptor while idle.
 */
export class LogFile {
  readonly #options: LogFileOptions;
  /** Whether the file ends with `\n`; undefined until read from disk. */
  #isAtLineEnd: boolean | undefined;
  #hasUnsyncedBytes = false;

  constructor(options: LogFileOptions) {
    this.#options = options;
  }

  /** Writes all of `job.bytes`, rotating as often as needed. Rejects on the first failure. */
  async append(job: AppendJob): Promise<void> {
    while (job.consumed < job.bytes.length) {
      if (await this.#appendToCurrent(job)) {
        await this.#options.rotate();
        this.#isAtLineEnd = true;
      }
    }
  }

  /** fdatasync once, if anything was written since the last one (a clean stop, not per line). */
  async sync(): Promise<void> {
    if (!this.#hasUnsyncedBytes) return;
    let handle: FileHandle;
    try {
      // Read-only is enough for fdatasync on Linux, and does not create a file rotated away.
      handle = await open(this.#options.path, "r");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return; // rotated away: nothing to sync
      throw err;
    }
    try {
      await handle.datasync();
      this.#hasUnsyncedBytes = false;
    } finally {
      await handle.close();
    }
  }

  /** Writes what fits into the current file; resolves true when the file must rotate now. */
  async #appendToCurrent(job: AppendJob): Promise<boolean> {
    // "a+": appends, and can read the last byte of a file an earlier run left.
    const handle = await open(this.#options.path, "a+");
    try {
      const { size } = await handle.stat();
      const isAtLineEnd =
        size === 0 || (this.#isAtLineEnd ?? (await endsWithNewline(handle, size)));
      const isLineStart = job.consumed === 0 ? job.isLineStart : job.bytes[job.consumed - 1] === LF;
      // A file left mid-line (an earlier run stopped there) gets its line ended before a new
      // stamped one; a line continued in a fresh file gets a stamp, so every file starts stamped.
      const join =
        isAtLineEnd === isLineStart ? NOTHING : isLineStart ? NEWLINE : this.#options.stamp();
      const piece = job.bytes.subarray(job.consumed);
      const cut = chooseCut(piece, size, join.length, !isLineStart, this.#options.maxBytes);
      await this.#writeAll(handle, join, piece.subarray(0, cut.count), job);
      return cut.isRotateAfter;
    } finally {
      await handle.close();
    }
  }

  async #writeAll(handle: FileHandle, join: Buffer, piece: Buffer, job: AppendJob): Promise<void> {
    const bytes = join.length === 0 ? piece : Buffer.concat([join, piece]);
    const consumedBefore = job.consumed;
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
      if (bytesWritten === 0) throw new Error("the file system accepted no bytes");
      offset += bytesWritten;
      job.consumed = consumedBefore + Math.max(0, offset - join.length);
      this.#isAtLineEnd = bytes[offset - 1] === LF;
      this.#hasUnsyncedBytes = true;
    }
  }
}

/**
 * How much of `piece` goes into a file of `sizeBytes` (+ `joinBytes` about to be written) before
 * it rotates. `isLineOpen`: `piece` continues a line the file already holds. Prefers the last
 * `\n` that fits; else rotates before a new line; else finishes an open line within a little
 * slack; else (one line longer than a file) cuts mid-line.
 */
export function chooseCut(
  piece: Buffer,
  sizeBytes: number,
  joinBytes: number,
  isLineOpen: boolean,
  maxBytes: number,
): Cut {
  const usedBytes = sizeBytes + joinBytes;
  const roomBytes = maxBytes - usedBytes;
  if (piece.length <= roomBytes) return { count: piece.length, isRotateAfter: false };
  const lastNewline = roomBytes > 0 ? piece.lastIndexOf(LF, roomBytes - 1) : -1;
  if (lastNewline >= 0) return { count: lastNewline + 1, isRotateAfter: true };
  if (!isLineOpen && sizeBytes > 0) return { count: 0, isRotateAfter: true };
  const firstNewline = piece.indexOf(LF);
  const slackBytes = Math.min(LINE_SLACK_BYTES, Math.floor(maxBytes / 4));
  // Finish the line the file holds (or a fresh file's first line) rather than split it.
  if (
    (isLineOpen || sizeBytes === 0) &&
    firstNewline >= 0 &&
    firstNewline < roomBytes + slackBytes
  ) {
    return { count: firstNewline + 1, isRotateAfter: true };
  }
  // One line longer than a whole file: cut it. A fresh file always takes at least one byte, so
  // rotation cannot loop without progress.
  const minimum = sizeBytes === 0 ? 1 : 0;
  return { count: Math.min(piece.length, Math.max(roomBytes, minimum)), isRotateAfter: true };
}

async function endsWithNewline(handle: FileHandle, size: number): Promise<boolean> {
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0] === LF;
}
