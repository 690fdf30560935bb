import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";

/**
 * Lowers the calling thread's CPU priority to `nice` (Linux), so metadata workers yield the CPU
 * to the main thread, which serves Browse and streams: on a 2-core box, two busy workers at the
 * same priority delay the event loop by tens of milliseconds. Child processes the thread starts
 * (ffprobe) inherit it. Linux applies setpriority() to a single thread when given its id, which
 * /proc/thread-self names. Returns false where that is not possible (other systems, no /proc).
 */
export function lowerThreadPriority(nice: number): boolean {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, nice);
    return true;
  } catch {
    // No /proc or no permission: the worker keeps the normal priority, which is only slower.
    return false;
  }
}
