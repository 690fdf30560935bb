import { constants } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import type { BufferPool } from "./buffer-pool.js";
import { parseByteRange } from "./byte-range.js";

/** One file to answer a GET or HEAD with. */
export interface FileReply {
  /** Built from the catalog (root path + catalog relPath), never from the request. */
  absPath: string;
  mime: string;
  /** Headers of a 200/206 reply besides the entity ones (DLNA headers). */
  headers: Readonly<Record<string, string>>;
}

/** I/O errors in the middle of a stream are logged at most this often. */
const WARN_EVERY_MS = 60_000;

/**
 * Serves a file with byte ranges (RFC 9110) as fast as Node allows without sendfile: reads into
 * pooled buffers (FileHandle.read) and writes them to the raw response with backpressure
 * (README: measured against createReadStream and reply.send(stream)). The size sent is the
 * file's size now (fstat), not the catalog's: a file rewritten since the last scan is served
 * whole and the indexer catches up. The file is closed as soon as the client goes away.
 */
export class FileSender {
  readonly #pool: BufferPool;
  readonly #log: Logger;
  readonly #maxTransfers: number;
  #transfers = 0;
  #lastWarnAt = -Infinity;

  /**
   * `maxTransfers`: files open at once. A client that stops reading keeps its transfer (and one
   * buffer) for as long as it keeps the connection (DLNA HTTP stalling), so this bounds memory.
   */
  constructor(options: { pool: BufferPool; log: Logger; maxTransfers: number }) {
    this.#pool = options.pool;
    this.#log = options.log;
    this.#maxTransfers = options.maxTransfers;
  }

  /** Transfers in progress (files open). */
  get transfers(): number {
    return this.#transfers;
  }

  /** Answers `request` with the file: 200, 206, 416; 404 when it cannot be opened; 503 when busy. */
  async send(request: FastifyRequest, reply: FastifyReply, file: FileReply): Promise<void> {
    if (this.#transfers >= this.#maxTransfers) {
      // MiniDLNA answers 503 past its max_connections (50) too; players retry.
      return void reply
        .code(503)
        .header("retry-after", "5")
        .send({ error: "too many transfers at once; retry shortly" });
    }
    this.#transfers += 1;
    try {
      await this.#send(request, reply, file);
    } finally {
      this.#transfers -= 1;
    }
  }

  async #send(request: FastifyRequest, reply: FastifyReply, file: FileReply): Promise<void> {
    const opened = await openFile(file.absPath);
    if (opened === undefined) {
      // In the catalog but gone or unreadable on disk: the indexer will notice; nothing to fix here.
      this.#log.debug({ path: file.absPath }, "a catalogued file could not be opened");
      return void reply.code(404).send({ error: "not found" });
    }
    const { handle, sizeBytes, lastModified } = opened;
    try {
      const range = parseByteRange(usableRange(request, lastModified), sizeBytes);
      if (range.kind === "unsatisfiable") {
        return void reply
          .code(416)
          .header("content-range", `bytes */${sizeBytes}`)
          .send({ error: "range not satisfiable" });
      }
      const [start, end] = range.kind === "part" ? [range.start, range.end] : [0, sizeBytes - 1];
      const headers: Record<string, string> = {
        "Content-Type": file.mime,
        "Content-Length": String(end - start + 1),
        "Accept-Ranges": "bytes",
        "Last-Modified": lastModified,
        ...file.headers,
      };
      if (range.kind === "part") headers["Content-Range"] = `bytes ${start}-${end}/${sizeBytes}`;
      // Hijacked: fastify's send() would pipe a stream through fresh buffers (slower), and
      // writeHead keeps the header spelling DLNA clients expect ("contentFeatures.dlna.org").
      reply.hijack();
      const res = reply.raw;
      res.writeHead(range.kind === "part" ? 206 : 200, headers);
      if (request.method === "HEAD" || end < start) return void res.end();
      await this.#pump(handle, res, { start, end, absPath: file.absPath });
    } finally {
      await handle.close().catch((err: unknown) => this.#warn(err, file.absPath, "close"));
    }
  }

  /** Copies bytes start..end to `res`; ends it, or destroys it when the file came up short. */
  async #pump(
    handle: FileHandle,
    res: ServerResponse,
    { start, end, absPath }: { start: number; end: number; absPath: string },
  ): Promise<void> {
    // The client may have gone while the file was opened; 'close' has fired already then.
    let isGone = res.destroyed;
    const onClose = () => (isGone = true);
    res.once("close", onClose);
    let position = start;
    try {
      while (position <= end && !isGone) {
        const buffer = this.#pool.take();
        const wanted = Math.min(buffer.length, end - position + 1);
        const { bytesRead } = await handle.read(buffer, 0, wanted, position);
        if (bytesRead === 0 || isGone) {
          this.#pool.give(buffer);
          break;
        }
        position += bytesRead;
        const chunk = bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
        // The buffer is reused only once the socket is done with it.
        if (!res.write(chunk, () => this.#pool.give(buffer))) await drained(res);
      }
    } catch (err) {
      this.#warn(err, absPath, "read");
    } finally {
      res.off("close", onClose);
    }
    // Short (the file shrank, or a read failed): the promised Content-Length cannot be kept, so
    // the connection is cut and the client sees an incomplete body, not a wrong one.
    if (position <= end) res.destroy();
    else res.end();
  }

  #warn(err: unknown, path: string, what: string): void {
    const now = Date.now();
    if (now - this.#lastWarnAt < WARN_EVERY_MS) return;
    this.#lastWarnAt = now;
    this.#log.warn(
      { err, path },
      `a media file failed to ${what} while streaming; the client got a cut reply`,
    );
  }
}

async function openFile(
  absPath: string,
): Promise<{ handle: FileHandle; sizeBytes: number; lastModified: string } | undefined> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: a FIFO put where a media file was would otherwise hang a pool thread in open().
    handle = await open(absPath, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    // ENOENT, EACCES, ELOOP...: all mean "cannot serve this", which the caller answers with 404.
    return undefined;
  }
  try {
    const stats = await handle.stat();
    if (stats.isFile()) {
      return { handle, sizeBytes: stats.size, lastModified: stats.mtime.toUTCString() };
    }
  } catch {
    // fstat on an open descriptor failing is as good as a missing file: 404 below.
  }
  // Not a regular file (a directory, a device): refused like a missing file; closing a descriptor
  // that was only fstat'ed cannot lose data, so a failure to close is not worth a log line.
  await handle.close().catch(() => undefined);
  return undefined;
}

/**
 * The Range header, unless If-Range names another version (RFC 9110 §13.1.5): replies carry only
 * Last-Modified, so anything but that exact date (an ETag, an older date) means "send it whole".
 */
function usableRange(request: FastifyRequest, lastModified: string): string | undefined {
  const range = request.headers.range;
  const ifRange = request.headers["if-range"];
  return ifRange === undefined || ifRange === lastModified ? range : undefined;
}

/** Resolves when the response can take more data, or when the client has gone. */
function drained(res: ServerResponse): Promise<void> {
  if (res.destroyed || !res.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
