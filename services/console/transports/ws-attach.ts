import type { FastifyRequest } from "fastify";
import type { WebSocket } from "ws";
import { describeError } from "../../errors.js";
import type { ConsolePort } from "../console-port.js";
import type { AttachMode, ConsoleClient } from "../session/console-sessions.js";

/** Control messages a client sends as WebSocket text frames. */
export type ConsoleControlRequest =
  { type: "force" } | { type: "spectate" } | { type: "attach" } | { type: "break" };

/** What the server sends as text frames; binary frames are terminal bytes. */
export type ConsoleControlMessage =
  | { type: "hello"; port: string; role: "writer" | "spectator"; state: string }
  | { type: "role"; role: "writer" | "spectator" }
  | { type: "notice"; text: string }
  | { type: "error"; text: string };

const MODES = new Set<AttachMode>(["rw", "ro", "force"]);
const REQUESTS: Record<string, AttachMode | "break"> = {
  force: "force",
  spectate: "ro",
  attach: "rw",
  break: "break",
};

/**
 * The dashboard's terminal and `hearth console attach` over one WebSocket: binary frames carry
 * terminal bytes both ways, text frames JSON control (ConsoleControlRequest in,
 * ConsoleControlMessage out). `?mode=rw|ro|force` picks the role on attach; `?who=` names a CLI
 * user. The dashboard login already guarded the upgrade. `bufferedAmount` is what the session
 * table watches: past its limit a client skips output, and one that stops reading is dropped (ws
 * queues unsent frames in memory without bound).
 */
export function wsAttach(port: ConsolePort, socket: WebSocket, request: FastifyRequest): void {
  const query = request.query as Record<string, string | undefined>;
  const mode = MODES.has(query.mode as AttachMode) ? (query.mode as AttachMode) : "rw";
  const who = describeWho(request, query.who);
  const control = (message: ConsoleControlMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const client: ConsoleClient = {
    who,
    send: (bytes) => {
      if (socket.readyState === socket.OPEN) socket.send(bytes, { binary: true });
    },
    notice: (text) => control({ type: "notice", text }),
    roleChanged: (role) => control({ type: "role", role }),
    queuedBytes: () => socket.bufferedAmount,
    close: (reason) => {
      control({ type: "notice", text: reason });
      // terminate(), not close(): a client that stopped reading would never complete a handshake.
      socket.terminate();
    },
  };
  const role = port.attach(client, mode);
  control({ type: "hello", port: port.name, role, state: port.state.state });
  socket.on("message", (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    if (request.session?.isRevoked) {
      client.close("logged out");
      return;
    }
    const bytes = Buffer.isBuffer(data)
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.from(data);
    if (isBinary) {
      port.input(client, bytes);
      return;
    }
    handleControl(port, client, bytes.toString("utf8"), control);
  });
  socket.on("error", () => {
    // A broken connection closes next; 'close' detaches the client.
  });
  socket.on("close", () => port.detach(client));
}

function handleControl(
  port: ConsolePort,
  client: ConsoleClient,
  text: string,
  control: (message: ConsoleControlMessage) => void,
): void {
  let type: unknown;
  try {
    type = (JSON.parse(text) as { type?: unknown } | null)?.type;
  } catch {
    type = undefined;
  }
  const request = typeof type === "string" ? REQUESTS[type] : undefined;
  if (request === undefined) {
    control({
      type: "error",
      text: `unknown control message; send {"type": "force" | "spectate" | "attach" | "break"}`,
    });
    return;
  }
  if (request === "break") {
    // A break can drop a board into its monitor or SysRq: only the writer may send one.
    if (!port.isWriter(client)) {
      control({ type: "error", text: "only the writer can send a break; take over first" });
      return;
    }
    port
      .sendBreak(client.who)
      .catch((err: unknown) => control({ type: "error", text: describeError(err) }));
    return;
  }
  port.request(client, request);
}

function describeWho(request: FastifyRequest, cliUser: string | undefined): string {
  if (request.headers["x-hearth-client"] === "cli") {
    const user = cliUser && /^[\w.-]{1,32}$/.test(cliUser) ? cliUser : "someone";
    return `${user} (cli)`;
  }
  return `${request.ip} (web)`;
}
