import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { isUdpBound } from "../../../test/fixtures/sip/sipp.js";

/** A registrar under test, started by this benchmark. */
export interface RunningRegistrar {
  name: "hearth" | "kamailio";
  /** The root process; kamailio's workers are its children. */
  pid: number;
  /** SIP UDP port on 127.0.0.1 (0 when the SIP service is off). */
  port: number;
  logPath: string;
  /** False once the process has exited (hearth can run out of heap under load). */
  isRunning(): boolean;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True while `child` has not exited. */
export function isAlive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (!isAlive(child)) return;
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await gone;
  clearTimeout(timer);
}

/**
 * Resolves when the server answers: its SIP UDP port is bound and, if given, its HTTP port
 * accepts a request. Rejects with the end of its log when it exits first or after `timeoutMs`.
 */
export async function waitUntilServing(
  child: ChildProcess,
  server: RunningRegistrar,
  wanted: { udpPort?: number; httpPort?: number },
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isAlive(child)) {
      throw new Error(`${server.name} exited while starting:\n${logTail(server.logPath)}`);
    }
    const udp = wanted.udpPort === undefined || (await isUdpBound(wanted.udpPort));
    const http = wanted.httpPort === undefined || (await answersHttp(wanted.httpPort));
    if (udp && http) break;
    if (Date.now() > deadline) {
      throw new Error(`${server.name} did not start in time:\n${logTail(server.logPath)}`);
    }
    await sleep(200);
  }
  // kamailio binds the socket in its main process before its workers finish initialising.
  await sleep(500);
}

async function answersHttp(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    // Not listening yet: the caller polls again.
    return false;
  }
}

/** The last lines of a log file, for an error message. */
export function logTail(path: string, lines = 30): string {
  try {
    return readFileSync(path, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
