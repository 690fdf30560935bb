import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventHub } from "../../../services/host/event-bus.js";
import { Host, type ServiceEntry } from "../../../services/host/host.js";
import { backoffDelayMs, DEFAULT_BACKOFF } from "../../../services/host/backoff.js";
import { lazyService } from "../../../services/host/lazy-service.js";
import {
  ScriptedService,
  memoryCatalog,
  recordingRoutes,
  silentLog,
  waitFor,
} from "./test-services.js";

const fastBackoff = { initialMs: 10, maxMs: 40, resetAfterMs: 60_000 };

describe("Host", () => {
  let dataDir: string;
  let host: Host | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), "hearth-host-"));
  });
  afterEach(async () => {
    await host?.stop(1_000);
    host = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  function makeHost(entries: ServiceEntry[], startTimeoutMs = 2_000) {
    const routes = recordingRoutes();
    host = new Host(
      {
        log: silentLog,
        catalog: memoryCatalog(),
        hub: new EventHub(silentLog),
        routes,
        dataDir,
        version: "test",
        configFile: null,
        backoff: fastBackoff,
        startTimeoutMs,
        onFatal: (err) => assert.fail(`unexpected fatal: ${err.message}`),
      },
      entries,
    );
    return { host, routes };
  }
  const entry = (service: ScriptedService, off?: ServiceEntry["off"]): ServiceEntry => ({
    service,
    title: service.name,
    config: {},
    ...(off ? { off } : {}),
  });
  const stateOf = async (h: Host, name: string) =>
    (await h.status()).services.find((s) => s.name === name);

  it("starts services in order and reports them ok", async () => {
    const order: string[] = [];
    const a = new ScriptedService("a");
    const b = new ScriptedService("b");
    const origA = a.start.bind(a);
    const origB = b.start.bind(b);
    a.start = async (ctx) => (order.push("a"), origA(ctx));
    b.start = async (ctx) => (order.push("b"), origB(ctx));
    const { host } = makeHost([entry(a), entry(b)]);
    await host.start();
    assert.deepEqual(order, ["a", "b"]);
    const status = await host.status();
    assert.deepEqual(
      status.services.map((s) => [s.name, s.state]),
      [
        ["a", "ok"],
        ["b", "ok"],
      ],
    );
    assert.equal(status.overall, "ok");
  });

  it("restarts a service whose start fails while the others keep running", async () => {
    const flaky = new ScriptedService("flaky", { startFailures: 2 });
    const steady = new ScriptedService("steady");
    const { host } = makeHost([entry(flaky), entry(steady)]);
    await host.start();
    const failed = await stateOf(host, "flaky");
    assert.equal(failed?.state, "failed");
    assert.equal(failed?.reason, "flaky cannot open its port");
    assert.ok(failed?.nextRestartAt, "a restart is scheduled");
    assert.equal((await stateOf(host, "steady"))?.state, "ok");

    await waitFor(async () => (await stateOf(host, "flaky"))?.restarts === 2);
    await waitFor(async () => (await stateOf(host, "flaky"))?.state === "degraded");
    const recovered = await stateOf(host, "flaky");
    assert.equal(recovered?.reason, "restarted after a failure: flaky cannot open its port");
    assert.deepEqual(steady.events, ["start"], "the steady service was never touched");
  });

  it("stops and restarts a service that reports a fault, leaving the others alone", async () => {
    const faulty = new ScriptedService("faulty");
    const steady = new ScriptedService("steady");
    const { host, routes } = makeHost([entry(faulty), entry(steady)]);
    await host.start();
    faulty.ctx?.fail(new Error("lost its socket"));
    await waitFor(() => faulty.events.length === 3);
    assert.deepEqual(faulty.events, ["start", "stop", "start"]);
    assert.ok(routes.resets.includes("faulty"), "its routes were dropped on stop");
    assert.deepEqual(steady.events, ["start"]);
    await waitFor(async () => (await stateOf(host, "faulty"))?.state === "degraded");
  });

  it("gives a start that hangs a timeout and retries it", async () => {
    const hanging = new ScriptedService("hanging");
    let calls = 0;
    hanging.start = () => (calls++ === 0 ? new Promise<void>(() => {}) : Promise.resolve());
    const { host } = makeHost([entry(hanging)], 50);
    await host.start();
    const status = await stateOf(host, "hanging");
    assert.equal(status?.state, "failed");
    assert.match(status?.reason ?? "", /did not finish starting in 50 ms/);
    await waitFor(async () => (await stateOf(host, "hanging"))?.state !== "failed");
  });

  it("imports a lazy service's module on its first start only, and never for an off one", async () => {
    const loads: string[] = [];
    const made = new Map<string, ScriptedService>();
    const lazy = (name: string, loadedName = name) =>
      lazyService(name, async () => {
        loads.push(name);
        const service = new ScriptedService(loadedName);
        made.set(name, service);
        return service;
      });
    const on = lazy("on");
    const misnamed = lazy("media", "pbx");
    const { host } = makeHost([
      { service: on, title: "on", config: {} },
      { service: lazy("off"), title: "off", config: {}, off: { reason: "turned off" } },
      { service: misnamed, title: "misnamed", config: {} },
    ]);
    assert.deepEqual(loads, [], "nothing is imported before the host starts");
    await host.start();
    assert.equal((await stateOf(host, "on"))?.state, "ok");
    assert.equal((await stateOf(host, "off"))?.state, "off");
    const wrong = await stateOf(host, "media");
    assert.equal(wrong?.state, "failed");
    assert.match(wrong?.reason ?? "", /loaded a service named "pbx"/);
    await host.stop(1_000);
    const ctx = made.get("on")?.ctx;
    assert.ok(ctx);
    await on.start(ctx);
    assert.deepEqual(made.get("on")?.events, ["start", "stop", "start"]);
    // Loaded once each, the restart included; the off service never.
    assert.deepEqual(loads, ["on", "media"]);
  });

  it("shows what health() says and keeps off services off", async () => {
    const svc = new ScriptedService("svc");
    const unbuilt = new ScriptedService("unbuilt");
    const { host } = makeHost([entry(svc), entry(unbuilt, { reason: "not part of this build" })]);
    await host.start();
    svc.healthState = { state: "degraded", reason: "disk nearly full", fix: "free some space" };
    const status = await host.status();
    assert.deepEqual(
      status.services.map((s) => [s.name, s.state, s.reason]),
      [
        ["svc", "degraded", "disk nearly full"],
        ["unbuilt", "off", "not part of this build"],
      ],
    );
    assert.deepEqual(unbuilt.events, [], "an off service is never started");
    assert.equal(status.overall, "degraded");
  });

  it("stops every service within the deadline even when one hangs", async () => {
    const stuck = new ScriptedService("stuck");
    stuck.stopHangs = true;
    const other = new ScriptedService("other");
    const { host: h } = makeHost([entry(other), entry(stuck)]);
    host = undefined;
    await h.start();
    const started = Date.now();
    await h.stop(200);
    assert.ok(Date.now() - started < 2_000, "stop honoured its deadline");
    assert.deepEqual(other.events, ["start", "stop"]);
    assert.equal(
      (await h.status()).services.every((s) => s.state === "stopped"),
      true,
    );
  });

  it("caps the restart delay", () => {
    assert.deepEqual(
      [1, 2, 3, 7, 8, 20].map((n) => backoffDelayMs(DEFAULT_BACKOFF, n)),
      [1_000, 2_000, 4_000, 60_000, 60_000, 60_000],
    );
  });
});
