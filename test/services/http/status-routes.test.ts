import assert from "node:assert/strict";
import { healthOf } from "../../../services/http/status-routes.js";
import { service } from "./status-stub.js";
import { login, testServer, type TestServer } from "./test-server.js";

describe("status routes", () => {
  let t: TestServer;
  afterEach(async () => t.dispose());

  it("answers /healthz 200 ok without a login when every service runs", async () => {
    t = await testServer({ services: [service("media", "ok"), service("console", "off")] });
    const response = await t.server.app.inject("/healthz");
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: "ok" });
    assert.equal(response.headers["cache-control"], "no-store");
  });

  it("answers /healthz 503 naming the failed services", async () => {
    t = await testServer({
      services: [
        service("media", "ok"),
        service("backup", "failed", { reason: "The backup disk is not mounted." }),
      ],
    });
    const response = await t.server.app.inject("/healthz");
    assert.equal(response.statusCode, 503);
    assert.deepEqual(response.json(), {
      status: "failed",
      failing: [{ name: "backup", state: "failed", reason: "The backup disk is not mounted." }],
    });
  });

  it("answers /healthz 200 degraded, listing the degraded services", async () => {
    t = await testServer({ services: [service("pbx", "degraded", { reason: "AMI down" })] });
    const response = await t.server.app.inject("/healthz");
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), {
      status: "degraded",
      failing: [{ name: "pbx", state: "degraded", reason: "AMI down" }],
    });
  });

  it("refuses /api/status without a login and serves the HostStatus with one", async () => {
    t = await testServer();
    const refused = await t.server.app.inject("/api/status");
    assert.equal(refused.statusCode, 401);
    assert.deepEqual(refused.json(), { error: "login required" });
    const { cookie } = await login(t);
    const response = await t.server.app.inject({ url: "/api/status", headers: { cookie } });
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().hostname, "hearthbox");
    assert.equal(response.json().services[0].name, "media");
  });
});

describe("healthOf", () => {
  const host = (services: ReturnType<typeof service>[]) => ({
    version: "0",
    hostname: "h",
    pid: 1,
    node: "v20",
    startedAt: "",
    uptimeSeconds: 1,
    configFile: null,
    dataDir: "/d",
    process: { cpuSeconds: 0, rssBytes: 0 },
    catalog: { sizeBytes: 0, batchesWritten: 0 },
    disk: null,
    services,
    overall: "ok" as const,
  });

  it("says starting while a service is still starting", () => {
    assert.deepEqual(healthOf(host([service("a", "ok"), service("b", "starting")])), {
      status: "starting",
    });
  });

  it("ignores services that are off or stopped", () => {
    assert.deepEqual(healthOf(host([service("a", "off"), service("b", "stopped")])), {
      status: "ok",
    });
  });

  it("puts failed before degraded", () => {
    const report = healthOf(host([service("a", "degraded"), service("b", "failed")]));
    assert.equal(report.status, "failed");
    assert.deepEqual(
      report.failing?.map((f) => f.name),
      ["b"],
    );
  });
});
