import { connect, type Socket } from "node:net";

/** Bytes of recent output kept for text searches (hearth replays up to 64 KiB on attach). */
const WINDOW_BYTES = 256 * 1024;

/**
 * A raw TCP console client (what `nc` or labgrid is): counts every byte it receives and keeps
 * the recent ones for text searches. Waiting is event-driven: each condition is checked when
 * bytes arrive, so a round trip is measured without polling delays. Never sends 0x05: hearth
 * reserves Ctrl-E as its conserver-style escape.
 */
export class RawClient {
  readonly #socket: Socket;
  #received = 0;
  #chunks: Buffer[] = [];
  #chunkBytes = 0;
  #last = Buffer.alloc(0);
  #waiters = new Set<() => void>();
  #closeReason: string | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.#onData(chunk));
    socket.on("close", () => {
      this.#closeReason ??= "the manager closed the connection";
      this.#wake();
    });
    socket.on("error", (err) => (this.#closeReason = err.message));
  }

  static connect(port: number, timeoutMs = 5000): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no TCP answer on 127.0.0.1:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve(new RawClient(socket));
      });
      socket.once("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  /** Bytes received since connecting. */
  get received(): number {
    return this.#received;
  }

  write(bytes: string | Buffer): void {
    const buffer = typeof bytes === "string" ? Buffer.from(bytes, "latin1") : bytes;
    if (buffer.includes(0x05)) throw new Error("0x05 (Ctrl-E) is hearth's escape: not sent");
    this.#socket.write(buffer);
  }

  /** True when the last bytes received are `text`. Cheap: looks only at the tail. */
  endsWith(text: string): boolean {
    return this.#last.toString("latin1").endsWith(text);
  }

  /** The recent output (up to WINDOW_BYTES), for text searches. */
  recentText(): string {
    if (this.#chunks.length > 1) this.#chunks = [Buffer.concat(this.#chunks)];
    return this.#chunks[0]?.toString("latin1") ?? "";
  }

  /** Resolves once `condition()` holds, checked now and after every arrival. */
  until(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (condition()) {
          finish();
          resolve();
        } else if (this.#closeReason !== undefined) {
          finish();
          reject(new Error(`${what}: ${this.#closeReason}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`${what}: nothing after ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Waits until `text` shows up in the recent output. */
  untilText(text: string, timeoutMs = 10_000): Promise<void> {
    return this.until(`waiting for ${JSON.stringify(text)}`, () => this.#hasText(text), timeoutMs);
  }

  close(): void {
    this.#closeReason = "closed by the bench";
    this.#socket.destroy();
  }

  #hasText(text: string): boolean {
    return this.recentText().includes(text);
  }

  #onData(chunk: Buffer): void {
    this.#received += chunk.length;
    this.#last = Buffer.concat([this.#last, chunk.subarray(-64)]).subarray(-64);
    this.#chunks.push(chunk);
    this.#chunkBytes += chunk.length;
    // Keep about WINDOW_BYTES by dropping whole chunks from the front: no copy per arrival.
    while (this.#chunkBytes - (this.#chunks[0]?.length ?? 0) >= WINDOW_BYTES) {
      this.#chunkBytes -= this.#chunks.shift()?.length ?? 0;
    }
    this.#wake();
  }

  #wake(): void {
    for (const check of [...this.#waiters]) check();
  }
}
