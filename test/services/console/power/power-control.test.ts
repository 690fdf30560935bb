import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HearthError } from "../../../../services/errors.js";
import {
  PowerControl,
  createPowerDriver,
} from "../../../../services/console/power/power-control.js";
import type { PowerAction, PowerDriver } from "../../../../services/console/power/power-driver.js";

/**
 * A driver whose operations end when the test says so: PowerControl's queueing, rate limit and
 * events are its own logic, independent of any relay. The real drivers have their own tests, and
 * the last test here runs PowerControl over the real command driver.
 */
class ScriptedDriver implements PowerDriver {
  readonly kind = "command" as const;
  readonly calls: PowerAction[] = [];
  readonly signals: AbortSignal[] = [];
  isClosed = false;
  #pending: { resolve: () => void; reject: (err: unknown) => void } | undefined;

  run(action: PowerAction, signal: AbortSignal): Promise<void> {
    this.calls.push(action);
    this.signals.push(signal);
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
  }
  finish(): void {
    this.#pending?.resolve();
  }
  fail(err: unknown): void {
    this.#pending?.reject(err);
  }
  async close(): Promise<void> {
    this.isClosed = true;
  }
}

describe("PowerControl", () => {
  let driver: ScriptedDriver;
  let events: string[];
  let clock: number;
  let control: PowerControl;
  beforeEach(() => {
    driver = new ScriptedDriver();
    events = [];
    clock = 1_000;
    control = new PowerControl({
      driver,
      onEvent: (line) => events.push(line),
      now: () => clock,
    });
  });
  afterEach(() => control.close());

  it("logs who asked, then the outcome, and keeps it as the last operation", async () => {
    const cycle = control.request("cycle", "alice");
    assert.equal(control.busy, true);
    assert.deepEqual(events, ["power cycle by alice"]);
    clock = 6_000;
    driver.finish();
    await cycle;
    assert.equal(control.busy, false);
    assert.deepEqual(events, ["power cycle by alice", "power cycle done"]);
    assert.deepEqual(control.last, { action: "cycle", who: "alice", at: 1_000, ok: true });
  });

  it("refuses a second request while one runs, saying what runs", async () => {
    const first = control.request("cycle", "alice");
    await assert.rejects(control.request("off", "bob"), (err: unknown) => {
      assert.ok(err instanceof HearthError);
      assert.equal(err.code, "E_PORT_BUSY");
      assert.equal(
        err.message,
        "power off refused: power cycle by alice is still running; try again 10 s after it is done",
      );
      return true;
    });
    assert.deepEqual(driver.calls, ["cycle"]);
    driver.finish();
    await first;
    assert.deepEqual(events, ["power cycle by alice", "power cycle done"]);
  });

  it("refuses requests within minIntervalMs of the last one's end, saying when to retry", async () => {
    const first = control.request("off", "alice");
    clock = 2_000;
    driver.finish();
    await first;
    clock = 5_500;
    await assert.rejects(control.request("on", "alice"), {
      code: "E_PORT_BUSY",
      message:
        "power on refused: the last power operation ended less than 10 s ago; try again in 7 s",
    });
    clock = 12_000;
    const second = control.request("on", "alice");
    driver.finish();
    await second;
    assert.deepEqual(driver.calls, ["off", "on"]);
  });

  it("honours a custom interval", async () => {
    control = new PowerControl({ driver, minIntervalMs: 0, onEvent: () => {}, now: () => clock });
    const first = control.request("off", "alice");
    driver.finish();
    await first;
    const second = control.request("on", "alice");
    driver.finish();
    await second;
    assert.deepEqual(driver.calls, ["off", "on"]);
  });

  it("passes a driver's HearthError through and reports it as the outcome", async () => {
    const failure = new HearthError("E_PEER_DOWN", "http power driver: GET … answered 503", {
      fix: "Open the URL with curl.",
    });
    const off = control.request("off", "alice");
    driver.fail(failure);
    await assert.rejects(off, (err) => err === failure);
    assert.deepEqual(events, [
      "power off by alice",
      "power off failed: http power driver: GET … answered 503",
    ]);
    assert.deepEqual(control.last, {
      action: "off",
      who: "alice",
      at: 1_000,
      ok: false,
      error: "http power driver: GET … answered 503",
    });
  });

  it("wraps any other driver failure in a HearthError naming the driver", async () => {
    const on = control.request("on", "alice");
    driver.fail(new Error("relay board unplugged"));
    await assert.rejects(on, (err: unknown) => {
      assert.ok(err instanceof HearthError);
      assert.equal(err.code, "E_PEER_DOWN");
      assert.equal(err.message, "command power driver: relay board unplugged");
      assert.ok(err.fix);
      return true;
    });
  });

  it("aborts a running operation on close, closes the driver and refuses further requests", async () => {
    const cycle = control.request("cycle", "alice");
    await control.close();
    assert.equal(driver.signals[0]?.aborted, true);
    await assert.rejects(cycle, {
      code: "E_NOT_RUNNING",
      message: "power cycle aborted: hearth is stopping",
    });
    assert.equal(driver.isClosed, true);
    assert.equal(events.at(-1), "power cycle aborted: hearth is stopping");
    await assert.rejects(control.request("on", "alice"), { code: "E_NOT_RUNNING" });
  });

  it("power-cycles a board through the real command driver", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hearth-power-control-"));
    try {
      const state = join(dir, "power");
      const real = new PowerControl({
        driver: createPowerDriver({
          driver: "command",
          on: `echo on >> ${state}`,
          off: `echo off >> ${state}`,
          cycleSeconds: 0.1,
        }),
        onEvent: (line) => events.push(line),
      });
      await real.request("cycle", "alice");
      await real.close();
      assert.equal(readFileSync(state, "utf8"), "off\non\n");
      assert.deepEqual(events, ["power cycle by alice", "power cycle done"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
