import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NODE_FLAGS } from "../../../services/node-flags.js";
import { isListening } from "../../../test/fixtures/backup/child-process.js";
import { logTail, type RunningRegistrar, waitUntilServing } from "../phones/running-registrar.js";
import { type RunningManager, spawnManager } from "./running-manager.js";

const ROOT = new URL("../../../", import.meta.url).pathname;
const MAIN = join(ROOT, "dist/services/main.js");
/** How long after hearth answers HTTP its console TCP port may take to appear. */
const CONSOLE_WAIT_MS = 15_000;

export interface HearthConsoleOptions {
  /** A folder of its own: config, data dir, log. */
  dir: string;
  hostPath: string;
  tcpPort: number;
  httpPort: number;
}

/** hearth serving the console, or why it does not (the bench then reports it and goes on). */
export type HearthStart =
  | { manager: RunningManager; unavailable?: undefined }
  | { manager?: undefined; unavailable: string };

/** A warning when dist/ lacks the console service or is older than its sources; else undefined. */
export function staleBuildWarning(): string | undefined {
  if (!existsSync(MAIN)) return `${MAIN} is missing: run \`npm run build\` (or pass --build)`;
  const newest = (dir: string, ext: string): number => {
    if (!existsSync(dir)) return 0;
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith(ext) && !e.name.endsWith(".test.ts"))
      .reduce((latest, e) => Math.max(latest, statSync(join(e.parentPath, e.name)).mtimeMs), 0);
  };
  const sources = newest(join(ROOT, "services/console"), ".ts");
  const built = newest(join(ROOT, "dist/services/console"), ".js");
  return sources > built
    ? "dist/services/console is older than services/console: run `npm run build` (or pass --build)"
    : undefined;
}

/**
 * hearth from dist/ with the launchers' NODE_FLAGS and only the console service configured
 * (one port on the pty's host end, raw TCP on 127.0.0.1; no media roots). Resolves with the
 * running manager once the console's TCP port answers, or with the reason it never did.
 */
export async function startHearthConsole(options: HearthConsoleOptions): Promise<HearthStart> {
  const { dir, hostPath, tcpPort, httpPort } = options;
  if (!existsSync(MAIN)) return { unavailable: `${MAIN} is missing (npm run build)` };
  const data = join(dir, "data");
  mkdirSync(data, { recursive: true });
  const config = {
    media: { roots: [] },
    console: {
      autoDiscover: false,
      ports: {
        board: { path: hostPath, baud: 115200, tcp: { port: tcpPort, listen: "127.0.0.1" } },
      },
    },
  };
  // JSON is YAML.
  const configPath = join(dir, "hearth.yaml");
  writeFileSync(configPath, JSON.stringify(config, null, 1));
  const logPath = join(dir, "hearth.log");
  // BENCH_CPU_PROF=<dir>: a V8 CPU profile of hearth for the run (as in the phones bench).
  const profile = process.env.BENCH_CPU_PROF
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const args = [...NODE_FLAGS, ...profile, MAIN, "start", "--config", configPath, "--data", data];
  const proc = spawnManager(
    process.execPath,
    [...args, "--port", String(httpPort), "--listen", "127.0.0.1"],
    {
      env: { PATH: process.env.PATH, HOME: dir },
      logPath,
    },
  );
  const manager: RunningManager = {
    key: "hearth",
    pid: proc.child.pid ?? 0,
    tcpPort,
    logPath,
    isRunning: proc.isRunning,
    stop: proc.stop,
  };
  const asRegistrar: RunningRegistrar = { ...manager, name: "hearth", port: tcpPort };
  try {
    await waitUntilServing(proc.child, asRegistrar, { httpPort });
  } catch (err) {
    await proc.stop();
    return { unavailable: `hearth did not start: ${(err as Error).message}` };
  }
  const deadline = Date.now() + CONSOLE_WAIT_MS;
  while (!(await isListening(tcpPort))) {
    if (!proc.isRunning() || Date.now() > deadline) {
      await proc.stop();
      return { unavailable: `nothing listens on 127.0.0.1:${tcpPort}; ${consoleHint(logPath)}` };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { manager };
}

/** The last log line about the console service, to say why its port never opened. */
function consoleHint(logPath: string): string {
  const lines = logTail(logPath, 400).split("\n");
  const line = lines.reverse().find((l) => /console/i.test(l));
  return line ? `last console log line: ${line.slice(0, 300)}` : "no console log line";
}
