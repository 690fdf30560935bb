import { existsSync } from "node:fs";
import { userInfo } from "node:os";
import { WebSocket } from "ws";
import {
  ESCAPE_HELP,
  EscapeParser,
  type ConsoleControlMessage,
  type ConsoleControlRequest,
  type EscapeCommand,
} from "../console/index.js";
import { HearthError } from "../errors.js";
import { EXIT } from "../host/shutdown.js";

export interface AttachOptions {
  sockets: string[];
  port: string;
  mode: "rw" | "ro" | "force";
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

/**
 * `hearth console attach`: the port's terminal in this terminal, over the daemon's control socket
 * (a WebSocket upgrade there, so the socket file's permissions are the only check). The local
 * terminal goes to raw mode and is restored on every way out; Ctrl-E c . detaches and the other
 * conserver escapes become control messages. Resolves with the exit code.
 */
export async function attachConsole(options: AttachOptions): Promise<number> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const socketPath = options.sockets.find((path) => existsSync(path));
  if (!socketPath)
    throw new HearthError(
      "E_NOT_RUNNING",
      `hearth is not running: no control socket at ${options.sockets.join(", ")}`,
      {
        fix: "Start it with `hearth start` (or `systemctl start hearth`).",
      },
    );
  const who = encodeURIComponent(safeUser());
  const url = `ws+unix://${socketPath}:/api/console/ports/${encodeURIComponent(options.port)}/attach?mode=${options.mode}&who=${who}`;
  const ws = new WebSocket(url);
  const say = (text: string) => stderr.write(`\r\n[-- ${text} --]\r\n`);
  const parser = new EscapeParser();
  const wasRaw = stdin.isTTY ? stdin.isRaw : false;
  let isDetaching = false;

  return await new Promise<number>((resolve) => {
    const finish = (code: number) => {
      if (stdin.isTTY) stdin.setRawMode(wasRaw);
      stdin.off("data", onKeys);
      stdin.pause();
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
      resolve(code);
    };
    const send = (request: ConsoleControlRequest) => ws.send(JSON.stringify(request));
    const onEscape = (command: EscapeCommand) => {
      if (command === "detach") {
        isDetaching = true;
        say("detached");
        ws.close(1000);
      } else if (command === "force") send({ type: "force" });
      else if (command === "spectate") send({ type: "spectate" });
      else if (command === "attach") send({ type: "attach" });
      else if (command === "break") send({ type: "break" });
      else say(`escapes:\r\n${ESCAPE_HELP}`);
    };
    const onKeys = (bytes: Buffer) => {
      for (const part of parser.feed(bytes)) {
        if (typeof part === "string") onEscape(part);
        else if (ws.readyState === ws.OPEN) ws.send(part, { binary: true });
      }
    };
    const onSignal = () => {
      isDetaching = true;
      ws.close(1000);
    };
    ws.on("open", () => {
      if (stdin.isTTY) stdin.setRawMode(true);
      stdin.on("data", onKeys);
      stdin.resume();
      process.on("SIGTERM", onSignal);
      process.on("SIGINT", onSignal);
    });
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        stdout.write(data);
        return;
      }
      const message = JSON.parse(data.toString("utf8")) as ConsoleControlMessage;
      if (message.type === "hello")
        say(
          `attached to ${message.port} (${message.state}) as ${message.role}; Ctrl-E c . detaches, Ctrl-E c ? lists the escapes`,
        );
      else if (message.type === "role")
        say(message.role === "writer" ? "you are writing" : "you are watching (read-only)");
      else say(message.text);
    });
    ws.on("unexpected-response", (_request, response) => {
      say(
        response.statusCode === 404
          ? `no console port named ${options.port} (see \`hearth console list\`)`
          : response.statusCode === 503
            ? "the console service is not running; see `hearth status`"
            : `hearth refused the attach (HTTP ${response.statusCode})`,
      );
      finish(EXIT.failure);
    });
    ws.on("error", (err) => {
      say(`connection to hearth failed: ${err.message}`);
      finish(EXIT.failure);
    });
    ws.on("close", (code, reason) => {
      if (!isDetaching)
        say(`hearth closed the session${reason.length ? `: ${reason.toString()}` : ""} (${code})`);
      finish(isDetaching ? EXIT.ok : EXIT.failure);
    });
  });
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry for this uid (containers): the name is only shown to other clients.
    return `uid${process.getuid?.() ?? "?"}`;
  }
}
