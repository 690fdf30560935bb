import type { ServerResponse } from "node:http";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import type { Session } from "../auth/session-store.js";
import type { StatusSource } from "../host/host-status.js";

interface Client {
  response: ServerResponse;
  session: Session | null;
}

/**
 * `GET /api/events`: Server-Sent Events carrying the full HostStatus (`event: status`), pushed
 * when StatusSource.onChange fires and refreshed every `refreshMs` for uptime and CPU figures.
 * The subscription and the timer exist only while a dashboard is connected: an idle box with no
 * browser open runs no timers here. Bursts of changes coalesce into one push.
 */
export class StatusEvents {
  readonly #status: StatusSource;
  readonly #log: Logger;
  readonly #refreshMs: number;
  readonly #clients = new Set<Client>();
  #unsubscribe: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #isPushing = false;
  #isPushPending = false;
  #hasLoggedFailure = false;

  constructor(status: StatusSource, log: Logger, refreshMs = 10_000) {
    this.#status = status;
    this.#log = log;
    this.#refreshMs = refreshMs;
  }

  /** Adds the route and ends every stream when the server closes (else close would wait on them). */
  install(app: FastifyInstance): void {
    app.get("/api/events", (request, reply) => {
      reply.hijack();
      this.#open(request, reply.raw);
    });
    app.addHook("preClose", async () => this.close());
  }

  /** Connected dashboards. */
  get clientCount(): number {
    return this.#clients.size;
  }

  /** Ends every stream and stops listening. */
  close(): void {
    for (const client of [...this.#clients]) client.response.end();
    this.#clients.clear();
    this.#idle();
  }

  #open(request: FastifyRequest, response: ServerResponse): void {
    response.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      // Tells a reverse proxy (nginx) not to buffer the stream.
      "x-accel-buffering": "no",
    });
    // Browsers reconnect after `retry` ms when the stream drops (hearth restarting, Wi-Fi blip).
    response.write("retry: 3000\n\n");
    const client: Client = { response, session: request.session };
    this.#clients.add(client);
    response.on("close", () => this.#drop(client));
    if (this.#clients.size === 1) this.#wake();
    void this.#push([client]);
  }

  #wake(): void {
    this.#unsubscribe = this.#status.onChange(() => void this.#pushAll());
    this.#timer = setInterval(() => void this.#pushAll(), this.#refreshMs).unref();
  }

  #idle(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #drop(client: Client): void {
    if (!this.#clients.delete(client)) return;
    if (this.#clients.size === 0) this.#idle();
  }

  /** One push at a time; changes that arrive meanwhile collapse into a single follow-up push. */
  async #pushAll(): Promise<void> {
    if (this.#isPushing) {
      this.#isPushPending = true;
      return;
    }
    this.#isPushing = true;
    try {
      do {
        this.#isPushPending = false;
        await this.#push([...this.#clients]);
      } while (this.#isPushPending && this.#clients.size > 0);
    } finally {
      this.#isPushing = false;
    }
  }

  async #push(clients: Client[]): Promise<void> {
    let frame: string;
    try {
      frame = `event: status\ndata: ${JSON.stringify(await this.#status.status())}\n\n`;
    } catch (err) {
      // Logged once: a broken status source would otherwise log on every refresh.
      if (!this.#hasLoggedFailure)
        this.#log.error({ err }, "cannot read the host status for the dashboard");
      this.#hasLoggedFailure = true;
      return;
    }
    for (const client of clients) {
      if (client.session?.isRevoked === true) {
        // Logged out (or the password changed) since the stream opened: stop telling it things.
        client.response.end();
        this.#drop(client);
      } else if (this.#clients.has(client)) {
        client.response.write(frame);
      }
    }
  }
}
