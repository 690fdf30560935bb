import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HearthError } from "../../../../services/errors.js";
import { GpioPowerDriver } from "../../../../services/console/power/gpio-power-driver.js";
import type { GpioPowerConfig } from "../../../../services/console/power/power-driver.js";
import { waitFor } from "../../host/test-services.js";
import { type FakeGpioset, writeFakeGpioset } from "./fake-gpioset.js";

const relay: GpioPowerConfig = {
  driver: "gpio",
  chip: "gpiochip0",
  line: 17,
  activeLow: false,
  cycleSeconds: 1,
};

describe("GpioPowerDriver", () => {
  const never = new AbortController().signal;
  let driver: GpioPowerDriver | undefined;
  afterEach(async () => {
    await driver?.close();
    driver = undefined;
  });

  // This container has no /dev/gpiochip* (no gpio-sim, no gpio-mockup), so the real gpioset 1.6.3
  // can only show how a failure reads; switching is exercised against the fake below.
  describe("with the real gpioset and no GPIO chip", () => {
    it("fails a power cycle with gpioset's own error and the fix", async () => {
      driver = new GpioPowerDriver({ ...relay, chip: "gpiochip7" });
      await assert.rejects(driver.run("cycle", never), (err: unknown) => {
        assert.ok(err instanceof HearthError);
        assert.equal(err.code, "E_PEER_DOWN");
        assert.equal(
          err.message,
          "gpio power driver: `gpioset -m time -s 1 gpiochip7 17=1` exited with 1: gpioset: error setting the GPIO line values: No such file or directory",
        );
        assert.match(err.fix ?? "", /gpioinfo/);
        return true;
      });
    });

    it("fails power off the same way and holds nothing", async () => {
      driver = new GpioPowerDriver({ ...relay, chip: "gpiochip7", activeLow: true });
      await assert.rejects(
        driver.run("off", never),
        /`gpioset -l -m signal gpiochip7 17=1` exited with 1: gpioset: error setting the GPIO line values/,
      );
      assert.equal(driver.isHolding, false);
    });
  });

  describe("with a fake gpioset (labelled: no GPIO chip here)", () => {
    let dir: string;
    let fake: FakeGpioset;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), "hearth-gpio-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("detects libgpiod 2 once and speaks its command line", async () => {
      fake = writeFakeGpioset(dir, "gpioset (libgpiod) v2.1.3");
      driver = new GpioPowerDriver(relay, { gpiosetPath: fake.path });
      await driver.run("cycle", never);
      await driver.run("cycle", never);
      assert.deepEqual(fake.events(), [
        "version",
        "start -C hearth -c gpiochip0 -t 1s,0 17=1",
        "pulse done",
        "start -C hearth -c gpiochip0 -t 1s,0 17=1",
        "pulse done",
      ]);
    });

    it("keeps the relay energised for off until on releases it", async () => {
      fake = writeFakeGpioset(dir, "gpioset (libgpiod) v1.6.3");
      driver = new GpioPowerDriver(relay, { gpiosetPath: fake.path });
      await driver.run("off", never);
      assert.equal(driver.isHolding, true);
      await driver.run("off", never); // already off: no second holder
      assert.deepEqual(fake.events(), ["version", "start -m signal gpiochip0 17=1"]);
      await driver.run("on", never);
      assert.equal(driver.isHolding, false);
      assert.deepEqual(fake.events(), ["version", "start -m signal gpiochip0 17=1", "released"]);
    });

    it("ends a cycle of a board that is off by releasing the relay", async () => {
      fake = writeFakeGpioset(dir, "gpioset (libgpiod) v1.6.3");
      driver = new GpioPowerDriver(relay, { gpiosetPath: fake.path });
      await driver.run("off", never);
      await driver.run("cycle", never);
      assert.equal(driver.isHolding, false);
      assert.deepEqual(fake.events(), ["version", "start -m signal gpiochip0 17=1", "released"]);
    });

    it("releases a held relay on close, so a stopping hearth leaves the board powered", async () => {
      fake = writeFakeGpioset(dir, "gpioset (libgpiod) v1.6.3");
      driver = new GpioPowerDriver(relay, { gpiosetPath: fake.path });
      await driver.run("off", never);
      await driver.close();
      assert.deepEqual(fake.events().at(-1), "released");
    });

    it("kills a running pulse when aborted: the line reverts and the board gets power", async () => {
      fake = writeFakeGpioset(dir, "gpioset (libgpiod) v1.6.3");
      driver = new GpioPowerDriver({ ...relay, cycleSeconds: 30 }, { gpiosetPath: fake.path });
      const abort = new AbortController();
      const cycle = driver.run("cycle", abort.signal);
      await waitFor(() => fake.events().some((e) => e.startsWith("start")));
      abort.abort(new Error("hearth is stopping"));
      await assert.rejects(cycle, /hearth is stopping/);
      assert.deepEqual(fake.events(), [
        "version",
        "start -m time -s 30 gpiochip0 17=1",
        "released",
      ]);
    });
  });
});
