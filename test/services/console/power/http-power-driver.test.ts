import assert from "node:assert/strict";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { HearthError } from "../../../../services/errors.js";
import {
  HttpPowerDriver,
  describeUrl,
} from "../../../../services/console/power/http-power-driver.js";
import type { HttpPowerConfig } from "../../../../services/console/power/power-driver.js";
import { waitFor } from "../../host/test-services.js";

/** A smart plug on 127.0.0.1 with Shelly-style URLs; /broken answers 503, /hang never answers. */
describe("HttpPowerDriver", () => {
  const never = new AbortController().signal;
  let server: Server;
  let base: string;
  let requests: string[];
  let relay: "on" | "off";
  let config: HttpPowerConfig;

  before(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      if (req.url === "/relay/0?turn=on" || req.url === "/relay/0?turn=off") {
        relay = req.url.endsWith("on") ? "on" : "off";
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ ison: relay === "on" }));
      } else if (req.url === "/broken") {
        res.statusCode = 503;
        res.end("relay   board\nnot ready");
      } else if (req.url !== "/hang") {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    requests = [];
    relay = "on";
    config = {
      driver: "http",
      on: `${base}/relay/0?turn=on`,
      off: `${base}/relay/0?turn=off`,
      cycleSeconds: 0.2,
    };
  });

  it("switches the plug off and on with a GET of each URL", async () => {
    const driver = new HttpPowerDriver(config);
    await driver.run("off", never);
    assert.equal(relay, "off");
    await driver.run("on", never);
    assert.equal(relay, "on");
    assert.deepEqual(requests, ["GET /relay/0?turn=off", "GET /relay/0?turn=on"]);
  });

  it("cycles with off, a wait, then on", async () => {
    await new HttpPowerDriver(config).run("cycle", never);
    assert.deepEqual(requests, ["GET /relay/0?turn=off", "GET /relay/0?turn=on"]);
    assert.equal(relay, "on");
  });

  it("fails on an answer that is not 2xx, quoting status and body", async () => {
    const driver = new HttpPowerDriver({ ...config, off: `${base}/broken` });
    await assert.rejects(driver.run("off", never), (err: unknown) => {
      assert.ok(err instanceof HearthError);
      assert.equal(err.code, "E_PEER_DOWN");
      assert.equal(
        err.message,
        `http power driver: GET ${base}/broken answered 503 Service Unavailable: relay board not ready`,
      );
      assert.match(err.fix ?? "", /curl/);
      return true;
    });
  });

  it("does not switch on after a failed off in a cycle", async () => {
    const driver = new HttpPowerDriver({ ...config, off: `${base}/broken` });
    await assert.rejects(driver.run("cycle", never), /answered 503/);
    assert.deepEqual(requests, ["GET /broken"]);
  });

  it("names the network error when nothing listens", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const on = `http://127.0.0.1:${port}/relay/0?turn=on`;
    const driver = new HttpPowerDriver({ ...config, on });
    await assert.rejects(driver.run("on", never), {
      message: `http power driver: GET ${on} failed: ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:${port})`,
    });
  });

  it("gives up on a plug that does not answer within the timeout", async () => {
    const driver = new HttpPowerDriver({ ...config, on: `${base}/hang` }, { timeoutMs: 300 });
    await assert.rejects(driver.run("on", never), /GET .*\/hang failed: no answer within 300 ms/);
  });

  it("still switches the plug on when a cycle is aborted during its wait", async () => {
    const driver = new HttpPowerDriver({ ...config, cycleSeconds: 30 });
    const abort = new AbortController();
    const cycle = driver.run("cycle", abort.signal);
    await waitFor(() => relay === "off");
    abort.abort(new Error("hearth is stopping"));
    await assert.rejects(cycle);
    assert.equal(relay, "on");
  });

  it("masks credentials in the URLs it reports", () => {
    assert.equal(
      describeUrl("http://admin:joker@10.0.0.5/cm?user=admin&password=joker&cmnd=Power%20Off"),
      "http://***@10.0.0.5/cm?user=***&password=***&cmnd=Power+Off",
    );
    assert.equal(
      describeUrl("http://10.0.0.6/relay/0?turn=off"),
      "http://10.0.0.6/relay/0?turn=off",
    );
  });
});
