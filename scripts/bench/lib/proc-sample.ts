import { readFileSync } from "node:fs";

/** CPU time, resident memory and disk writes of one process, read from /proc. */
export interface ProcSample {
  cpuSeconds: number;
  rssBytes: number;
  /** RssAnon: resident memory that is not file-backed (node's own text and rodata are ~34 MiB). */
  rssAnonBytes: number;
  writeBytes: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux (getconf CLK_TCK), the unit of /proc/<pid>/stat times.

export function sampleProc(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which may itself contain spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const rssAnonKb = Number(/RssAnon:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const io = readFileSync(`/proc/${pid}/io`, "utf8");
  const writeBytes = Number(/write_bytes:\s+(\d+)/.exec(io)?.[1] ?? 0);
  return {
    cpuSeconds: (utime + stime) / TICKS_PER_SECOND,
    rssBytes: rssKb * 1024,
    rssAnonBytes: rssAnonKb * 1024,
    writeBytes,
  };
}

/** Sum over a process and its children (a peer may fork workers). */
export function sampleTree(pids: readonly number[]): ProcSample {
  return pids.map(sampleProc).reduce(
    (a, b) => ({
      cpuSeconds: a.cpuSeconds + b.cpuSeconds,
      rssBytes: a.rssBytes + b.rssBytes,
      rssAnonBytes: a.rssAnonBytes + b.rssAnonBytes,
      writeBytes: a.writeBytes + b.writeBytes,
    }),
    { cpuSeconds: 0, rssBytes: 0, rssAnonBytes: 0, writeBytes: 0 },
  );
}
