import assert from "node:assert/strict";
import { request, type IncomingMessage } from "node:http";
import { login, testServer, type TestServer } from "./test-server.js";

describe("GET /api/events (Server-Sent Events, real socket)", () => {
  let t: TestServer;
  let port: number;
  beforeEach(async () => {
    t = await testServer({ eventsRefreshMs: 60_000 });
    port = (await t.server.listen()).port;
  });
  afterEach(async () => t.dispose());

  it("sends the status at once and again when a service changes", async () => {
    const { cookie } = await login(t);
    const stream = await openStream(port, cookie);
    assert.equal(stream.response.headers["content-type"], "text/event-stream; charset=utf-8");
    const first = await stream.nextEvent();
    assert.equal(first.event, "status");
    assert.equal(JSON.parse(first.data).services[0].state, "ok");
    t.status.set("media", { state: "failed", reason: "disk gone" });
    const second = await stream.nextEvent();
    assert.equal(JSON.parse(second.data).services[0].state, "failed");
    stream.close();
  });

  it("listens to the host only while a dashboard is connected", async () => {
    assert.equal(t.status.listenerCount, 0);
    const { cookie } = await login(t);
    const stream = await openStream(port, cookie);
    await stream.nextEvent();
    assert.equal(t.status.listenerCount, 1);
    stream.close();
    await waitFor(() => t.status.listenerCount === 0);
  });

  it("refuses the stream without a login", async () => {
    const stream = await openStream(port, "");
    assert.equal(stream.response.statusCode, 401);
    stream.close();
  });

  it("ends the stream of a session that logged out", async () => {
    const { cookie, csrfToken } = await login(t);
    const stream = await openStream(port, cookie);
    await stream.nextEvent();
    const logout = await t.server.app.inject({
      method: "POST",
      url: "/api/logout",
      headers: { cookie, "x-csrf-token": csrfToken },
    });
    assert.equal(logout.statusCode, 204);
    t.status.set("media", { state: "degraded" });
    await stream.ended;
  });

  it("lets the server close while a stream is open", async () => {
    const { cookie } = await login(t);
    const stream = await openStream(port, cookie);
    await stream.nextEvent();
    await t.server.close();
    await stream.ended;
  });
});

interface Stream {
  response: IncomingMessage;
  nextEvent(): Promise<{ event: string; data: string }>;
  ended: Promise<void>;
  close(): void;
}

function openStream(port: number, cookie: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/api/events", headers: { cookie } });
    req.once("error", reject);
    req.once("response", (response) => {
      let buffer = "";
      const waiting: Array<(e: { event: string; data: string }) => void> = [];
      const events: Array<{ event: string; data: string }> = [];
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined) events.push({ event, data });
        }
        while (events.length > 0 && waiting.length > 0) waiting.shift()!(events.shift()!);
      });
      const ended = new Promise<void>((done) => response.once("close", () => done()));
      resolve({
        response,
        ended,
        nextEvent: () =>
          new Promise((next) => {
            const ready = events.shift();
            if (ready !== undefined) next(ready);
            else waiting.push(next);
          }),
        close: () => req.destroy(),
      });
    });
    req.end();
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
