import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { join } from "node:path";
import { controlRequest, fetchStatus } from "../../../services/control/control-client.js";
import { startHearth, type HearthProcess } from "../../support/hearth-process.js";

describe("control socket of a running hearth", function () {
  this.timeout(60_000);
  let hearth: HearthProcess;
  let socket: string;
  before(async () => {
    hearth = await startHearth({ args: ["--listen", "127.0.0.1"] });
    socket = join(hearth.dataDir, "hearth.sock");
  });
  after(async () => {
    await hearth.stop();
    hearth.cleanup();
  });

  it("is a socket only its owner and group can use (mode 0660)", () => {
    const st = statSync(socket);
    assert.ok(st.isSocket());
    assert.equal(st.mode & 0o777, 0o660);
  });

  it("answers /status with the host's status", async () => {
    const status = await fetchStatus([socket]);
    assert.equal(status.pid, hearth.pid);
    assert.equal(status.dataDir, hearth.dataDir);
  });

  it("hands /api/ requests to the JSON API as the admin, through the same guard", async () => {
    const answer = await controlRequest([socket], "GET", "/api/status");
    assert.equal(answer.statusCode, 200);
    assert.equal((JSON.parse(answer.body) as { pid: number }).pid, hearth.pid);
    const missing = await controlRequest([socket], "GET", "/api/no-such-thing");
    assert.equal(missing.statusCode, 404);
    const session = await controlRequest([socket], "GET", "/api/session");
    assert.equal((JSON.parse(session.body) as { authenticated: boolean }).authenticated, true);
  });

  it("answers 404 for anything else and says hearth is not running on a dead path", async () => {
    assert.equal((await controlRequest([socket], "GET", "/nope")).statusCode, 404);
    await assert.rejects(fetchStatus([join(hearth.dataDir, "nope.sock")]), /hearth is not running/);
  });
});
