import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { findPortHolders } from "../../../../services/console/line/port-holders.js";
import { startPtyPair, type PtyPair } from "../../../fixtures/serial/pty-pair.js";

const LOCK_DIR = "/run/lock";

/** A UUCP lock file as minicom and conserver write it (FHS: ten-column ASCII PID, newline). */
function uucpLock(pid: number): string {
  return `${String(pid).padStart(10)}\n`;
}

describe("findPortHolders with a UUCP lock file (minicom/conserver style)", function () {
  this.timeout(20_000);
  let dir: string;
  let pair: PtyPair;
  let lockPath: string;
  let isLockDirCreated = false;
  let sleeper: ChildProcess | undefined;

  before(async function () {
    // Writing /run/lock needs root (or the lock group); a plain user cannot stage a holder there.
    if (process.getuid?.() !== 0) this.skip();
    dir = mkdtempSync(join(tmpdir(), "hearth-holders-"));
    pair = await startPtyPair({ dir });
    if (!existsSync(LOCK_DIR)) {
      mkdirSync(LOCK_DIR, { recursive: true, mode: 0o1777 });
      isLockDirCreated = true;
    }
    // The lock is named after the device the link resolves to: /dev/pts/7 → LCK..7.
    lockPath = join(LOCK_DIR, `LCK..${basename(realpathSync(pair.hostPath))}`);
    assert.equal(existsSync(lockPath), false, `${lockPath} exists already: not this test's`);
  });

  afterEach(async () => {
    rmSync(lockPath, { force: true });
    const child = sleeper;
    sleeper = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    }
  });

  after(async () => {
    await pair?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (isLockDirCreated) rmSync(LOCK_DIR, { recursive: true, force: true });
  });

  const startSleeper = async (): Promise<number> => {
    const child = spawn("sleep", ["300"], { stdio: "ignore" });
    sleeper = child;
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    });
    return child.pid!;
  };

  it("reports the live process named in the lock file, by the link's device", async () => {
    const pid = await startSleeper();
    writeFileSync(lockPath, uucpLock(pid));
    const holders = await findPortHolders(pair.hostPath);
    assert.deepEqual(
      holders.filter((h) => h.pid === pid),
      [{ pid, command: "sleep" }],
      JSON.stringify(holders),
    );
  });

  it("does not report the lock's process once the lock file is gone", async () => {
    const pid = await startSleeper();
    writeFileSync(lockPath, uucpLock(pid));
    rmSync(lockPath);
    const holders = await findPortHolders(pair.hostPath);
    assert.equal(
      holders.some((h) => h.pid === pid),
      false,
      JSON.stringify(holders),
    );
  });

  it("ignores a stale lock file whose process has exited", async () => {
    const pid = await startSleeper();
    const child = sleeper!;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    writeFileSync(lockPath, uucpLock(pid));
    const holders = await findPortHolders(pair.hostPath);
    assert.equal(
      holders.some((h) => h.pid === pid),
      false,
      JSON.stringify(holders),
    );
  });
});
