import { readdirSync, readFileSync } from "node:fs";

/** What a process and its descendants cost between start() and stop(). */
export interface MeterReading {
  cpuSeconds: number;
  peakRssBytes: number;
  writeBytes: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ, the unit of /proc/<pid>/stat times

/**
 * Samples a process tree every `intervalMs`: CPU (utime+stime of live processes, plus cutime+cstime
 * and the I/O of children already reaped, which Linux folds into the parent), the peak of the
 * summed RSS, and write_bytes (what reached the block layer). Peers that fork scanner children
 * (MiniDLNA) are measured whole this way.
 */
export class ProcessMeter {
  readonly #rootPid: number;
  #timer: NodeJS.Timeout | undefined;
  #peakRss = 0;
  #last: { cpu: number; write: number } = { cpu: 0, write: 0 };
  #base: { cpu: number; write: number } = { cpu: 0, write: 0 };

  constructor(rootPid: number, intervalMs = 200) {
    this.#rootPid = rootPid;
    this.#base = this.#sample();
    this.#last = this.#base;
    this.#timer = setInterval(() => {
      try {
        this.#last = this.#sample();
      } catch {
        // The process ended between two samples; keep the last reading.
      }
    }, intervalMs);
  }

  stop(): MeterReading {
    clearInterval(this.#timer);
    try {
      this.#last = this.#sample();
    } catch {
      // Already gone: the last sample stands.
    }
    return {
      cpuSeconds: this.#last.cpu - this.#base.cpu,
      peakRssBytes: this.#peakRss,
      writeBytes: this.#last.write - this.#base.write,
    };
  }

  #sample(): { cpu: number; write: number } {
    const pids = [this.#rootPid, ...descendants(this.#rootPid)];
    let cpu = 0;
    let write = 0;
    let rss = 0;
    for (const pid of pids) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const own = Number(f[11]) + Number(f[12]);
        const reaped = pid === this.#rootPid ? Number(f[13]) + Number(f[14]) : 0;
        cpu += (own + reaped) / TICKS_PER_SECOND;
        rss +=
          Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) *
          1024;
        write += Number(
          /write_bytes:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, "utf8"))?.[1] ?? 0,
        );
      } catch {
        // A child exited while we looked; its costs land in the parent's counters.
      }
    }
    this.#peakRss = Math.max(this.#peakRss, rss);
    return { cpu, write };
  }
}

/** Every descendant of `pid`, from /proc/<pid>/task/<tid>/children. */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    let tids: string[] = [];
    try {
      tids = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      let children = "";
      try {
        children = readFileSync(`/proc/${p}/task/${tid}/children`, "utf8");
      } catch {
        continue;
      }
      for (const c of children.trim().split(/\s+/).filter(Boolean).map(Number)) {
        out.push(c);
        stack.push(c);
      }
    }
  }
  return out;
}
