import { createServer, type Server, type Socket } from "node:net";
import type { Logger } from "pino";
import { HearthError, describeError } from "../../errors.js";
import type { ConsolePort } from "../console-port.js";
import type { ConsoleClient, SessionRole } from "../session/console-sessions.js";
import { ESCAPE_HELP, EscapeParser, type EscapeCommand } from "../session/escape-parser.js";

const MAX_CLIENTS = 32;

/**
 * Raw TCP attach for one port (what nc, telnet in raw mode, labgrid and pyserial's socket://
 * speak): bytes both ways, no negotiation, with conserver's escape (Ctrl-E c …) for force,
 * spectate, break and detach. Each connection is a client of the port's session table.
 */
export class TcpAttach {
  readonly #port: ConsolePort;
  readonly #listen: string;
  readonly #tcpPort: number;
  readonly #log: Logger;
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;

  constructor(options: { port: ConsolePort; listen: string; tcpPort: number; log: Logger }) {
    this.#port = options.port;
    this.#listen = options.listen;
    this.#tcpPort = options.tcpPort;
    this.#log = options.log;
  }

  async start(): Promise<void> {
    const server = createServer((socket) => this.#connected(socket));
    server.maxConnections = MAX_CLIENTS;
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err: NodeJS.ErrnoException) =>
        reject(
          new HearthError(
            "E_PORT_BUSY",
            `cannot listen on ${this.#listen}:${this.#tcpPort} for console ${this.#port.name}: ${err.code ?? err.message}`,
            {
              cause: err,
              fix: `Pick a free port in console.ports.${this.#port.name}.tcp.port, or stop what uses it.`,
            },
          ),
        ),
      );
      server.listen(this.#tcpPort, this.#listen, () => resolve());
    });
    server.on("error", (err) =>
      this.#log.warn({ err, port: this.#port.name }, "console TCP listener error"),
    );
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #connected(socket: Socket): void {
    this.#sockets.add(socket);
    // Keystroke echo must not wait for Nagle: every byte goes out as it comes.
    socket.setNoDelay(true);
    const who = `${socket.remoteAddress ?? "?"}:${socket.remotePort ?? "?"} (tcp)`;
    const port = this.#port;
    const parser = new EscapeParser();
    let isGone = false;
    const client: ConsoleClient = {
      who,
      send: (bytes) => {
        if (!isGone) socket.write(bytes);
      },
      notice: (text) => {
        if (!isGone) socket.write(`\r\n[-- hearth: ${text} --]\r\n`);
      },
      roleChanged: (role: SessionRole) =>
        client.notice(role === "writer" ? "you are writing" : "you are watching (read-only)"),
      queuedBytes: () => socket.writableLength,
      close: (reason) => {
        if (isGone) return;
        // A client dropped for not reading has a full buffer: end() would wait for it forever.
        socket.write(`\r\n[-- hearth: ${reason} --]\r\n`);
        isGone = true;
        socket.destroySoon();
        setTimeout(() => socket.destroy(), 2000).unref();
      },
    };
    port.attach(client, "rw");
    socket.on("data", (bytes: Buffer) => {
      for (const part of parser.feed(bytes)) {
        if (typeof part === "string") this.#escape(client, part, socket);
        else port.input(client, part);
      }
    });
    socket.on("error", () => {
      // Resets and timeouts from the peer end the session; 'close' follows and detaches it.
    });
    socket.on("close", () => {
      isGone = true;
      this.#sockets.delete(socket);
      port.detach(client);
    });
  }

  #escape(client: ConsoleClient, command: EscapeCommand, socket: Socket): void {
    const port = this.#port;
    switch (command) {
      case "detach":
        client.close("detached");
        socket.end();
        return;
      case "force":
        port.request(client, "force");
        return;
      case "spectate":
        port.request(client, "ro");
        return;
      case "attach":
        port.request(client, "rw");
        return;
      case "break":
        // A break can drop a board into its monitor or SysRq: only the writer may send one.
        if (!port.isWriter(client)) client.notice("only the writer can send a break");
        else port.sendBreak(client.who).catch((err: unknown) => client.notice(describeError(err)));
        return;
      case "who":
        client.notice(
          port
            .view()
            .clients.map((c) => `${c.who} ${c.role}`)
            .join("; "),
        );
        return;
      case "help":
        client.notice(`escapes:\r\n${ESCAPE_HELP}`);
        return;
    }
  }
}
