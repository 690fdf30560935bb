import assert from "node:assert/strict";
import { HearthError } from "../../../services/errors.js";
import { login, testServer, type TestServer } from "./test-server.js";

describe("createHttpServer", () => {
  let t: TestServer;
  afterEach(async () => t.dispose());

  it("compiles no JSON route schemas (handlers validate with zod; ajv is never loaded)", async () => {
    t = await testServer();
    t.server.app.post("/api/with-schema", { schema: { body: { type: "object" } } }, () => "x");
    await assert.rejects(async () => {
      await t.server.app.ready();
    }, /validate with zod in the handler/);
  });

  it("writes no per-request lines at info", async () => {
    t = await testServer();
    const { cookie } = await login(t);
    await t.server.app.inject({ url: "/api/status", headers: { cookie } });
    await t.server.app.inject("/healthz");
    await t.server.app.inject("/nope");
    assert.deepEqual(
      t.logLines.map((l) => l.msg).filter((m) => !String(m).startsWith("first-run admin password")),
      [],
    );
  });

  it("writes one debug line per request at debug, without headers", async () => {
    t = await testServer({ level: "debug" });
    const { cookie } = await login(t);
    await t.server.app.inject({ url: "/healthz", headers: { cookie } });
    const line = t.logLines.find((l) => l.msg === "request" && l.url === "/healthz");
    assert.ok(line, "a debug line for /healthz");
    assert.equal(line.statusCode, 200);
    assert.ok(!JSON.stringify(t.logLines).includes(cookie.split("=")[1]!));
  });

  it("answers unknown paths with JSON 404, and unknown API paths with 401 until logged in", async () => {
    t = await testServer();
    const missing = await t.server.app.inject("/nope");
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), { error: "not found: GET /nope" });
    assert.equal((await t.server.app.inject("/api/nope")).statusCode, 401);
    const { cookie } = await login(t);
    assert.equal(
      (await t.server.app.inject({ url: "/api/nope", headers: { cookie } })).statusCode,
      404,
    );
  });

  it("judges access by the matched route, so an encoded /api path needs the login too", async () => {
    t = await testServer();
    for (const url of ["/%61pi/status", "/api/%73tatus", "/%61pi/media/x"]) {
      assert.equal((await t.server.app.inject(url)).statusCode, 401, url);
    }
  });

  it("sends a browser following a link to a session page to the login page", async () => {
    t = await testServer();
    const response = await t.server.app.inject({
      url: "/api/media/library",
      headers: { accept: "text/html,*/*" },
    });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, "/");
  });

  it("puts browser hardening headers on the dashboard and the API", async () => {
    t = await testServer();
    const response = await t.server.app.inject("/api/session");
    assert.equal(response.headers["x-content-type-options"], "nosniff");
    assert.equal(response.headers["x-frame-options"], "DENY");
    assert.equal(response.headers["cache-control"], "no-store");
    assert.match(
      String(response.headers["content-security-policy"]),
      /default-src 'self'.*frame-ancestors 'none'/,
    );
  });

  it("listens on a free port, says E_PORT_BUSY with the fix when it is taken, and closes twice safely", async () => {
    t = await testServer();
    const { port } = await t.server.listen();
    assert.ok(port > 0);
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    const second = await testServer({ port });
    try {
      await assert.rejects(second.server.listen(), (err: unknown) => {
        assert.ok(err instanceof HearthError, String(err));
        assert.equal(err.code, "E_PORT_BUSY");
        assert.match(err.fix ?? "", new RegExp(`another program uses port ${port}`));
        return true;
      });
    } finally {
      await second.dispose();
    }
    await t.server.close();
    await t.server.close();
  });
});
