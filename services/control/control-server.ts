import { chmod, unlink } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect } from "node:net";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import { HearthError } from "../errors.js";
import type { StatusSource } from "../host/host-status.js";

/** A request the control socket hands on to the dashboard's JSON API. */
export interface ControlRequest {
  method: string;
  url: string;
  contentType: string | undefined;
  body: Buffer;
}

export interface ControlResponse {
  statusCode: number;
  contentType: string | undefined;
  body: string;
}

/**
 * The CLI's way into the running daemon: plain HTTP/1.1 over a unix socket, so `curl
 * --unix-socket` works too. Only local users with access to the socket file get in; no passwords.
 * `GET /status` is answered here; everything under /api/ is handed to `forward` (the daemon runs
 * it through the HTTP app as the admin), so the CLI can do what the dashboard does; WebSocket
 * upgrades under /api/ (console attach) go to `upgrade` the same way.
 */
export class ControlServer {
  readonly #socketPath: string;
  readonly #status: StatusSource;
  readonly #log: Logger;
  readonly #forward: ((req: ControlRequest) => Promise<ControlResponse>) | undefined;
  readonly #upgrade: ((req: IncomingMessage, socket: Duplex, head: Buffer) => void) | undefined;
  #server: Server | undefined;

  constructor(options: {
    socketPath: string;
    status: StatusSource;
    log: Logger;
    forward?: (req: ControlRequest) => Promise<ControlResponse>;
    upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  }) {
    this.#socketPath = options.socketPath;
    this.#status = options.status;
    this.#log = options.log;
    this.#forward = options.forward;
    this.#upgrade = options.upgrade;
  }

  async listen(): Promise<void> {
    await this.#removeStaleSocket();
    const server = createServer((req, res) => {
      if (req.method === "GET" && req.url === "/status") {
        this.#status.status().then(
          (status) => {
            res.writeHead(200, { "content-type": "application/json" });
            res.end(JSON.stringify(status));
          },
          (err: unknown) => {
            this.#log.error({ err }, "status for the CLI failed");
            res.writeHead(500).end();
          },
        );
        return;
      }
      if (this.#forward && req.url?.startsWith("/api/")) {
        this.#handOn(req, res);
        return;
      }
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `unknown control request ${req.method} ${req.url}` }));
    });
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (this.#upgrade && req.url?.startsWith("/api/")) this.#upgrade(req, socket, head);
      else socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.#socketPath, () => resolve());
    });
    this.#server = server;
    await chmod(this.#socketPath, 0o660);
  }

  #handOn(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request: ControlRequest = {
        method: req.method ?? "GET",
        url: req.url ?? "/",
        contentType: req.headers["content-type"],
        body: Buffer.concat(chunks),
      };
      this.#forward?.(request).then(
        (answer) => {
          res.writeHead(answer.statusCode, { "content-type": answer.contentType ?? "text/plain" });
          res.end(answer.body);
        },
        (err: unknown) => {
          this.#log.error({ err }, "control request failed");
          res.writeHead(500).end();
        },
      );
    });
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A socket file left by a killed daemon blocks listen(); one that answers means a live hearth. */
  async #removeStaleSocket(): Promise<void> {
    const isLive = await new Promise<boolean>((resolve) => {
      const probe = connect(this.#socketPath);
      probe.once("connect", () => (probe.destroy(), resolve(true)));
      probe.once("error", () => resolve(false));
    });
    if (isLive)
      throw new HearthError("E_PORT_BUSY", `another hearth is answering on ${this.#socketPath}`, {
        fix: "Stop the other hearth (systemctl stop hearth) or give this one another --data dir.",
      });
    await unlink(this.#socketPath).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "ENOENT") throw err;
    });
  }
}
