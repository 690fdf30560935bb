import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const unit = new URL("../../etc/hearth.service", import.meta.url).pathname;
const text = readFileSync(unit, "utf8");

describe("etc/hearth.service", () => {
  it("passes systemd-analyze verify", () => {
    const result = spawnSync("systemd-analyze", ["verify", unit], { encoding: "utf8" });
    assert.equal(
      result.error,
      undefined,
      "systemd-analyze is missing: scripts/setup test installs systemd",
    );
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr.trim(), "", "no warnings");
  });

  it("is hardened to an exposure of 3.0 or better (systemd-analyze security)", () => {
    const out = execFileSync("systemd-analyze", ["security", "--offline=yes", unit], {
      encoding: "utf8",
    });
    const score = Number(/Overall exposure level for hearth\.service: ([\d.]+)/.exec(out)?.[1]);
    assert.ok(score <= 3.0, `exposure ${score}`);
  });

  it("stops restarting on a broken config (exit 78) and keeps serial ports reachable", () => {
    assert.match(text, /^RestartPreventExitStatus=78$/m);
    assert.match(text, /^Restart=on-failure$/m);
    assert.match(text, /^SupplementaryGroups=dialout$/m);
    assert.doesNotMatch(text, /^PrivateDevices=yes/m, "PrivateDevices hides /dev/ttyUSB*");
    assert.doesNotMatch(text, /^MemoryDenyWriteExecute=yes/m, "V8's JIT needs W+X pages");
  });

  it("runs the compiled entry point with `start`", () => {
    assert.match(
      text,
      /^ExecStart=\/usr\/bin\/node (--\S+ )*\/opt\/hearth\/dist\/services\/main\.js start /m,
    );
  });
});
