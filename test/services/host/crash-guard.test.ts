import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { HostStatus } from "../../../services/host/host-status.js";

const run = promisify(execFile);

describe("CrashGuard", () => {
  it("restarts only the service whose timer threw an uncaught exception; the process lives on", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "hearth-crash-"));
    try {
      const fixture = join(import.meta.dirname, "fixtures", "crashing-host.ts");
      const { stdout } = await run(process.execPath, ["--import", "tsx", fixture, dataDir], {
        timeout: 15_000,
      });
      const { status, steadyEvents } = JSON.parse(stdout) as {
        status: HostStatus;
        steadyEvents: string[];
      };
      const crashy = status.services.find((s) => s.name === "crashy");
      assert.equal(crashy?.state, "degraded");
      assert.equal(
        crashy?.reason,
        "restarted after a failure: crashy tripped over a malformed packet",
      );
      assert.equal(status.services.find((s) => s.name === "steady")?.state, "ok");
      assert.deepEqual(steadyEvents, ["start"], "the healthy service was not restarted");
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
