import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { controlRequest } from "../../services/control/control-client.js";
import { join } from "node:path";

const root = new URL("../../", import.meta.url).pathname;
/** The compiled entry point, as the box runs it (scripts/test builds it first). */
export const MAIN = join(root, "dist/services/main.js");

export interface HearthProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  dataDir: string;
  home: string;
  /** Everything the process wrote to stdout so far, split into lines. */
  lines(): string[];
  /** Parsed JSON log lines. */
  logs(): Array<Record<string, unknown>>;
  waitForLog(
    match: (entry: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  cleanup(): void;
}

/**
 * Starts the real compiled hearth (`node dist/services/main.js start`) on a free port with a fresh
 * data dir and HOME, the embedded default config unless `args` say otherwise, and waits until it
 * answers on /healthz.
 */
export async function startHearth(
  options: {
    args?: string[];
    env?: NodeJS.ProcessEnv;
    /** Runs hearth through this (e.g. TestNetns.wrap); readiness is then asked over the control socket. */
    wrap?: (command: string, args: readonly string[]) => [string, string[]];
  } = {},
): Promise<HearthProcess> {
  if (!existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run \`bash scripts/setup test\` (it builds dist/) first`);
  const base = mkdtempSync(join(tmpdir(), "hearth-proc-"));
  // `--data DIR` in args wins over the fresh one, as it does in hearth itself.
  const dataFlag = options.args?.indexOf("--data") ?? -1;
  const dataDir = dataFlag >= 0 ? (options.args?.[dataFlag + 1] ?? "") : join(base, "data");
  const home = join(base, "home");
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    HEARTH_DATA: dataDir,
    ...options.env,
  };
  const argv = [MAIN, "start", "--port", String(port), ...(options.args ?? [])];
  const [command, args] = options.wrap?.(process.execPath, argv) ?? [process.execPath, argv];
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (err += c.toString("utf8")));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  const lines = () => out.split("\n").filter((l) => l.length > 0);
  const logs = () =>
    lines().flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  const proc: HearthProcess = {
    child,
    pid: child.pid ?? -1,
    port,
    dataDir,
    home,
    lines,
    logs,
    async waitForLog(match, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = logs().find(match);
        if (hit) return hit;
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(
            `log line not seen (exit ${child.exitCode}); stdout:\n${out}\nstderr:\n${err}`,
          );
        await sleep(25);
      }
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
    cleanup() {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(base, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      proc.cleanup();
      throw new Error(`hearth exited with ${child.exitCode}:\n${out}\n${err}`);
    }
    const isUp =
      options.wrap === undefined
        ? await fetch(`http://127.0.0.1:${port}/healthz`).then(
            () => true,
            () => false,
          )
        : await controlRequest([join(dataDir, "hearth.sock")], "GET", "/status").then(
            (r) => r.statusCode === 200,
            () => false,
          );
    if (isUp) break;
    if (Date.now() > deadline) {
      proc.cleanup();
      throw new Error(`hearth did not answer on :${port} within 20 s:\n${out}\n${err}`);
    }
    await sleep(50);
  }
  return proc;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** /proc/<pid>/io as numbers (write_bytes = what reached the block layer). */
export async function procIo(pid: number): Promise<Record<string, number>> {
  const { readFile } = await import("node:fs/promises");
  const text = await readFile(`/proc/${pid}/io`, "utf8");
  return Object.fromEntries(
    text
      .trim()
      .split("\n")
      .map((l) => l.split(":").map((s) => s.trim()))
      .map(([k, v]) => [k ?? "", Number(v)]),
  );
}
