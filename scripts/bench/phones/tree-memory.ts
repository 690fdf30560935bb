import { readFileSync } from "node:fs";
import { descendants } from "../lib/process-meter.js";
import { sampleProc } from "../lib/proc-sample.js";

/** Memory of a process and its live descendants (kamailio forks a dozen workers). */
export interface TreeMemory {
  /** Proportional set size: shared pages split between the processes that map them. */
  pssBytes: number;
  /** Resident set size, summed: counts kamailio's shared memory once per process. */
  rssBytes: number;
  processes: number;
}

/** Reads /proc/<pid>/smaps_rollup of `pid` and its descendants. */
export function treeMemory(pid: number): TreeMemory {
  let pssBytes = 0;
  let rssBytes = 0;
  let processes = 0;
  for (const p of [pid, ...descendants(pid)]) {
    try {
      const rollup = readFileSync(`/proc/${p}/smaps_rollup`, "utf8");
      pssBytes += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
      rssBytes += Number(/^Rss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
      processes += 1;
    } catch {
      // Exited while we looked: it holds no memory any more.
    }
  }
  return { pssBytes, rssBytes, processes };
}

/** CPU seconds (user + system) of `pid` and its live descendants. */
export function treeCpuSeconds(pid: number): number {
  let cpu = 0;
  for (const p of [pid, ...descendants(pid)]) {
    try {
      cpu += sampleProc(p).cpuSeconds;
    } catch {
      // Exited while we looked; a registrar's workers live as long as the server.
    }
  }
  return cpu;
}

/** Samples the summed PSS of a process tree until stopped; `stop()` returns the peak. */
export function peakPss(pid: number, intervalMs = 500): { stop(): number } {
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, treeMemory(pid).pssBytes);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
