/**
 * Reusable read buffers for streaming files. A fresh Buffer per read costs an mmap, page faults and
 * GC work that doubled the CPU per GiB in our measurements (README); a buffer goes
 * back to the pool once the socket has written it and is reused by the next read of any stream.
 * Only `maxIdle` buffers are kept between streams; a stream in flight holds one or two.
 */
export class BufferPool {
  readonly chunkBytes: number;
  readonly #maxIdle: number;
  readonly #idle: Buffer[] = [];

  constructor(options: { chunkBytes: number; maxIdle: number }) {
    this.chunkBytes = options.chunkBytes;
    this.#maxIdle = options.maxIdle;
  }

  /** A buffer of `chunkBytes`; its content is garbage. Give it back with `give` when done. */
  take(): Buffer {
    // allocUnsafeSlow: a buffer of its own, not a slice of Node's shared 8 KiB pool.
    return this.#idle.pop() ?? Buffer.allocUnsafeSlow(this.chunkBytes);
  }

  /** Returns a buffer no one reads or writes any more (the socket's write callback has run). */
  give(buffer: Buffer): void {
    if (this.#idle.length < this.#maxIdle) this.#idle.push(buffer);
  }

  /** Buffers waiting for reuse (tests, health). */
  get idleCount(): number {
    return this.#idle.length;
  }
}
