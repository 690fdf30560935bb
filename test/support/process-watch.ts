import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** How often the process table is looked at: short enough to catch a restic that lives 100 ms. */
const POLL_MS = 20;

/**
 * Calls `look(pid)` for every process in /proc, over and over, while `work` runs, and once more
 * is not guaranteed: tests use it to catch what short-lived children look like (their argv,
 * environment, priorities) while they exist. `look` must tolerate a process that ends while it
 * reads (readProcFile returns "" then).
 */
export async function watchProcessesDuring(
  look: (pid: string) => void,
  work: () => Promise<unknown>,
): Promise<void> {
  let done = false;
  const watch = (async () => {
    while (!done) {
      for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) look(pid);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  })();
  try {
    await work();
  } finally {
    done = true;
    await watch;
  }
}

/** A /proc/<pid>/<file> as text with NULs as spaces; "" when the process is gone. */
export function readProcFile(pid: string, file: string): string {
  try {
    return readFileSync(join("/proc", pid, file))
      .toString()
      .replaceAll("\0", " ");
  } catch {
    return "";
  }
}
