import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { FileTokenizer } from "strtok3";

/** Bytes fetched per disk read; a tag header, the first frames and a footer each fit in one. */
const BLOCK_BYTES = 64 << 10;
/** Blocks kept per file: the head, the tail (ID3v1/APE footers) and a couple in between. */
const MAX_BLOCKS = 4;

interface Block {
  start: number;
  data: Buffer;
}

// Block buffers are reused across files: a worker reads one file at a time, and allocating fresh
// 64 KiB buffers for 20 000 files leaves hundreds of megabytes of garbage for the GC to find.
const spare: Buffer[] = [];

/** The full 64 KiB buffer behind a block's (possibly shorter) view. */
function whole(view: Buffer): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, BLOCK_BYTES);
}

/**
 * The slice of FileHandle that strtok3's FileTokenizer uses, served from a few 64 KiB blocks.
 * music-metadata reads a file in dozens of 3–32-byte pieces (frame headers, Xing fields, tag
 * frames); each is a thread-pool round trip with FileHandle, which cost ~1.5 ms of CPU per MP3.
 * Blocks make it 2–3 reads. Requests larger than a block (a big cover in a tag) go straight to
 * the file.
 *
 * The reads are synchronous system calls. This runs in a metadata worker thread, where blocking
 * stops nobody else, and a FileHandle open/stat/read/close costs a promise, a thread-pool hop and
 * a wake-up each: on 6 000 cached MP3s, sync calls took the worker's CPU per file from ~0.55 ms
 * to ~0.33 ms (measured, whole process). MiniDLNA reads the same way, one file after another.
 * A read stuck on a dead network mount now holds the worker, not one of the four threads of
 * libuv's pool that the catalog and every service share. Such a thread cannot be terminated
 * until its read returns: the pool gives up its file, starts at most a second worker, then
 * refuses files until a stuck read ends (MAX_STUCK_WORKERS in metadata-pool.ts). Node joins
 * worker threads when the process exits, so hearth's exit also waits for that read (systemd
 * kills it after its stop timeout; NFS waits are killable).
 */
class BlockReader {
  readonly #fd: number;
  readonly #blocks: Block[] = [];

  constructor(fd: number) {
    this.#fd = fd;
  }

  async read(
    target: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesRead: number; buffer: Uint8Array }> {
    if (length > BLOCK_BYTES) {
      return { bytesRead: readSync(this.#fd, target, offset, length, position), buffer: target };
    }
    let done = 0;
    while (done < length) {
      const at = position + done;
      const block = this.#blocks.find((b) => at >= b.start && at < b.start + b.data.length);
      const source = block ?? this.#fetch(at);
      if (source === undefined) break; // end of file
      const count = Math.min(length - done, source.start + source.data.length - at);
      source.data.copy(target, offset + done, at - source.start, at - source.start + count);
      done += count;
    }
    return { bytesRead: done, buffer: target };
  }

  #fetch(position: number): Block | undefined {
    // Reads are sequential (music-metadata awaits each), so an evicted block's bytes are no
    // longer needed by anyone when its buffer is refilled.
    const evicted = this.#blocks.length >= MAX_BLOCKS ? this.#blocks.shift() : undefined;
    const buffer =
      evicted !== undefined
        ? whole(evicted.data)
        : (spare.pop() ?? Buffer.allocUnsafe(BLOCK_BYTES));
    const bytesRead = readSync(this.#fd, buffer, 0, BLOCK_BYTES, position);
    if (bytesRead === 0) {
      spare.push(buffer);
      return undefined;
    }
    const block = { start: position, data: buffer.subarray(0, bytesRead) };
    this.#blocks.push(block);
    return block;
  }

  async close(): Promise<void> {
    for (const block of this.#blocks.splice(0)) {
      if (spare.length < MAX_BLOCKS * 2) spare.push(whole(block.data));
    }
    closeSync(this.#fd);
  }
}

/** FileTokenizer's constructor is protected; a subclass may call it. */
class BlockFileTokenizer extends FileTokenizer {
  constructor(reader: BlockReader, size: number, path: string) {
    // FileTokenizer needs only read() and close() of its handle (strtok3 10.x FileTokenizer.js).
    super(reader as unknown as FileHandle, { fileInfo: { path, size } });
  }
}

/**
 * A random-access tokenizer over a file for music-metadata's parseFromTokenizer, reading through
 * a small block cache. Same behaviour as music-metadata's parseFile (parser chosen by the
 * extension in `path`), a fraction of the CPU. For worker threads only (synchronous reads). The
 * caller closes it.
 */
export function openBufferedTokenizer(absPath: string): FileTokenizer {
  const fd = openSync(absPath, "r");
  try {
    const { size } = fstatSync(fd);
    return new BlockFileTokenizer(new BlockReader(fd), size, absPath);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}
