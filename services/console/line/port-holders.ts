import { readFile, readdir, readlink, realpath } from "node:fs/promises";
import { basename } from "node:path";

/** A process that has a serial device open or holds its UUCP lock file. */
export interface PortHolder {
  pid: number;
  command: string;
}

const LOCK_DIRS = ["/run/lock", "/var/lock"];

/**
 * Who holds a busy port, so the status can say "picocom (pid 4242)" instead of "busy".
 * picocom and serialport use flock() on the device, minicom and conserver UUCP lock files
 * (/run/lock/LCK..ttyUSB0): both are looked at. Best effort: unreadable /proc entries of other
 * users are skipped.
 */
export async function findPortHolders(path: string, ownPid = process.pid): Promise<PortHolder[]> {
  let device: string;
  try {
    device = await realpath(path);
  } catch {
    return [];
  }
  const pids = new Set<number>([...(await lockFilePids(device)), ...(await openerPids(device))]);
  pids.delete(ownPid);
  const holders: PortHolder[] = [];
  for (const pid of pids) {
    const command = await readFile(`/proc/${pid}/comm`, "utf8").then(
      (text) => text.trim(),
      () => undefined,
    );
    if (command !== undefined) holders.push({ pid, command });
  }
  return holders.sort((a, b) => a.pid - b.pid);
}

async function lockFilePids(device: string): Promise<number[]> {
  const pids: number[] = [];
  for (const dir of LOCK_DIRS) {
    const text = await readFile(`${dir}/LCK..${basename(device)}`, "utf8").catch(() => "");
    const pid = Number.parseInt(text.trim(), 10);
    if (Number.isInteger(pid) && pid > 0) pids.push(pid);
  }
  return pids;
}

async function openerPids(device: string): Promise<number[]> {
  const entries = await readdir("/proc").catch(() => [] as string[]);
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const fds = await readdir(`/proc/${entry}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${entry}/fd/${fd}`).catch(() => "");
      if (target === device) {
        pids.push(Number(entry));
        break;
      }
    }
  }
  return pids;
}
