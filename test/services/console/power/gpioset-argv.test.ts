import assert from "node:assert/strict";
import { gpiosetArgv } from "../../../../services/console/power/gpioset-argv.js";

const relay = { chip: "gpiochip0", line: 17, activeLow: false };

describe("gpiosetArgv", () => {
  describe("libgpiod 1.x", () => {
    it("pulses the relay for cycleSeconds with -m time -s, then gpioset exits", () => {
      assert.deepEqual(gpiosetArgv({ ...relay, version: 1, mode: "pulse", seconds: 5 }), [
        "-m",
        "time",
        "-s",
        "5",
        "gpiochip0",
        "17=1",
      ]);
    });

    it("holds the relay with -m signal until gpioset is killed", () => {
      assert.deepEqual(gpiosetArgv({ ...relay, version: 1, mode: "hold" }), [
        "-m",
        "signal",
        "gpiochip0",
        "17=1",
      ]);
    });

    it("adds -l for an active-low relay board", () => {
      assert.deepEqual(
        gpiosetArgv({ ...relay, activeLow: true, version: 1, mode: "pulse", seconds: 3 }),
        ["-l", "-m", "time", "-s", "3", "gpiochip0", "17=1"],
      );
    });
  });

  describe("libgpiod 2.x", () => {
    it("pulses with -t Ns,0 so gpioset toggles back and exits", () => {
      assert.deepEqual(gpiosetArgv({ ...relay, version: 2, mode: "pulse", seconds: 5 }), [
        "-C",
        "hearth",
        "-c",
        "gpiochip0",
        "-t",
        "5s,0",
        "17=1",
      ]);
    });

    it("holds by default (no -t), until gpioset is killed", () => {
      assert.deepEqual(gpiosetArgv({ ...relay, version: 2, mode: "hold" }), [
        "-C",
        "hearth",
        "-c",
        "gpiochip0",
        "17=1",
      ]);
    });

    it("adds -l for an active-low relay board", () => {
      assert.deepEqual(gpiosetArgv({ ...relay, activeLow: true, version: 2, mode: "hold" }), [
        "-l",
        "-C",
        "hearth",
        "-c",
        "gpiochip0",
        "17=1",
      ]);
    });
  });

  it("refuses a pulse without a positive length", () => {
    assert.throws(() => gpiosetArgv({ ...relay, version: 1, mode: "pulse" }), RangeError);
    assert.throws(
      () => gpiosetArgv({ ...relay, version: 2, mode: "pulse", seconds: 0 }),
      RangeError,
    );
  });
});
