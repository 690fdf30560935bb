import assert from "node:assert/strict";
import WebSocket from "ws";
import { login, testServer, type TestServer } from "./test-server.js";

describe("ServiceRoutes", () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await testServer({ mount: ["media", "pbx"] });
  });
  afterEach(async () => t.dispose());

  it("dispatches a session route under /api/<name>/ with its params", async () => {
    const http = t.server.routes.forService("media");
    http.route("GET", "/items/:id", (request) => ({ id: (request.params as { id: string }).id }));
    const { cookie } = await login(t);
    const response = await t.server.app.inject({
      url: "/api/media/items/42?x=1",
      headers: { cookie },
    });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { id: "42" });
  });

  it("tells a service where the server listens, once it does", async () => {
    const http = t.server.routes.forService("media");
    assert.equal(http.listening(), undefined);
    const { port } = await t.server.listen();
    assert.deepEqual(http.listening(), { address: "127.0.0.1", port });
  });

  it("dispatches the right path when the client percent-encodes the prefix", async () => {
    t.server.routes.forService("media").route("GET", "/items/:id", (request) => request.params, {
      access: "open",
    });
    const response = await t.server.app.inject("/m%65dia/items/a%20b");
    assert.deepEqual(response.json(), { id: "a b" });
  });

  it("keeps session routes behind the login and off the open prefix", async () => {
    t.server.routes.forService("media").route("GET", "/secret", () => ({ ok: true }));
    assert.equal((await t.server.app.inject("/api/media/secret")).statusCode, 401);
    assert.equal((await t.server.app.inject("/media/secret")).statusCode, 404);
  });

  it("serves open routes under /<name>/ without a login, and not under /api", async () => {
    t.server.routes.forService("media").route(
      "GET",
      "/desc.xml",
      (_request, reply) => {
        reply.type("text/xml").send("<root/>");
      },
      { access: "open" },
    );
    const response = await t.server.app.inject("/media/desc.xml");
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, "<root/>");
    assert.equal(response.headers["content-security-policy"], undefined);
    const { cookie } = await login(t);
    assert.equal(
      (await t.server.app.inject({ url: "/api/media/desc.xml", headers: { cookie } })).statusCode,
      404,
    );
  });

  it("hands a SOAP body to an open handler as a string and an unknown type as a Buffer", async () => {
    const bodies: unknown[] = [];
    const http = t.server.routes.forService("media");
    http.route(
      "POST",
      "/control",
      (request) => {
        bodies.push(request.body);
        return { ok: true };
      },
      { access: "open" },
    );
    const soap = '<?xml version="1.0"?><s:Envelope><s:Body><u:Browse/></s:Body></s:Envelope>';
    await t.server.app.inject({
      method: "POST",
      url: "/media/control",
      headers: { "content-type": 'text/xml; charset="utf-8"', soapaction: '"urn:x#Browse"' },
      payload: soap,
    });
    await t.server.app.inject({
      method: "POST",
      url: "/media/control",
      headers: { "content-type": "application/octet-stream" },
      payload: Buffer.from([1, 2, 3]),
    });
    assert.equal(bodies[0], soap);
    assert.deepEqual(bodies[1], Buffer.from([1, 2, 3]));
  });

  it("routes UPnP SUBSCRIBE requests", async () => {
    t.server.routes.forService("media").route(
      "SUBSCRIBE",
      "/events",
      (_request, reply) => {
        reply.header("sid", "uuid:1").code(200).send();
      },
      { access: "open" },
    );
    const response = await t.server.app.inject({ method: "SUBSCRIBE", url: "/media/events" });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers.sid, "uuid:1");
  });

  it("answers 503 while a service has no registrations and after reset", async () => {
    const before = await t.server.app.inject("/media/x");
    assert.equal(before.statusCode, 503);
    assert.deepEqual(before.json(), { error: "media is not running" });
    const http = t.server.routes.forService("media");
    http.route("GET", "/x", () => "first", { access: "open" });
    assert.equal((await t.server.app.inject("/media/x")).body, "first");
    t.server.routes.reset("media");
    assert.equal((await t.server.app.inject("/media/x")).statusCode, 503);
    http.route("GET", "/x", () => "second", { access: "open" });
    assert.equal((await t.server.app.inject("/media/x")).body, "second");
  });

  it("answers 404 for a path the running service did not register", async () => {
    t.server.routes.forService("media").route("GET", "/x", () => "x", { access: "open" });
    const response = await t.server.app.inject("/media/nope");
    assert.equal(response.statusCode, 404);
    assert.deepEqual(response.json(), { error: "not found: GET /media/nope" });
  });

  it("answers HEAD from a GET route", async () => {
    t.server.routes.forService("media").route(
      "GET",
      "/song.flac",
      (_r, reply) => {
        reply.header("content-length", "4").send("abcd");
      },
      { access: "open" },
    );
    const response = await t.server.app.inject({ method: "HEAD", url: "/media/song.flac" });
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, "");
  });

  it("keeps pages per service, as absolute paths, and drops them on reset", () => {
    const http = t.server.routes.forService("pbx");
    http.page({ title: "Phones", path: "/overview" });
    http.page({ title: "Calls", path: "/api/pbx/calls" });
    assert.deepEqual(t.server.routes.pages("pbx"), [
      { title: "Phones", path: "/api/pbx/overview" },
      { title: "Calls", path: "/api/pbx/calls" },
    ]);
    t.server.routes.reset("pbx");
    assert.deepEqual(t.server.routes.pages("pbx"), []);
  });

  it("refuses a duplicate registration with the service's name in the message", () => {
    const http = t.server.routes.forService("media");
    http.route("GET", "/x", () => "x");
    assert.throws(
      () => http.route("GET", "/x", () => "y"),
      /^Error: media: cannot register GET \/x/,
    );
  });

  it("refuses service names the host uses itself", () => {
    assert.throws(() => t.server.routes.forService("api"), /not a name the host uses/);
    assert.throws(() => t.server.routes.forService("Media"), /lowercase/);
  });

  it("passes a service's thrown error to the JSON 500 reply without leaking it", async () => {
    t.server.routes.forService("media").route(
      "GET",
      "/boom",
      () => {
        throw new Error("secret internals");
      },
      { access: "open" },
    );
    const response = await t.server.app.inject("/media/boom");
    assert.equal(response.statusCode, 500);
    assert.doesNotMatch(response.body, /secret internals/);
    assert.ok(
      t.logLines.some((l) => l.level === "error" && JSON.stringify(l).includes("secret internals")),
    );
  });
});

