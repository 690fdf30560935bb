import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gettyLinkPath } from "../../../services/console/getty/getty-unit-name.js";
import { HostEnd, until } from "../../fixtures/serial/host-end.js";
import { startPtyPair, type PtyPair } from "../../fixtures/serial/pty-pair.js";
import { freePort, sleep, startHearth, type HearthProcess } from "../../support/hearth-process.js";
import { TcpConsoleClient } from "./console-rig.js";
import { descendants, killAll } from "./getty/processes.js";
import { gettyUnitScript } from "./getty/unit-script.js";
import { createLoginUser } from "../../support/login-user.js";

const SUBREAPER = new URL("../../support/subreaper.py", import.meta.url).pathname;
const USER = "hearthtest-gmode";
const PORT = "login";
const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /;

/**
 * `mode: getty` end to end, through the real compiled hearth: a socat pty pair stands for the
 * box's own USB adapter, hearth holds its host end and bridges it to a pty of its own, agetty runs
 * on that pty the way etc/hearth-getty@.service runs it, and the test plays the terminal plugged
 * into the far end of the cable. agetty and login need root (they chown the tty and setuid), so
 * this suite runs only as root and skips otherwise.
 */
describe("getty mode with a real agetty and a test user (as root)", function () {
  this.timeout(90_000);
  const password = `Gm-${randomBytes(6).toString("hex")}`;
  let dir: string;
  let runtimeDir: string;
  let pair: PtyPair | undefined;
  let hearth: HearthProcess | undefined;
  let tcpPort: number;
  let terminal: HostEnd | undefined;
  let spectator: TcpConsoleClient | undefined;
  let getty: ChildProcess | undefined;
  let removeUser: (() => void) | undefined;

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    removeUser = createLoginUser(USER, password);

    dir = mkdtempSync(join(tmpdir(), "hearth-getty-mode-"));
    runtimeDir = mkdtempSync(join(tmpdir(), "hearth-run-"));
    pair = await startPtyPair({ dir });
    tcpPort = await freePort();
    const config = join(dir, "hearth.yaml");
    writeFileSync(
      config,
      [
        "media: { roots: [] }",
        "console:",
        "  autoDiscover: false",
        "  ports:",
        `    ${PORT}:`,
        `      path: ${pair.hostPath}`,
        "      mode: getty",
        `      tcp: { port: ${tcpPort}, listen: 127.0.0.1 }`,
        "",
      ].join("\n"),
    );
    // RUNTIME_DIRECTORY is what systemd's RuntimeDirectory=hearth sets: the getty link goes there.
    hearth = await startHearth({
      args: ["--config", config],
      env: { RUNTIME_DIRECTORY: runtimeDir },
    });
    await hearth.waitForLog((l) => l.svc === "console" && /port open/.test(String(l.msg)));
  });

  after(async () => {
    await stopGetty();
    spectator?.close();
    // The terminal goes before the pair: a reader of a pty that hangs up may spin (bindings-cpp#162).
    await terminal?.close();
    if (hearth) {
      await hearth.stop();
      hearth.cleanup();
    }
    await pair?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (runtimeDir) rmSync(runtimeDir, { recursive: true, force: true });
    // userdel fails while the user has processes: stopGetty killed the whole session tree.
    removeUser?.();
  });

  /** The unit's ExecStart, as systemd runs it: /bin/sh -c '…' in its own session, as root. */
  function startGetty(): ChildProcess {
    const script = gettyUnitScript(PORT, runtimeDir);
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

  /** What reached the far terminal since byte `mark`, latin1 (one char per byte). */
  const seen = (mark: number) => terminal!.received.subarray(mark).toString("latin1");

  /** Waits until what the far terminal got since `mark` matches. */
  async function expectOutput(mark: number, pattern: RegExp): Promise<void> {
    await until(`${pattern} at the terminal`, 15_000, () => pattern.test(seen(mark))).catch(
      (err: unknown) => {
        throw new Error(`expected ${pattern} in ${JSON.stringify(seen(mark))}`, { cause: err });
      },
    );
  }

  /** Types a line at the far terminal; returns where its answer starts. */
  const type = (text: string): number => {
    const mark = terminal!.received.length;
    terminal!.type(`${text}\r`);
    return mark;
  };

  /** Presses Enter once a second until agetty shows its prompt (it flushes input as it starts). */
  async function awaitLoginPrompt(): Promise<void> {
    const mark = terminal!.received.length;
    let lastEnterAt = 0;
    await until("agetty's login prompt at the terminal", 20_000, () => {
      if (/login: $/.test(seen(mark))) return true;
      if (Date.now() - lastEnterAt >= 1_000) {
        terminal!.type("\r");
        lastEnterAt = Date.now();
      }
      return false;
    });
  }

  /** Waits until the port log contains `text` (it is written in batches of about a second). */
  async function waitForLog(path: string, text: string): Promise<string> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      let log = "";
      try {
        log = readFileSync(path, "latin1");
      } catch {
        // Not written yet.
      }
      if (log.includes(text)) return log;
      if (Date.now() > deadline)
        throw new Error(`log never had ${JSON.stringify(text)}:\n${log.slice(-2000)}`);
      await sleep(100);
    }
  }

  // bash turns bracketed paste off before each command's output: "ESC[?2004l\r" precedes it.
  it("logs in from the far terminal; a spectator watches, cannot type, and the log keeps no password", async () => {
    const link = gettyLinkPath(PORT, runtimeDir);
    const pty = readlinkSync(link);
    assert.match(pty, /^\/dev\/pts\/\d+$/);

    spectator = await TcpConsoleClient.connect(tcpPort);
    await spectator.waitFor(`${PORT} is a login console: watching only`);
    await spectator.waitFor("you are watching (read-only)");

    terminal = await HostEnd.open(pair!.boardPath);
    const child = startGetty();
    const exitCode = new Promise<number | null>((resolve) => child.once("exit", resolve));
    await awaitLoginPrompt();
    await spectator.waitFor(/login: $/);

    await expectOutput(type(USER), /Password: $/);
    await expectOutput(type(password), new RegExp(`${USER}@[^:]+:~\\$ $`));
    await expectOutput(type("tty"), new RegExp(`\\r${pty}\\r\\n`));

    // The spectator types a command, then asks who is attached: TCP keeps order, so once the
    // answer is back hearth has handled (and dropped) the keystrokes before it.
    let at = spectator.text().length;
    spectator.write("echo SPECTATOR-TYPED-$((5+6))\r");
    spectator.write("\x05cw");
    await spectator.waitFor(/\(tcp\) spectator --\]/, at);

    at = spectator.text().length;
    const mark = type("echo VIA-HEARTH-GETTY-$((3+4))");
    await expectOutput(mark, /\rVIA-HEARTH-GETTY-7\r\n/);
    await spectator.waitFor(/\rVIA-HEARTH-GETTY-7\r\n/, at);
    // Had the spectator's line reached bash, its echo would have come before this command's.
    const session = terminal.received.toString("latin1");
    assert.ok(!session.includes("SPECTATOR-TYPED"), JSON.stringify(session));

    await expectOutput(type("exit"), /logout/);
    await spectator.waitFor("logout");
    assert.equal(await exitCode, 0, "agetty (exec'd into login) ended with the session");

    // The spectator saw what the terminal saw: prompt, echoed user name, shell prompt, output.
    const watched = spectator.text();
    assert.match(watched, new RegExp(`login: ${USER}\\r`));
    assert.match(watched, /Password: /);
    assert.match(watched, new RegExp(`${USER}@[^:]+:~\\$ `));
    assert.ok(!watched.includes(password), "the password never reaches a spectator");
    assert.ok(!session.includes(password), "login does not echo the password");

    const logPath = join(hearth!.dataDir, "console", "logs", `${PORT}.log`);
    const log = await waitForLog(logPath, "logout");
    assert.ok(!log.includes(password), "the password is not in the port log");
    const lines = log.split("\n").filter((l) => l.length > 0);
    for (const line of lines) assert.match(line, STAMP);
    assert.ok(
      lines.some((l) => STAMP.test(l) && l.endsWith("VIA-HEARTH-GETTY-7\r")),
      log,
    );
    assert.ok(
      lines.some((l) => l.includes(`login: ${USER}\r`)),
      log,
    );
    assert.ok(
      lines.some((l) => l.includes("attached read-only")),
      log,
    );
  });
});
