import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { NODE_FLAGS } from "../../services/node-flags.js";

const root = new URL("../../", import.meta.url).pathname;
const read = (path: string) => readFileSync(`${root}${path}`, "utf8");
const flags = NODE_FLAGS.join(" ");

// The V8 flags only work on node's command line, so each launcher repeats them: they must agree.
describe("V8 flags in every launcher", () => {
  it("are on the bin's shebang", () => {
    assert.equal(read("services/main.ts").split("\n")[0], `#!/usr/bin/env -S node ${flags}`);
  });

  it("are in scripts/start", () => {
    assert.match(
      read("scripts/start"),
      new RegExp(`exec node ${flags} dist/services/main\\.js start`),
    );
  });

  it("are in the systemd unit's ExecStart, and nowhere else in it", () => {
    const unit = read("etc/hearth.service");
    assert.match(
      unit,
      new RegExp(`^ExecStart=/usr/bin/node ${flags} /opt/hearth/dist/services/main\\.js`, "m"),
    );
    assert.doesNotMatch(unit, /NODE_OPTIONS/);
  });
});