describe("ServiceRoutes WebSockets (real socket)", () => {
  let t: TestServer;
  let base: string;
  before(async () => {
    t = await testServer({ mount: ["console"] });
    base = `ws://127.0.0.1:${(await t.server.listen()).port}`;
  });
  after(async () => t.dispose());

  it("opens a session WebSocket, refuses one without a login, and closes it on reset", async () => {
    t.server.routes.forService("console").websocket("/ports/:port", (socket, request) => {
      socket.send(`hello ${(request.params as { port: string }).port}`);
    });
    const refused = await openSocket(`${base}/api/console/ports/board1`, {});
    assert.equal(refused.status, 401);
    const { cookie } = await login(t);
    const origin = base.replace("ws:", "http:");
    const foreign = await openSocket(`${base}/api/console/ports/board1`, {
      cookie,
      origin: "http://evil.example",
    });
    assert.equal(foreign.status, 403);
    const missing = await openSocket(`${base}/api/console/nope`, { cookie, origin });
    assert.equal(missing.status, 404);
    const opened = await openSocket(`${base}/api/console/ports/board1`, { cookie, origin });
    assert.equal(opened.firstMessage, "hello board1");
    const closed = new Promise<number>((resolve) => opened.socket?.once("close", resolve));
    t.server.routes.reset("console");
    assert.equal(await closed, 1012);
  });
});

/** Opens a WebSocket; resolves with the refusal status or the socket and its first message. */
function openSocket(
  url: string,
  headers: Record<string, string>,
): Promise<{ status?: number; socket?: WebSocket; firstMessage?: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once("unexpected-response", (_request, response) =>
      resolve({ status: response.statusCode }),
    );
    socket.once("message", (data) => resolve({ socket, firstMessage: String(data) }));
    socket.once("error", reject);
  });
}
