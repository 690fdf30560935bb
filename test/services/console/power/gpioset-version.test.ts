import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HearthError } from "../../../../services/errors.js";
import {
  detectGpiosetVersion,
  parseGpiosetVersion,
} from "../../../../services/console/power/gpioset-version.js";
import { writeFakeGpioset } from "./fake-gpioset.js";

describe("gpioset version detection", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "hearth-gpioset-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the major version from `gpioset --version` of libgpiod 1.x and 2.x", () => {
    assert.equal(parseGpiosetVersion("gpioset (libgpiod) v1.6.3\nCopyright (C) 2017-2018"), 1);
    assert.equal(parseGpiosetVersion("gpioset (libgpiod) v2.1.3\n"), 2);
    assert.equal(parseGpiosetVersion("gpioset (libgpiod) v2.0-rc2\n"), 2);
    assert.equal(parseGpiosetVersion("gpioset (libgpiod) v3.0.0\n"), undefined);
    assert.equal(parseGpiosetVersion("gpioset 0.1 (some other tool)"), undefined);
  });

  it("detects the installed gpioset (Debian 12: libgpiod 1.6.3) as version 1", async () => {
    assert.equal(await detectGpiosetVersion("gpioset"), 1);
  });

  it("detects a libgpiod 2 gpioset from its version line", async () => {
    const fake = writeFakeGpioset(dir, "gpioset (libgpiod) v2.1.3");
    assert.equal(await detectGpiosetVersion(fake.path), 2);
  });

  it("rejects a gpioset it cannot place, quoting its version line", async () => {
    const fake = writeFakeGpioset(dir, "gpioset (libgpiod) v9.0.0");
    await assert.rejects(detectGpiosetVersion(fake.path), (err: unknown) => {
      assert.ok(err instanceof HearthError);
      assert.equal(err.code, "E_PEER_DOWN");
      assert.equal(
        err.message,
        'gpio power driver: cannot tell the gpioset version from "gpioset (libgpiod) v9.0.0"',
      );
      return true;
    });
  });

  it("says to install gpiod when gpioset is missing", async () => {
    const missing = join(dir, "no-gpioset");
    await assert.rejects(detectGpiosetVersion(missing), (err: unknown) => {
      assert.ok(err instanceof HearthError);
      assert.equal(err.message, `gpio power driver: ${missing} is not installed`);
      assert.equal(err.fix, "Install libgpiod's tools: apt install gpiod");
      return true;
    });
  });
});
