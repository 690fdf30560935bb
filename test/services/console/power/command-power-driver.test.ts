import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HearthError } from "../../../../services/errors.js";
import { CommandPowerDriver } from "../../../../services/console/power/command-power-driver.js";
import type { CommandPowerConfig } from "../../../../services/console/power/power-driver.js";
import { waitFor } from "../../host/test-services.js";

/**
 * The board's "power" is a file holding "on" or "off", as the fake board in the console's e2e
 * tests is switched; a history file records every switching in order.
 */
describe("CommandPowerDriver", () => {
  const never = new AbortController().signal;
  let dir: string;
  let state: string;
  let history: string;
  let config: CommandPowerConfig;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "hearth-power-cmd-"));
    state = join(dir, "power");
    history = join(dir, "history");
    const set = (value: string) => `echo ${value} > ${state} && echo ${value} >> ${history}`;
    config = { driver: "command", on: set("on"), off: set("off"), cycleSeconds: 0.2 };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const read = (path: string) => readFileSync(path, "utf8").trim().split("\n");
  const contains = (path: string, text: string) =>
    existsSync(path) && readFileSync(path, "utf8").includes(text);

  it("switches the board off and on with the configured commands", async () => {
    const driver = new CommandPowerDriver(config);
    await driver.run("off", never);
    assert.deepEqual(read(state), ["off"]);
    await driver.run("on", never);
    assert.deepEqual(read(state), ["on"]);
  });

  it("cycles with off, a wait, then on when no cycle command is set", async () => {
    await new CommandPowerDriver(config).run("cycle", never);
    assert.deepEqual(read(history), ["off", "on"]);
    assert.deepEqual(read(state), ["on"]);
  });

  it("runs the cycle command instead when one is set", async () => {
    const cycle = `echo cycled >> ${history}`;
    await new CommandPowerDriver({ ...config, cycle }).run("cycle", never);
    assert.deepEqual(read(history), ["cycled"]);
  });

  it("fails with the exit code and the end of what the command printed", async () => {
    const off =
      "echo 'relay: opening /dev/hidraw0' >&2; echo 'relay: permission denied' >&2; exit 3";
    const driver = new CommandPowerDriver({ ...config, off });
    await assert.rejects(driver.run("off", never), (err: unknown) => {
      assert.ok(err instanceof HearthError);
      assert.equal(err.code, "E_PEER_DOWN");
      assert.equal(
        err.message,
        `command power driver: \`${off}\` exited with 3: relay: opening /dev/hidraw0 | relay: permission denied`,
      );
      assert.match(err.fix ?? "", /Run the command by hand as the hearth user/);
      return true;
    });
  });

  it("kills a command that runs past its timeout", async () => {
    // exec: the shell becomes sleep, so no orphan is left (this sandbox's PID 1 reaps none).
    const driver = new CommandPowerDriver({ ...config, on: "exec sleep 30" }, { timeoutMs: 300 });
    await assert.rejects(
      driver.run("on", never),
      /command power driver: `exec sleep 30` did not finish within 300 ms/,
    );
  });

  it("still switches the board on when a cycle is aborted during its wait", async () => {
    const driver = new CommandPowerDriver({ ...config, cycleSeconds: 30 });
    const abort = new AbortController();
    const cycle = driver.run("cycle", abort.signal);
    await waitFor(() => contains(history, "off"));
    abort.abort(new Error("hearth is stopping"));
    await assert.rejects(cycle);
    assert.deepEqual(read(history), ["off", "on"]);
  });

  it("ends a running command when aborted, and its process is gone", async () => {
    const pidFile = join(dir, "pid");
    const off = `echo $$ > ${pidFile}.tmp && mv ${pidFile}.tmp ${pidFile}; exec sleep 30`;
    const driver = new CommandPowerDriver({ ...config, off });
    const abort = new AbortController();
    const running = driver.run("off", abort.signal);
    await waitFor(() => existsSync(pidFile));
    const pid = Number(readFileSync(pidFile, "utf8"));
    abort.abort(new Error("hearth is stopping"));
    await assert.rejects(running, /hearth is stopping/);
    assert.throws(() => process.kill(pid, 0), { code: "ESRCH" });
  });
});
