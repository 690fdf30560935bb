import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { runTool } from "../../../test/fixtures/sip/sipp.js";

const SCENARIO = new URL("./register-load.xml", import.meta.url).pathname;

export interface LoadOptions {
  /** The registrar's UDP port on 127.0.0.1. */
  port: number;
  /** Registrations started per second. */
  rate: number;
  seconds: number;
  /** The `-inf` file of extensions and passwords. */
  injectionFile: string;
  /** sipp's UDP port: the same in every run, so each phone keeps one Contact (one binding). */
  localPort: number;
  /** Where sipp runs and writes its statistics. */
  dir: string;
  expiresSec: number;
}

/** What sipp counted for one run (REGISTER, 401, REGISTER with digest, 200 = one call). */
export interface LoadResult {
  offered: number;
  successful: number;
  failed: number;
  retransmissions: number;
  /** From sipp's start to its exit: the sending window plus the last answers (or timeouts). */
  wallSeconds: number;
  /** sipp's mean call length: both round trips of one registration. */
  meanCallMs: number;
}

/**
 * Runs sipp (sip-tester 3.6.1) for `rate × seconds` registrations at `rate` per second and
 * returns its cumulative statistics (-trace_stat). Failed calls are counted, not thrown: a
 * benchmark reports them. UDP retransmissions (500 ms, doubling) give a lost answer ~16 s before
 * sipp calls the registration failed.
 */
export async function registerLoad(options: LoadOptions): Promise<LoadResult> {
  const { port, rate, seconds, dir } = options;
  const offered = Math.round(rate * seconds);
  const stats = join(dir, `sipp-stat-${port}-${rate}.csv`);
  rmSync(stats, { force: true });
  const args = [
    `127.0.0.1:${port}`,
    ...["-sf", SCENARIO, "-inf", options.injectionFile],
    ...["-i", "127.0.0.1", "-p", String(options.localPort)],
    ...["-r", String(rate), "-m", String(offered)],
    ...["-key", "expires", String(options.expiresSec)],
    // -nd: no BYE to the server when a call fails (sipp's default reaction to an abort).
    ...["-nd", "-nostdin", "-timeout", `${seconds + 120}s`],
    ...["-trace_stat", "-stf", stats, "-fd", "1"],
  ];
  const t0 = performance.now();
  const { code, output } = await runTool("sipp", args, dir);
  const wallSeconds = (performance.now() - t0) / 1000;
  // sipp exits 0 when every call succeeded, 1 when some failed; anything else is its own error.
  if (code !== 0 && code !== 1) throw new Error(`sipp failed (${code}):\n${output}`);
  const last = lastStats(stats);
  return {
    offered,
    successful: last("SuccessfulCall(C)"),
    failed: last("FailedCall(C)"),
    retransmissions: last("Retransmissions(C)"),
    wallSeconds,
    meanCallMs: last("CallLength(C)"),
  };
}

/** Reads the last row of sipp's statistics file; durations (HH:MM:SS:µs) come back in ms. */
function lastStats(path: string): (column: string) => number {
  const lines = readFileSync(path, "utf8").trim().split("\n");
  const header = lines[0]!.split(";");
  const row = lines.at(-1)!.split(";");
  return (column) => {
    const value = row[header.indexOf(column)] ?? "";
    const parts = value.split(":").map(Number);
    if (parts.length === 4) {
      const [h, m, s, us] = parts as [number, number, number, number];
      return (h * 3600 + m * 60 + s) * 1000 + us / 1000;
    }
    return Number(value);
  };
}
