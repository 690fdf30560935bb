import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { controlRequest } from "../../../services/control/control-client.js";

/** An HTTP server on a unix socket in its own process that drops idle connections about 3 s after a
 * response (keepAliveTimeout plus the 1 s Node adds). */
const SERVER = `
const server = require("node:http").createServer((_req, res) => res.end("ok"));
server.keepAliveTimeout = 2000;
server.listen(process.argv[1]);
`;

describe("control client", function () {
  this.timeout(10_000);
  let dir: string;
  let socket: string;
  let server: ChildProcess;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "hearth-control-client-"));
    socket = join(dir, "c.sock");
    server = spawn(process.execPath, ["-e", SERVER, socket], { stdio: "ignore" });
    const deadline = Date.now() + 10_000;
    while (!existsSync(socket)) {
      if (Date.now() > deadline) throw new Error("the test server did not start");
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  afterEach(() => {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it("asks on a fresh connection, so one the daemon closed meanwhile is never reused", async () => {
    assert.equal((await controlRequest([socket], "GET", "/a")).body, "ok");
    // A caller busy in synchronous work (a script running restic with spawnSync, as the
    // benchmarks do) never sees the daemon close the idle connection; reusing it fails (EPIPE).
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3500);
    assert.equal((await controlRequest([socket], "GET", "/b")).body, "ok");
  });
});
