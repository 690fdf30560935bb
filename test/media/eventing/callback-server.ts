import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One NOTIFY as the subscriber's event server received it. */
export interface ReceivedNotify {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** Header names as sent, in order. */
  headerNames: string[];
  body: string;
}

/**
 * A control point's event server on 127.0.0.1: records every request and answers with `status`
 * (or, while `isHolding`, not until `release()`).
 */
export class CallbackServer {
  readonly received: ReceivedNotify[] = [];
  status = 200;
  isHolding = false;
  readonly #held: ServerResponse[] = [];
  readonly #server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      this.received.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        headerNames: req.rawHeaders.filter((_, i) => i % 2 === 0),
        body: Buffer.concat(chunks).toString("utf8"),
      });
      if (this.isHolding) this.#held.push(res);
      else res.writeHead(this.status).end();
    });
  });

  static async start(): Promise<CallbackServer> {
    const server = new CallbackServer();
    await new Promise<void>((resolve) => server.#server.listen(0, "127.0.0.1", resolve));
    return server;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  url(path = "/event"): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Answers the requests held so far. */
  release(): void {
    for (const res of this.#held.splice(0)) res.writeHead(this.status).end();
  }

  /** Resolves once `count` requests arrived; rejects after the deadline. */
  async waitFor(count: number, deadlineMs = 5000): Promise<void> {
    await until(() => this.received.length >= count, `${count} NOTIFYs`, deadlineMs);
  }

  async close(): Promise<void> {
    this.release();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** Polls `condition` until true; rejects naming `what` after the deadline. */
export async function until(
  condition: () => boolean,
  what: string,
  deadlineMs = 5000,
): Promise<void> {
  const endAt = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > endAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
