import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NODE_FLAGS } from "../../../services/node-flags.js";
import { passwordVariable, type BenchUser } from "./bench-users.js";
import {
  isAlive,
  type RunningRegistrar,
  stopProcess,
  waitUntilServing,
} from "./running-registrar.js";

const MAIN = new URL("../../../dist/services/main.js", import.meta.url).pathname;

export interface HearthOptions {
  /** A folder of its own: config, data dir and log. */
  dir: string;
  httpPort: number;
  /** The phone service; without it hearth runs with no pbx at all (the memory baseline). */
  pbx?: { port: number; realm: string; users: readonly BenchUser[] };
}

/**
 * hearth from dist/ with the launchers' NODE_FLAGS, HTTP and SIP on 127.0.0.1, no media roots.
 * Extensions' passwords are `{ env: … }` secrets handed over in its environment.
 */
export async function startHearth(options: HearthOptions): Promise<RunningRegistrar> {
  const { dir, httpPort, pbx } = options;
  const data = join(dir, "data");
  mkdirSync(data, { recursive: true });
  const config: Record<string, unknown> = { media: { roots: [] } };
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir };
  if (pbx) {
    const extensions: Record<string, unknown> = {};
    for (const user of pbx.users) {
      extensions[user.extension] = {
        name: `Bench ${user.extension}`,
        password: { env: passwordVariable(user) },
      };
      env[passwordVariable(user)] = user.password;
    }
    config.pbx = {
      // No OPTIONS qualify: kamailio's config has none either, and sipp's register scenario
      // never answers OPTIONS, so each would retransmit ten times (Timer E) on hearth's CPU.
      sip: {
        port: pbx.port,
        listen: "127.0.0.1",
        domain: pbx.realm,
        transports: ["udp"],
        qualifySeconds: 0,
      },
      extensions,
    };
  }
  // JSON is YAML: no quoting rules to get wrong for 1 000 extensions.
  const configPath = join(dir, "hearth.yaml");
  writeFileSync(configPath, JSON.stringify(config, null, 1));
  const logPath = join(dir, "hearth.log");
  const log = openSync(logPath, "a");
  // BENCH_CPU_PROF=<dir>: a V8 CPU profile of hearth for the run, to see where a registration goes.
  const profile = process.env.BENCH_CPU_PROF
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const args = [...NODE_FLAGS, ...profile, MAIN, "start", "--config", configPath, "--data", data];
  const child = spawn(
    process.execPath,
    [...args, "--port", String(httpPort), "--listen", "127.0.0.1"],
    { env, stdio: ["ignore", log, log] },
  );
  const server: RunningRegistrar = {
    name: "hearth",
    pid: child.pid ?? 0,
    port: pbx?.port ?? 0,
    logPath,
    isRunning: () => isAlive(child),
    stop: () => stopProcess(child, 10_000),
  };
  await waitUntilServing(child, server, {
    httpPort,
    ...(pbx ? { udpPort: pbx.port } : {}),
  });
  return server;
}

/** Live contacts over all extensions, from `hearth pbx status --json`; undefined if unreadable. */
export function hearthRegistered(dir: string): number | undefined {
  try {
    const out = execFileSync(
      process.execPath,
      [MAIN, "pbx", "status", "--json", "--data", join(dir, "data")],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 30_000 },
    );
    const status = JSON.parse(out) as { extensions?: Array<{ contacts?: unknown[] }> };
    return status.extensions?.reduce((sum, e) => sum + (e.contacts?.length ?? 0), 0);
  } catch {
    // The count is a check printed next to the memory figure, not a measurement.
    return undefined;
  }
}
