import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gettyLinkPath } from "../../../../services/console/getty/getty-unit-name.js";
import { GETTY_UNIT_PATH, gettyUnitScript } from "./unit-script.js";

const HEARTH_UNIT_PATH = new URL("../../../../etc/hearth.service", import.meta.url).pathname;
const text = readFileSync(GETTY_UNIT_PATH, "utf8");

describe("etc/hearth-getty@.service", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "hearth-getty-unit-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("passes systemd-analyze verify as an instance next to hearth.service", () => {
    // verify resolves After=/BindsTo= against the unit's own directory: hearth.service goes along.
    copyFileSync(HEARTH_UNIT_PATH, join(dir, "hearth.service"));
    copyFileSync(GETTY_UNIT_PATH, join(dir, "hearth-getty@board1.service"));
    const result = spawnSync(
      "systemd-analyze",
      ["verify", join(dir, "hearth-getty@board1.service")],
      {
        encoding: "utf8",
      },
    );
    assert.equal(
      result.error,
      undefined,
      "systemd-analyze is missing: scripts/setup test installs systemd",
    );
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr.trim(), "", "no warnings");
  });

  it("restarts agetty forever and follows hearth.service", () => {
    assert.match(text, /^Restart=always$/m);
    assert.match(text, /^RestartSec=1$/m);
    assert.match(text, /^StartLimitIntervalSec=0$/m);
    assert.match(text, /^After=hearth\.service$/m);
    assert.match(text, /^BindsTo=hearth\.service$/m);
    assert.match(text, /^WantedBy=hearth\.service$/m);
  });

  it("runs agetty as local 8-bit line without clearing, on the pty named relative to /dev", () => {
    const script = gettyUnitScript("board1");
    assert.ok(script.includes(`link=${gettyLinkPath("board1")};`), script);
    assert.match(script, /exec \/sbin\/agetty -L -8 --noclear "\$\{tty#\/dev\/\}" 115200 vt100$/);
    const syntax = spawnSync("/bin/sh", ["-n", "-c", script], { encoding: "utf8" });
    assert.equal(syntax.status, 0, syntax.stderr);
  });

  it("refuses a link that points anywhere but a pty (hearth, not root, writes /run/hearth)", () => {
    symlinkSync("/etc/passwd", gettyLinkPath("board1", dir));
    const result = spawnSync("/bin/sh", ["-c", gettyUnitScript("board1", dir)], {
      encoding: "utf8",
      timeout: 10_000,
    });
    assert.equal(result.status, 1);
    assert.equal(
      result.stderr.trim(),
      `${gettyLinkPath("board1", dir)} points to /etc/passwd, not a pty`,
    );
  });
});
