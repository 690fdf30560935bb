import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { createVoicemailSource, type VoicemailSource } from "../../../pbx/voicemail/index.js";
import { freePort } from "../../support/hearth-process.js";

const log = pino({ level: "silent" });

async function waitFor(
  what: string,
  check: () => boolean,
  describe: () => unknown,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`${what}; last seen: ${JSON.stringify(describe())}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe("http voicemail source (real http server on 127.0.0.1)", function () {
  this.timeout(60_000);
  let server: Server;
  let baseUrl: string;
  let handler: Handler;
  const seenAuth: Array<string | undefined> = [];
  const sources: VoicemailSource[] = [];

  before(async () => {
    server = createServer((req, res) => {
      seenAuth.push(req.headers.authorization);
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  afterEach(async () => {
    for (const s of sources.splice(0)) await s.stop();
    seenAuth.length = 0;
  });

  function source(
    url: string,
    extra: { token?: string; timeoutMs?: number; maxBodyBytes?: number } = {},
  ) {
    const s = createVoicemailSource(
      "provider",
      { source: "http", url, intervalMinutes: 5, token: extra.token },
      {
        log,
        intervalMs: 100,
        retryInitialMs: 50,
        http: {
          ...(extra.timeoutMs ? { timeoutMs: extra.timeoutMs } : {}),
          ...(extra.maxBodyBytes ? { maxBodyBytes: extra.maxBodyBytes } : {}),
        },
      },
    );
    sources.push(s);
    return s;
  }
  const describeSource = (s: VoicemailSource) => () => ({ state: s.state(), health: s.health() });
  const answer =
    (status: number, body: string, type = "application/json"): Handler =>
    (_req, res) => {
      res.writeHead(status, { "content-type": type });
      res.end(body);
    };

  it("reads JSON and a bare count, sending the bearer token", async () => {
    handler = answer(200, '{"new":2,"old":7}');
    const s = source(`${baseUrl}/mwi?key=abc`, { token: "t0ken" });
    await s.start();
    await waitFor("2/7", () => s.state()?.old === 7, describeSource(s));
    assert.deepEqual(s.state(), { new: 2, old: 7 });
    assert.equal(seenAuth[0], "Bearer t0ken");
    assert.equal(s.health().details?.url, `${baseUrl}/mwi`, "the query string is not shown");
    handler = answer(200, "4\n", "text/plain");
    await waitFor("4/0", () => s.state()?.new === 4 && s.state()?.old === 0, describeSource(s));
  });

  it("sends no Authorization header without a token", async () => {
    handler = answer(200, "1");
    const s = source(`${baseUrl}/open`);
    await s.start();
    await waitFor("1", () => s.state()?.new === 1, describeSource(s));
    assert.equal(seenAuth[0], undefined);
  });

  it("keeps the last count while the URL fails and recovers after", async () => {
    handler = answer(200, "3");
    const s = source(`${baseUrl}/flaky`);
    await s.start();
    await waitFor("3", () => s.state()?.new === 3, describeSource(s));
    handler = answer(500, "oops", "text/plain");
    await waitFor("degraded", () => /HTTP 500/.test(s.health().reason ?? ""), describeSource(s));
    assert.deepEqual(s.state(), { new: 3, old: 0 });
    handler = answer(200, '{"new":0}');
    await waitFor(
      "back to 0",
      () => s.state()?.new === 0 && s.health().state === "ok",
      describeSource(s),
    );
  });

  for (const [what, make, reason] of [
    ["a 401 (bad token)", () => answer(401, "no"), /HTTP 401/],
    ["an HTML page", () => answer(200, "<html>login</html>", "text/html"), /expected a count/],
    ["JSON of the wrong shape", () => answer(200, '{"new":"three"}'), /expected a count/],
    ["a count too large", () => answer(200, "99999999999"), /expected a count/],
    ["an empty body", () => answer(200, ""), /nothing/],
    [
      "a redirect (the token must not follow it)",
      (): Handler => (_req, res) => {
        res.writeHead(302, { location: "http://127.0.0.1:1/elsewhere" });
        res.end();
      },
      /redirected \(HTTP 302\)/,
    ],
    [
      "a body larger than the limit",
      (): Handler => (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(" ".repeat(200_000) + "1");
      },
      /more than 65536 bytes/,
    ],
    [
      "a connection cut mid-answer",
      (): Handler => (_req, res) => {
        res.writeHead(200, { "content-length": "100" });
        res.write("1");
        res.socket?.destroy();
      },
      /could not be fetched/,
    ],
  ] as const) {
    it(`is degraded, not crashed, on ${what}`, async () => {
      handler = make();
      const s = source(`${baseUrl}/x`, { token: "secret" });
      await s.start();
      await waitFor("degraded", () => reason.test(s.health().reason ?? ""), describeSource(s));
      assert.equal(s.health().state, "degraded");
      assert.equal(s.state(), undefined);
    });
  }

  it("gives up on a server that never answers", async () => {
    handler = () => undefined; // holds the request open
    const s = source(`${baseUrl}/slow`, { timeoutMs: 300 });
    await s.start();
    await waitFor(
      "timed out",
      () => /no answer within/.test(s.health().reason ?? ""),
      describeSource(s),
    );
  });

  it("is degraded when nothing listens", async () => {
    const port = await freePort();
    const s = source(`http://127.0.0.1:${port}/`);
    await s.start();
    await waitFor("refused", () => /ECONNREFUSED/.test(s.health().reason ?? ""), describeSource(s));
  });
});
