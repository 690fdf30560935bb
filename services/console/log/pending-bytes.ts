const LF = 0x0a;
const DEFAULT_BLOCK_BYTES = 16 * 1024;

/** What `PendingBytes.dropOldest` threw away. */
export interface DroppedBytes {
  droppedBytes: number;
  /** The oldest byte still pending begins a line (the last dropped byte was `\n`). */
  isHeadLineStart: boolean;
}

/**
 * Bytes waiting for the disk, oldest first. A serial port at line rate hands over thousands of
 * reads of a few bytes each, so bytes are copied into fixed-size blocks (one copy, no allocation
 * per read) instead of being kept as thousands of small Buffers. The caller's Buffer is never kept,
 * so a caller may reuse it.
 */
export class PendingBytes {
  readonly #blockBytes: number;
  /** Sealed blocks, oldest first; each is exactly as long as the bytes it holds. */
  #blocks: Buffer[] = [];
  #current: Buffer | undefined;
  #fill = 0;
  #sizeBytes = 0;

  constructor(blockBytes = DEFAULT_BLOCK_BYTES) {
    this.#blockBytes = blockBytes;
  }

  get sizeBytes(): number {
    return this.#sizeBytes;
  }

  /** Appends a copy of `bytes`. */
  push(bytes: Buffer): void {
    let offset = 0;
    while (offset < bytes.length) {
      this.#current ??= Buffer.allocUnsafe(this.#blockBytes);
      const copied = bytes.copy(this.#current, this.#fill, offset);
      this.#fill += copied;
      offset += copied;
      if (this.#fill === this.#blockBytes) this.#seal();
    }
    this.#sizeBytes += bytes.length;
  }

  /** Puts bytes back in front of everything pending (a write that failed). Keeps `bytes` itself. */
  unshift(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.#blocks.unshift(bytes);
    this.#sizeBytes += bytes.length;
  }

  /** Removes and returns everything pending, as one Buffer. */
  take(): Buffer {
    const parts = this.#blocks;
    if (this.#current !== undefined && this.#fill > 0) {
      parts.push(this.#current.subarray(0, this.#fill));
    }
    const all = Buffer.concat(parts, this.#sizeBytes);
    // concat copied everything, so the current block can be refilled from its start.
    this.#blocks = [];
    this.#fill = 0;
    this.#sizeBytes = 0;
    return all;
  }

  /**
   * Drops the oldest bytes until at most `limitBytes` are pending. The cut is moved forward to just
   * after a `\n` inside the block it falls in, so what is kept starts on a line whenever it can.
   */
  dropOldest(limitBytes: number): DroppedBytes {
    let droppedBytes = 0;
    let lastDropped = -1;
    if (this.#sizeBytes > limitBytes) this.#seal();
    while (this.#sizeBytes > limitBytes) {
      const head = this.#blocks[0];
      if (head === undefined) break;
      const excess = this.#sizeBytes - limitBytes;
      const newline = head.length <= excess ? -1 : head.indexOf(LF, excess - 1);
      const cut = newline === -1 ? head.length : newline + 1;
      lastDropped = head[cut - 1] ?? -1;
      if (cut === head.length) this.#blocks.shift();
      else this.#blocks[0] = head.subarray(cut);
      droppedBytes += cut;
      this.#sizeBytes -= cut;
    }
    return { droppedBytes, isHeadLineStart: lastDropped === LF };
  }

  #seal(): void {
    if (this.#current === undefined || this.#fill === 0) return;
    this.#blocks.push(this.#current.subarray(0, this.#fill));
    this.#current = undefined;
    this.#fill = 0;
  }
}
