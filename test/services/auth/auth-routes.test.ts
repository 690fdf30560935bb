import assert from "node:assert/strict";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { login, testServer, type TestServer } from "../http/test-server.js";

describe("auth routes", () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await testServer();
  });
  afterEach(async () => t.dispose());

  const post = (
    url: string,
    payload: unknown,
    headers: Record<string, string> = {},
    remoteAddress?: string,
  ) =>
    t.server.app.inject({
      method: "POST",
      url,
      payload: payload as object,
      headers,
      ...(remoteAddress ? { remoteAddress } : {}),
    });

  it("logs in with the first-run password and sets a strict HttpOnly session cookie", async () => {
    const response = await post("/api/login", { password: t.password });
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.match(body.csrfToken, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(body.mustChangePassword, true);
    const setCookie = String(response.headers["set-cookie"]);
    assert.match(
      setCookie,
      /^hearth_session=[A-Za-z0-9_-]{43}; Max-Age=604800; Path=\/; HttpOnly; SameSite=Strict$/,
    );
  });

  it("refuses a wrong password with 401 and no cookie", async () => {
    const response = await post("/api/login", { password: "wrong-password" });
    assert.equal(response.statusCode, 401);
    assert.deepEqual(response.json(), { error: "wrong password" });
    assert.equal(response.headers["set-cookie"], undefined);
  });

  it("refuses a malformed login body with 400 saying what to send", async () => {
    for (const body of [{ pass: "x" }, { password: 42 }, { password: "x".repeat(10_000) }]) {
      const response = await post("/api/login", body);
      assert.equal(response.statusCode, 400);
      assert.match(response.json().error, /send a JSON body \{ "password": "…" \}/);
    }
  });

  it("answers 429 with Retry-After after 5 wrong passwords, even for the right one", async () => {
    for (let i = 0; i < 5; i++) {
      assert.equal(
        (await post("/api/login", { password: `guess-${i}` }, {}, "192.168.1.50")).statusCode,
        401,
      );
    }
    const throttled = await post("/api/login", { password: t.password }, {}, "192.168.1.50");
    assert.equal(throttled.statusCode, 429);
    assert.equal(throttled.headers["retry-after"], "60");
    assert.match(
      throttled.json().error,
      /too many wrong passwords from this device; try again in 1 minute/,
    );
    assert.equal(
      (await post("/api/login", { password: t.password }, {}, "192.168.1.51")).statusCode,
      200,
    );
  });

  it("logs wrong passwords once per address and window, never the password", async () => {
    for (let i = 0; i < 3; i++)
      await post("/api/login", { password: "hunter2-wrong" }, {}, "192.168.1.60");
    const warnings = t.logLines.filter((l) => String(l.msg).startsWith("wrong admin password"));
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.client, "192.168.1.60");
    assert.ok(!JSON.stringify(t.logLines).includes("hunter2-wrong"));
  });

  it("tells the login page whether it is signed in", async () => {
    const anonymous = await t.server.app.inject("/api/session");
    assert.equal(anonymous.statusCode, 200);
    assert.equal(anonymous.json().authenticated, false);
    assert.equal(anonymous.json().csrfToken, undefined);
    assert.equal(anonymous.json().mustChangePassword, true);
    const { cookie, csrfToken } = await login(t);
    const signedIn = (
      await t.server.app.inject({ url: "/api/session", headers: { cookie } })
    ).json();
    assert.equal(signedIn.authenticated, true);
    assert.equal(signedIn.csrfToken, csrfToken);
  });

  it("refuses state-changing API calls without the CSRF token or with a wrong one", async () => {
    const { cookie, csrfToken } = await login(t);
    const missing = await post("/api/logout", undefined, { cookie });
    assert.equal(missing.statusCode, 403);
    assert.match(missing.json().error, /CSRF token/);
    const wrong = await post("/api/logout", undefined, {
      cookie,
      "x-csrf-token": csrfToken.replace(/.$/, "x"),
    });
    assert.equal(wrong.statusCode, 403);
  });

  it("refuses a state-changing call from a foreign Origin even with the token", async () => {
    const { cookie, csrfToken } = await login(t);
    const response = await post("/api/logout", undefined, {
      cookie,
      "x-csrf-token": csrfToken,
      origin: "http://evil.example",
    });
    assert.equal(response.statusCode, 403);
    assert.match(response.json().error, /another site/);
    const loginFromElsewhere = await post(
      "/api/login",
      { password: t.password },
      { origin: "http://evil.example" },
    );
    assert.equal(loginFromElsewhere.statusCode, 403);
  });

  it("accepts a same-origin call with the token (default ports and case do not matter)", async () => {
    for (const [origin, host] of [
      ["http://hearthbox:8200", "hearthbox:8200"],
      ["http://hearthbox", "HearthBox:80"],
    ] as const) {
      const { cookie, csrfToken } = await login(t);
      const headers = { cookie, "x-csrf-token": csrfToken, origin, host };
      assert.equal((await post("/api/logout", undefined, headers)).statusCode, 204, origin);
    }
  });

  it("refuses a same-host Origin on another port", async () => {
    const { cookie, csrfToken } = await login(t);
    const headers = {
      cookie,
      "x-csrf-token": csrfToken,
      origin: "http://hearthbox:9000",
      host: "hearthbox:8200",
    };
    assert.equal((await post("/api/logout", undefined, headers)).statusCode, 403);
  });

  it("logs out: the cookie is cleared and the session no longer works", async () => {
    const { cookie, csrfToken } = await login(t);
    const response = await post("/api/logout", undefined, { cookie, "x-csrf-token": csrfToken });
    assert.equal(response.statusCode, 204);
    assert.match(String(response.headers["set-cookie"]), /^hearth_session=; Max-Age=0/);
    assert.equal(
      (await t.server.app.inject({ url: "/api/status", headers: { cookie } })).statusCode,
      401,
    );
  });

  it("changes the password, removes the first-run file and signs other sessions out", async () => {
    const first = await login(t);
    const other = await login(t);
    const response = await post(
      "/api/password",
      { current: t.password, next: "correct horse battery" },
      { cookie: first.cookie, "x-csrf-token": first.csrfToken },
    );
    assert.equal(response.statusCode, 200);
    await assert.rejects(access(join(t.dataDir, "host", "initial-admin-password")), {
      code: "ENOENT",
    });
    assert.equal(
      (await t.server.app.inject({ url: "/api/status", headers: { cookie: other.cookie } }))
        .statusCode,
      401,
    );
    assert.equal(
      (await t.server.app.inject({ url: "/api/status", headers: { cookie: first.cookie } }))
        .statusCode,
      200,
    );
    assert.equal((await post("/api/login", { password: t.password })).statusCode, 401);
    assert.equal((await post("/api/login", { password: "correct horse battery" })).statusCode, 200);
    const session = (await t.server.app.inject("/api/session")).json();
    assert.equal(session.mustChangePassword, false);
    assert.equal(session.initialPasswordFile, undefined);
  });

  it("refuses a short new password and a wrong current one", async () => {
    const { cookie, csrfToken } = await login(t);
    const headers = { cookie, "x-csrf-token": csrfToken };
    const missing = await post("/api/password", { next: "long enough now" }, headers);
    assert.equal(missing.statusCode, 400);
    assert.match(missing.json().error, /"current": "…", "next": "…"/);
    const short = await post("/api/password", { current: t.password, next: "short" }, headers);
    assert.equal(short.statusCode, 400);
    assert.equal(short.json().error, "the new password needs at least 10 characters");
    const wrong = await post(
      "/api/password",
      { current: "not-it-at-all", next: "long enough now" },
      headers,
    );
    assert.equal(wrong.statusCode, 403);
    assert.equal(wrong.json().error, "the current password is not right");
  });

  it("never logs a cookie, a CSRF token or the session id", async () => {
    const { cookie, csrfToken } = await login(t);
    await t.server.app.inject({ url: "/api/nope", headers: { cookie } });
    await post("/api/logout", undefined, { cookie, "x-csrf-token": csrfToken });
    const all = JSON.stringify(t.logLines);
    assert.ok(!all.includes(cookie.split("=")[1]!));
    assert.ok(!all.includes(csrfToken));
  });
});
