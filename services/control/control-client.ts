import { request } from "node:http";
import { HearthError } from "../errors.js";
import type { HostStatus } from "../host/host-status.js";

/** Asks the running daemon for its status over the first control socket that answers. */
export async function fetchStatus(socketPaths: readonly string[]): Promise<HostStatus> {
  const { statusCode, body } = await controlRequest(socketPaths, "GET", "/status");
  if (statusCode !== 200) throw new Error(`hearth answered ${statusCode} to a status request`);
  return JSON.parse(body) as HostStatus;
}

/** What the daemon answered to a control request. */
export interface ControlAnswer {
  statusCode: number;
  body: string;
}

/**
 * Sends one request to the running daemon over the first control socket that answers; paths under
 * /api/ reach the same JSON API as the dashboard. Rejects with E_NOT_RUNNING when none answers.
 */
export async function controlRequest(
  socketPaths: readonly string[],
  method: string,
  path: string,
  json?: unknown,
): Promise<ControlAnswer> {
  const tried: string[] = [];
  for (const socketPath of socketPaths) {
    try {
      return await send(socketPath, method, path, json);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      tried.push(`${socketPath} (${code === "EACCES" ? "permission denied" : "no answer"})`);
      if (code === "EACCES") break;
    }
  }
  throw new HearthError("E_NOT_RUNNING", `hearth is not running: tried ${tried.join(", ")}`, {
    fix: "Start it with `hearth start` (or `systemctl start hearth`); to reach a system install run the CLI as a member of the hearth group.",
  });
}

function send(
  socketPath: string,
  method: string,
  path: string,
  json?: unknown,
): Promise<ControlAnswer> {
  const body = json === undefined ? undefined : JSON.stringify(json);
  const headers = body === undefined ? {} : { "content-type": "application/json" };
  return new Promise((resolve, reject) => {
    // agent: false, a connection per request: Node's global agent keeps connections alive, and a
    // caller that was busy (spawnSync in a script) would reuse one the daemon has since closed
    // and fail with EPIPE, which reads as "hearth is not running". A unix socket costs nothing.
    const options = { socketPath, path, method, headers, timeout: 5_000, agent: false };
    const req = request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    req.on("timeout", () => req.destroy(new Error("control socket timed out")));
    req.on("error", reject);
    req.end(body);
  });
}
