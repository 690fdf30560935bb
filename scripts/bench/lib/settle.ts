import { sampleProc } from "./proc-sample.js";
import { descendants, ProcessMeter } from "./process-meter.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until a server's process tree has used at most `share` of one CPU over `quietSeconds`
 * (thumbnails, a scanner's tail and database flushes are over), or `maxSeconds` passed.
 * Resolves with the seconds waited and whether it settled.
 */
export async function waitQuiet(
  pid: number,
  { quietSeconds = 5, maxSeconds = 600, share = 0.02 } = {},
): Promise<{ seconds: number; settled: boolean }> {
  const t0 = Date.now();
  for (;;) {
    const meter = new ProcessMeter(pid, 1000);
    await sleep(quietSeconds * 1000);
    const cpu = meter.stop().cpuSeconds;
    const seconds = (Date.now() - t0) / 1000;
    if (cpu <= quietSeconds * share) return { seconds, settled: true };
    if (seconds > maxSeconds) return { seconds, settled: false };
  }
}

/** Resident memory of a process and its live descendants, in bytes. */
export function treeRss(pid: number): number {
  return treeMemory(pid).rssBytes;
}

/** Resident memory (all, and anonymous only) of a process and its live descendants, in bytes. */
export function treeMemory(pid: number): { rssBytes: number; rssAnonBytes: number } {
  const sum = { rssBytes: 0, rssAnonBytes: 0 };
  for (const p of [pid, ...descendants(pid)]) {
    try {
      const sample = sampleProc(p);
      sum.rssBytes += sample.rssBytes;
      sum.rssAnonBytes += sample.rssAnonBytes;
    } catch {
      // Exited while we looked.
    }
  }
  return sum;
}
