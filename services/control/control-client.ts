import { request } from "node:http";
import { HearthError } from "../errors.js";
import type { HostStatus } from "../host/host-status.js";

/** Asks the running daemon for its status over the first control socket that answers. */
export async function fetchStatus(socketPaths: readonly string[]): Promise<HostStatus> {
  const tried: string[] = [];
  for (const socketPath of socketPaths) {
    try {
      return JSON.parse(await get(socketPath, "/status")) as HostStatus;
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

function get(socketPath: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: "GET", timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        res.statusCode === 200
          ? resolve(Buffer.concat(chunks).toString("utf8"))
          : reject(new Error(`control socket answered ${res.statusCode}`)),
      );
    });
    req.on("timeout", () => req.destroy(new Error("control socket timed out")));
    req.on("error", reject);
    req.end();
  });
}
