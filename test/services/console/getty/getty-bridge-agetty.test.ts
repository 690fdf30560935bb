import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GettyBridge } from "../../../../services/console/getty/getty-bridge.js";
import { gettyLinkPath } from "../../../../services/console/getty/getty-unit-name.js";
import { waitFor } from "../../host/test-services.js";
import { descendants, killAll } from "./processes.js";
import { gettyUnitScript } from "./unit-script.js";
import { createLoginUser } from "../../../support/login-user.js";

const SUBREAPER = new URL("../../../support/subreaper.py", import.meta.url).pathname;
const USER = "hearthtest-getty";

/**
 * A real login through the bridge: agetty and login need root (they chown the tty and setuid),
 * so this suite runs only as root and skips otherwise. agetty is started with the unit's own
 * ExecStart script, under test/support/subreaper.py in a session of its own as systemd would,
 * so the shell login leaves behind is reaped even though this sandbox's PID 1 reaps nothing.
 */
describe("GettyBridge with a real agetty (root only)", function () {
  this.timeout(60_000);
  const password = `Hg-${randomBytes(6).toString("hex")}`;
  let runtimeDir: string;
  let bridge: GettyBridge;
  let received = "";
  let getty: ChildProcess | undefined;
  let removeUser: (() => void) | undefined;

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    removeUser = createLoginUser(USER, password);
    runtimeDir = mkdtempSync(join(tmpdir(), "hearth-run-"));
    bridge = new GettyBridge({
      name: "gettytest",
      linkPath: gettyLinkPath("gettytest", runtimeDir),
      // latin1 keeps one char per byte, so split UTF-8 or stray bytes cannot break matching.
      onData: (bytes) => (received += bytes.toString("latin1")),
    });
    await bridge.start();
  });

  afterEach(async () => {
    await stopGetty();
  });

  after(async () => {
    await bridge?.stop();
    if (runtimeDir) rmSync(runtimeDir, { recursive: true, force: true });
    // userdel fails while the user has processes: afterEach has killed the whole session tree.
    removeUser?.();
  });

  /** Runs the unit's ExecStart as systemd would: /bin/sh -c '…' in its own session. */
  function startGetty(): ChildProcess {
    const script = gettyUnitScript("gettytest", runtimeDir);
    getty = spawn("python3", [SUBREAPER, "/bin/sh", "-c", script], { stdio: "ignore" });
    return getty;
  }

  async function stopGetty(): Promise<void> {
    const child = getty;
    getty = undefined;
    if (child === undefined || child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    // agetty, login and the shell: SIGKILL each by PID; the subreaper reaps them, then exits.
    killAll(descendants(child.pid));
    await exited;
  }

  /** Waits until what agetty sent since `mark` matches. */
  async function expectOutput(mark: number, pattern: RegExp): Promise<string> {
    await waitFor(() => pattern.test(received.slice(mark)), 15_000).catch((err: unknown) => {
      throw new Error(`expected ${pattern} in ${JSON.stringify(received.slice(mark))}`, {
        cause: err,
      });
    });
    return received.slice(mark);
  }

  /** Presses Enter once a second until agetty shows its prompt (it flushes input as it starts). */
  async function awaitLoginPrompt(): Promise<void> {
    const mark = received.length;
    let lastEnterAt = 0;
    await waitFor(() => {
      if (/login: $/.test(received.slice(mark))) return true;
      if (Date.now() - lastEnterAt >= 1_000) {
        bridge.write(Buffer.from("\r"));
        lastEnterAt = Date.now();
      }
      return false;
    }, 15_000);
  }

  const type = (text: string) => {
    const mark = received.length;
    bridge.write(Buffer.from(`${text}\r`));
    return mark;
  };

  // bash turns bracketed paste off before each command's output: "ESC[?2004l\r" precedes it.
  it("logs a user in through the pty, runs a command, and agetty exits at logout", async () => {
    const child = startGetty();
    const exitCode = new Promise<number | null>((resolve) => child.once("exit", resolve));
    await awaitLoginPrompt();
    await expectOutput(type(USER), /Password: $/);
    await expectOutput(type(password), new RegExp(`${USER}@[^:]+:~\\$ $`));
    await expectOutput(type("tty"), new RegExp(`\\r${bridge.ptyPath}\\r\\n`));
    await expectOutput(type("echo VIA-GETTY-$((2+3))"), /\rVIA-GETTY-5\r\n/);
    await expectOutput(type("exit"), /logout/);
    assert.equal(await exitCode, 0, "agetty (exec'd into login) ended with the session");
  });

  it("offers a new login prompt on the same pty when agetty is restarted (Restart=always)", async () => {
    const pty = bridge.ptyPath;
    startGetty();
    await awaitLoginPrompt();
    assert.equal(bridge.ptyPath, pty, "socat and its pty outlived the previous session");
  });
});
