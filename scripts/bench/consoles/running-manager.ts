import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { isAlive, stopProcess } from "../phones/running-registrar.js";

/** Which console manager, and how it is set up. */
export type ManagerKey = "ser2net-nodelay" | "ser2net" | "hearth";

export const MANAGER_LABELS: Record<ManagerKey, string> = {
  "ser2net-nodelay": "ser2net chardelay: false",
  ser2net: "ser2net default",
  hearth: "hearth",
};

/** A console manager this benchmark started: it serves the pty's host end on a raw TCP port. */
export interface RunningManager {
  key: ManagerKey;
  pid: number;
  /** Raw TCP attach on 127.0.0.1. */
  tcpPort: number;
  logPath: string;
  isRunning(): boolean;
  stop(): Promise<void>;
}

/**
 * Spawns a manager with its stdout and stderr piped into `logPath` by this process: the log
 * lines are then this bench's disk writes, not the manager's (on the box journald writes them),
 * so /proc/<pid>/io write_bytes counts only the files the manager writes itself.
 */
export function spawnManager(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; logPath: string },
): { child: ChildProcess; isRunning(): boolean; stop(): Promise<void> } {
  const child = spawn(command, args, { env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  const log = createWriteStream(options.logPath, { flags: "a" });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  child.once("exit", () => setImmediate(() => log.end()));
  return {
    child,
    isRunning: () => isAlive(child),
    // ser2net has been seen to ignore SIGTERM (shared/notes/consoles.md §5): SIGKILL after 5 s.
    stop: () => stopProcess(child, 5000),
  };
}
