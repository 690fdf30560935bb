import assert from "node:assert/strict";
import { service } from "./status-stub.js";
import { login, testServer, type TestServer } from "./test-server.js";

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("GET /metrics", () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await testServer({
      services: [
        service("media", "ok"),
        service("backup", "failed", { restarts: 2 }),
        service("console", "off"),
      ],
    });
  });
  afterEach(async () => t.dispose());

  it("serves Prometheus text to HTTP Basic admin:<password>", async () => {
    const response = await t.server.app.inject({
      url: "/metrics",
      headers: { authorization: basic("admin", t.password) },
    });
    assert.equal(response.statusCode, 200);
    assert.match(response.headers["content-type"] as string, /^text\/plain; version=0\.0\.4/);
    assert.match(response.body, /^hearth_service_up\{service="media"\} 1$/m);
    assert.match(response.body, /^hearth_service_up\{service="backup"\} 0$/m);
    assert.doesNotMatch(response.body, /service="console"/);
    assert.match(response.body, /^hearth_service_restarts\{service="backup"\} 2$/m);
    assert.match(response.body, /^process_cpu_seconds_total /m);
    assert.match(response.body, /^hearth_data_disk_free_bytes 212000000000$/m);
  });

  it("serves a dashboard session too", async () => {
    const { cookie } = await login(t);
    assert.equal(
      (await t.server.app.inject({ url: "/metrics", headers: { cookie } })).statusCode,
      200,
    );
  });

  it("asks for Basic credentials without any", async () => {
    const response = await t.server.app.inject("/metrics");
    assert.equal(response.statusCode, 401);
    assert.equal(response.headers["www-authenticate"], 'Basic realm="hearth", charset="UTF-8"');
  });

  it("gives a wrong password and an unknown user the same answer", async () => {
    const wrong = await t.server.app.inject({
      url: "/metrics",
      headers: { authorization: basic("admin", "nope") },
    });
    const stranger = await t.server.app.inject({
      url: "/metrics",
      headers: { authorization: basic("bob", t.password) },
    });
    assert.equal(wrong.statusCode, 401);
    assert.equal(stranger.statusCode, 401);
    assert.equal(wrong.body, stranger.body);
  });

  it("throttles wrong Basic passwords like logins", async () => {
    const headers = { authorization: basic("admin", "guess") };
    for (let i = 0; i < 5; i++) {
      const r = await t.server.app.inject({ url: "/metrics", headers, remoteAddress: "10.0.0.9" });
      assert.equal(r.statusCode, 401);
    }
    const throttled = await t.server.app.inject({
      url: "/metrics",
      headers: { authorization: basic("admin", t.password) },
      remoteAddress: "10.0.0.9",
    });
    assert.equal(throttled.statusCode, 429);
    assert.ok(Number(throttled.headers["retry-after"]) > 0);
  });
});
