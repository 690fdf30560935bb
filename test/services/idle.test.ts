import assert from "node:assert/strict";
import { procIo, sleep, startHearth, type HearthProcess } from "../support/hearth-process.js";

// SD cards wear out with writes, and the box runs 24/7 on a few watts: once started, an idle hearth
// must not write to disk at all. /proc/<pid>/io's write_bytes counts what the process sent to the
// block layer, including page-cache writeback it caused.
describe("idle hearth (embedded default, compiled dist/)", function () {
  this.timeout(90_000);
  let hearth: HearthProcess | undefined;
  after(() => hearth?.cleanup());

  it("writes 0 bytes to disk and logs nothing over 20 s once start-up settled", async () => {
    hearth = await startHearth({ args: ["--listen", "127.0.0.1"] });
    await hearth.waitForLog((l) => typeof l.msg === "string" && l.msg.includes("is up"));
    // Settled: no new log line for 3 s (first-run password, catalog open, services started).
    let seen = hearth.lines().length;
    for (let quiet = 0; quiet < 3;) {
      await sleep(1_000);
      const now = hearth.lines().length;
      quiet = now === seen ? quiet + 1 : 0;
      seen = now;
    }
    const before = await procIo(hearth.pid);
    const linesBefore = hearth.lines().length;
    await sleep(20_000);
    const after = await procIo(hearth.pid);
    assert.equal(after.write_bytes! - before.write_bytes!, 0, "bytes written to disk while idle");
    assert.deepEqual(hearth.lines().slice(linesBefore), [], "log lines while idle");
    assert.equal(hearth.child.exitCode, null, "still running");
  });
});
