import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isListening } from "../../../test/fixtures/backup/child-process.js";
import { logTail } from "../phones/running-registrar.js";
import { type RunningManager, spawnManager } from "./running-manager.js";

export interface Ser2netOptions {
  /** A folder of its own: config, pid file, log. */
  dir: string;
  hostPath: string;
  tcpPort: number;
  /**
   * ser2net's default (true) waits ≥ 1 ms (2 character times, at least chardelay-min) after
   * each read to batch bytes; false hands each read on at once, which is what hearth does.
   */
  chardelay: boolean;
}

/** `ser2net -V`'s version line, for the report header. */
export function ser2netVersion(): string {
  try {
    return execFileSync("ser2net", ["-v"], { encoding: "utf8" }).trim();
  } catch (err) {
    return `ser2net (version unknown: ${(err as Error).message})`;
  }
}

/**
 * ser2net 4 with a YAML config: one raw TCP accepter on 127.0.0.1 for the pty's host end
 * (`local`: ignore modem lines, which a pty has none of), kickolduser so a new bench client
 * replaces a lingering one, mDNS off. Everything else stays at ser2net's defaults
 * (dev-to-net-bufsize 64, UUCP locking). It opens the port when a client connects and closes it
 * when the last one leaves. Resolves once it accepts connections.
 */
export async function startSer2net(options: Ser2netOptions): Promise<RunningManager> {
  const { dir, hostPath, tcpPort, chardelay } = options;
  const key = chardelay ? "ser2net" : "ser2net-nodelay";
  const configPath = join(dir, "ser2net.yaml");
  writeFileSync(
    configPath,
    [
      "connection: &board",
      `  accepter: tcp,127.0.0.1,${tcpPort}`,
      `  connector: serialdev,${hostPath},115200n81,local`,
      "  options:",
      "    kickolduser: true",
      "    mdns: false",
      ...(chardelay ? [] : ["    chardelay: false"]),
      "",
    ].join("\n"),
  );
  const logPath = join(dir, "ser2net.log");
  const proc = spawnManager(
    "ser2net",
    ["-n", "-d", "-P", join(dir, "ser2net.pid"), "-c", configPath],
    { env: { PATH: process.env.PATH }, logPath },
  );
  const manager: RunningManager = {
    key,
    pid: proc.child.pid ?? 0,
    tcpPort,
    logPath,
    isRunning: proc.isRunning,
    stop: proc.stop,
  };
  const deadline = Date.now() + 10_000;
  while (!(await isListening(tcpPort))) {
    if (!proc.isRunning() || Date.now() > deadline) {
      await proc.stop();
      throw new Error(`ser2net did not listen on ${tcpPort}:\n${logTail(logPath)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  // A bad connection is only logged and ser2net keeps running (notes §5): refuse to measure it.
  const log = readFileSync(logPath, "utf8");
  if (/Invalid|error/i.test(log)) {
    await proc.stop();
    throw new Error(`ser2net rejected its config ${configPath}:\n${logTail(logPath)}`);
  }
  return manager;
}
