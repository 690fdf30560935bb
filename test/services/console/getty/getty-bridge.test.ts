import assert from "node:assert/strict";
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import {
  lstatSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HearthError } from "../../../../services/errors.js";
import {
  GettyBridge,
  type GettyBridgeState,
} from "../../../../services/console/getty/getty-bridge.js";
import { waitFor } from "../../host/test-services.js";
import { childWith, isAlive } from "./processes.js";

describe("GettyBridge", () => {
  let dir: string;
  let linkPath: string;
  let bridge: GettyBridge | undefined;
  let states: string[];
  let received: Buffer;
  let peer: ChildProcessWithoutNullStreams | undefined;

  const open = (extra: Partial<ConstructorParameters<typeof GettyBridge>[0]> = {}) =>
    new GettyBridge({
      name: "t",
      linkPath,
      onData: (bytes) => (received = Buffer.concat([received, bytes])),
      onState: (state: GettyBridgeState, detail?: string) =>
        states.push(detail === undefined ? state : `${state}: ${detail}`),
      respawn: { initialMs: 50, maxMs: 200 },
      ...extra,
    });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "hearth-getty-"));
    linkPath = join(dir, "getty-t");
    states = [];
    received = Buffer.alloc(0);
  });
  afterEach(async () => {
    await bridge?.stop();
    bridge = undefined;
    if (peer && peer.exitCode === null && peer.signalCode === null) {
      const closed = new Promise((resolve) => peer?.once("close", resolve));
      peer.kill("SIGKILL");
      await closed;
    }
    peer = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens the pty's slave side the way agetty would, with a second socat as the terminal line. */
  const openSlave = (pty: string) => {
    peer = spawn("socat", ["-d", "STDIO", `${pty},raw,echo=0`]);
    let output = Buffer.alloc(0);
    peer.stdout.on("data", (bytes: Buffer) => (output = Buffer.concat([output, bytes])));
    return { output: () => output, peer };
  };

  it("creates the pty link and reports starting, then ready with the pty", async () => {
    bridge = open();
    await bridge.start();
    const pty = bridge.ptyPath;
    assert.match(pty ?? "", /^\/dev\/pts\/\d+$/);
    assert.equal(readlinkSync(linkPath), pty);
    assert.deepEqual(states, ["starting", `ready: ${pty}`]);
  });

  it("passes every byte value unchanged in both directions", async () => {
    bridge = open();
    await bridge.start();
    const slave = openSlave(bridge.ptyPath ?? "");
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    // Probe until the slave side is open and reading, so no test byte meets a half-set-up line.
    await waitFor(async () => {
      bridge?.write(Buffer.from("?"));
      await new Promise((r) => setTimeout(r, 20));
      return slave.output().length > 0;
    });
    // Probes may still be in flight: look for the 256 bytes as one run, wherever they start.
    bridge.write(all);
    await waitFor(() => slave.output().includes(all));
    slave.peer.stdin.write(all);
    await waitFor(() => received.length >= 256);
    assert.deepEqual(received, all);
  });

  it("respawns a killed socat with a new pty and reports each step", async () => {
    bridge = open();
    await bridge.start();
    const first = bridge.ptyPath;
    const socat = childWith(linkPath);
    assert.ok(socat !== undefined, "socat runs as hearth's child");
    process.kill(socat, "SIGKILL");
    await waitFor(() => states.length === 5);
    const second = bridge.ptyPath;
    assert.deepEqual(states, [
      "starting",
      `ready: ${first}`,
      "stopped: socat exited with SIGKILL; starting it again in 0.05 s",
      "starting",
      `ready: ${second}`,
    ]);
    assert.equal(readlinkSync(linkPath), second);
    assert.notEqual(childWith(linkPath), socat);
  });

  it("stop() kills socat, removes the link and reports stopped", async () => {
    bridge = open();
    await bridge.start();
    const socat = childWith(linkPath);
    assert.ok(socat !== undefined);
    await bridge.stop();
    assert.equal(isAlive(socat), false);
    assert.throws(() => lstatSync(linkPath), { code: "ENOENT" });
    assert.equal(bridge.ptyPath, undefined);
    assert.equal(states.at(-1), "stopped");
  });

  it("replaces a stale link left by a socat that was killed outright", async () => {
    symlinkSync("/dev/pts/4095", linkPath);
    bridge = open();
    await bridge.start();
    assert.equal(readlinkSync(linkPath), bridge.ptyPath);
  });

  it("refuses to remove a file at the link path that is not a link", async () => {
    writeFileSync(linkPath, "not mine");
    bridge = open();
    await assert.rejects(bridge.start(), {
      code: "E_CONFIG",
      message: `getty bridge for t: ${linkPath} exists and is not a pty link`,
    });
    assert.equal(readFileSync(linkPath, "utf8"), "not mine");
    bridge = undefined;
  });

  it("fails to start with the fix when socat is missing", async () => {
    bridge = open({ socatPath: join(dir, "no-socat") });
    await assert.rejects(bridge.start(), (err: unknown) => {
      assert.ok(err instanceof HearthError);
      assert.equal(
        err.message,
        `getty bridge for t: cannot run socat: spawn ${join(dir, "no-socat")} ENOENT`,
      );
      assert.equal(err.fix, "Install socat (apt install socat).");
      return true;
    });
    assert.equal(states.at(-1)?.startsWith("stopped: getty bridge for t: cannot run socat"), true);
    bridge = undefined;
  });

  it("refuses a link path socat would parse as options", async () => {
    bridge = open({ linkPath: join(dir, "getty-a,b") });
    await assert.rejects(bridge.start(), { code: "E_CONFIG" });
    bridge = undefined;
  });

  it("drops keystrokes while there is no pty instead of throwing or queueing them", () => {
    bridge = open();
    bridge.write(Buffer.from("typed before start\r"));
    assert.equal(bridge.ptyPath, undefined);
    bridge = undefined;
  });
});
