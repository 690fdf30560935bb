const LF = 0x0a;
const DEFAULT_CAPACITY_BYTES = 64 * 1024;

/* eslint-disable no-control-regex -- these patterns exist to match control characters */
/** CSI (`ESC [ … final`), also its 8-bit form U+009B. */
const CSI = /(?:\x1b\[|\u009b)[0-?]*[ -/]*[@-~]/g;
/** OSC, DCS, SOS, PM, APC strings up to BEL or ST (`ESC \`), or to the end of an unfinished one. */
const STRING_SEQUENCE = /\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?/g;
/** Other escapes: `ESC` with intermediates and a final byte (`ESC ( B`, `ESC 7`, `ESC =`). */
const SHORT_ESCAPE = /\x1b[ -/]*[0-~]/g;
/** Any control character left, C0 and C1, including a lone ESC. */
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;
/* eslint-enable no-control-regex */

/**
 * The last bytes a port printed (64 KiB by default), replayed to a client when it attaches so it
 * sees what the board printed while nobody watched. A fixed ring: `append` copies only the new
 * bytes, whatever the window size. Bytes are kept as they came; only `lastLines` decodes them.
 */
export class ReplayBuffer {
  readonly #capacityBytes: number;
  #ring: Buffer | undefined;
  /** Where the next byte goes. */
  #end = 0;
  #lengthBytes = 0;
  /** The byte just before the window (the last one pushed out), or -1 when nothing was. */
  #beforeWindow = -1;

  /** `capacityBytes`: how much is kept, default 65536. */
  constructor(capacityBytes = DEFAULT_CAPACITY_BYTES) {
    if (!Number.isInteger(capacityBytes) || capacityBytes < 1) {
      throw new RangeError(
        `a replay buffer needs a capacity of at least 1 byte, got ${capacityBytes}`,
      );
    }
    this.#capacityBytes = capacityBytes;
  }

  /** Adds bytes from the port; the oldest ones beyond the capacity fall out. */
  append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    const capacity = this.#capacityBytes;
    // Allocated on first use: a port that never prints costs nothing.
    const ring = (this.#ring ??= Buffer.allocUnsafe(capacity));
    let source = bytes;
    if (source.length >= capacity) {
      this.#beforeWindow =
        source.length > capacity
          ? (source[source.length - capacity - 1] ?? -1)
          : this.#lastByteOut(capacity);
      source = source.subarray(source.length - capacity);
      source.copy(ring, 0);
      this.#end = 0;
      this.#lengthBytes = capacity;
      return;
    }
    const overflow = this.#lengthBytes + source.length - capacity;
    if (overflow > 0) {
      this.#beforeWindow = ring[(this.#start() + overflow - 1) % capacity] ?? -1;
      this.#lengthBytes -= overflow;
    }
    const first = source.copy(ring, this.#end);
    if (first < source.length) source.copy(ring, 0, first);
    this.#end = (this.#end + source.length) % capacity;
    this.#lengthBytes += source.length;
  }

  /**
   * The window to replay: the last ≤ capacity bytes, cut to begin just after a `\n` unless the
   * whole stream since it began (or was cleared) still fits, or the window holds no `\n` at all.
   * A copy: later appends do not change it.
   */
  snapshot(): Buffer {
    const window = this.#window();
    if (this.#beforeWindow === -1 || this.#beforeWindow === LF) return window;
    const newline = window.indexOf(LF);
    return newline === -1 ? window : window.subarray(newline + 1);
  }

  /**
   * The last `count` lines of the snapshot (the final one may be partial), decoded as UTF-8 with
   * replacement characters, with ANSI escape sequences and control characters removed: for the
   * dashboard's "last lines", not for a terminal. A `\r` inside a line keeps only what followed
   * it, as a terminal would show a progress line that redraws itself.
   */
  lastLines(count: number): string[] {
    if (count < 1) return [];
    const lines = this.snapshot().toString("utf8").split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    return lines.slice(-count).map(cleanLine);
  }

  /** Forgets everything; the next byte starts a new stream. */
  clear(): void {
    this.#end = 0;
    this.#lengthBytes = 0;
    this.#beforeWindow = -1;
  }

  #start(): number {
    return (this.#end - this.#lengthBytes + this.#capacityBytes) % this.#capacityBytes;
  }

  /** A whole window arriving at once pushes out everything; the last byte out was the newest. */
  #lastByteOut(capacity: number): number {
    if (this.#lengthBytes === 0 || this.#ring === undefined) return this.#beforeWindow;
    return this.#ring[(this.#end - 1 + capacity) % capacity] ?? -1;
  }

  #window(): Buffer {
    const ring = this.#ring;
    if (ring === undefined || this.#lengthBytes === 0) return Buffer.alloc(0);
    const start = this.#start();
    const out = Buffer.allocUnsafe(this.#lengthBytes);
    if (start + this.#lengthBytes <= this.#capacityBytes) {
      ring.copy(out, 0, start, start + this.#lengthBytes);
    } else {
      const first = ring.copy(out, 0, start, this.#capacityBytes);
      ring.copy(out, first, 0, this.#lengthBytes - first);
    }
    return out;
  }
}

function cleanLine(line: string): string {
  const trimmed = line.endsWith("\r") ? line.slice(0, -1) : line;
  const redrawn = trimmed.slice(trimmed.lastIndexOf("\r") + 1);
  return redrawn
    .replace(STRING_SEQUENCE, "")
    .replace(CSI, "")
    .replace(SHORT_ESCAPE, "")
    .replace(/\t/g, " ")
    .replace(CONTROL, "");
}
