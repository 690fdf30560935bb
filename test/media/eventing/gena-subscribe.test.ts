import assert from "node:assert/strict";
import { gena } from "./gena-client.js";
import { genaRig, propertySetOf, SERVER_HEADER, type GenaRig } from "./gena-rig.js";

const SID = /^uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("GENA SUBSCRIBE and UNSUBSCRIBE over hearth's HTTP server", () => {
  let rig: GenaRig;
  beforeEach(async () => {
    rig = await genaRig();
  });
  afterEach(async () => rig.close());

  it("grants a subscription with SID, TIMEOUT, SERVER and an empty body", async () => {
    const answer = await rig.subscribe({ TIMEOUT: "Second-300" });
    assert.equal(answer.status, 200);
    assert.deepEqual(Object.keys(answer.headers).sort(), [
      "connection",
      "content-length",
      "date",
      "server",
      "sid",
      "timeout",
    ]);
    assert.match(String(answer.headers.sid), SID);
    assert.equal(answer.headers.timeout, "Second-300");
    assert.equal(answer.headers.server, SERVER_HEADER);
    assert.equal(answer.headers["content-length"], "0");
    assert.equal(answer.body, "");
    assert.equal(rig.cds.subscriberCount, 1);
  });

  it("sends the initial event (SEQ 0, every evented variable) after the answer", async () => {
    const answer = await rig.subscribe();
    await rig.subscriber.waitFor(1);
    const [notify] = rig.subscriber.received;
    assert.equal(notify?.method, "NOTIFY");
    assert.equal(notify.url, "/event");
    const body = propertySetOf({ SystemUpdateID: "7", ContainerUpdateIDs: "" });
    assert.equal(notify.body, body);
    assert.deepEqual(notify.headerNames, [
      "HOST",
      "CONTENT-TYPE",
      "NT",
      "NTS",
      "SID",
      "SEQ",
      "CONTENT-LENGTH",
      "CONNECTION",
    ]);
    assert.deepEqual(notify.headers, {
      host: `127.0.0.1:${rig.subscriber.port}`,
      "content-type": 'text/xml; charset="utf-8"',
      nt: "upnp:event",
      nts: "upnp:propchange",
      sid: answer.headers.sid,
      seq: "0",
      "content-length": String(Buffer.byteLength(body)),
      connection: "close",
    });
  });

  it("grants 60…3600 s: infinite is 3600, too short is 60, absent or unreadable is 1800", async () => {
    const granted = async (timeout?: string) =>
      (await rig.subscribe(timeout === undefined ? {} : { TIMEOUT: timeout })).headers.timeout;
    assert.equal(await granted("Second-infinite"), "Second-3600");
    assert.equal(await granted("second-99999999"), "Second-3600");
    assert.equal(await granted("Second-5"), "Second-60");
    assert.equal(await granted("Second-1000"), "Second-1000");
    assert.equal(await granted(undefined), "Second-1800");
    assert.equal(await granted("Minute-3"), "Second-1800");
  });

  it("answers 412 to a missing or wrong NT and a CALLBACK without a usable http URL", async () => {
    const callback = `<${rig.subscriber.url()}>`;
    const statuses = [
      await gena(rig.eventUrl(), "SUBSCRIBE", { CALLBACK: callback }),
      await gena(rig.eventUrl(), "SUBSCRIBE", { NT: "upnp:propchange", CALLBACK: callback }),
      await gena(rig.eventUrl(), "SUBSCRIBE", { NT: "upnp:event" }),
      await rig.subscribe({ CALLBACK: rig.subscriber.url() }),
      await rig.subscribe({ CALLBACK: `<https://127.0.0.1:${rig.subscriber.port}/event>` }),
      await rig.subscribe({ CALLBACK: "<http://127.0.0.1:99999/event>" }),
      await rig.subscribe({ CALLBACK: `<http://u:p@127.0.0.1:${rig.subscriber.port}/>` }),
      await rig.subscribe({ CALLBACK: `<${rig.subscriber.url(`/${"a".repeat(500)}`)}>` }),
    ].map((answer) => [answer.status, answer.body]);
    assert.deepEqual(statuses, Array(8).fill([412, ""]));
    assert.equal(rig.cds.subscriberCount, 0);
    assert.deepEqual(rig.subscriber.received, []);
  });

  it("answers 400 to SID together with NT or CALLBACK", async () => {
    const sid = String((await rig.subscribe()).headers.sid);
    const callback = `<${rig.subscriber.url()}>`;
    const statuses = [
      await gena(rig.eventUrl(), "SUBSCRIBE", { SID: sid, NT: "upnp:event" }),
      await gena(rig.eventUrl(), "SUBSCRIBE", { SID: sid, CALLBACK: callback }),
      await gena(rig.eventUrl(), "UNSUBSCRIBE", { SID: sid, NT: "upnp:event" }),
    ].map((answer) => answer.status);
    assert.deepEqual(statuses, [400, 400, 400]);
    assert.equal(rig.cds.subscriberCount, 1);
  });

  it("refuses a CALLBACK on another host with 412 and says so once at debug", async () => {
    // 192.0.2.0/24 is TEST-NET-1: refused before any packet could be sent.
    const first = await rig.subscribe({ CALLBACK: "<http://192.0.2.1:8080/steal>" });
    const second = await rig.subscribe({ CALLBACK: "<http://192.0.2.7/x>" });
    const byName = await rig.subscribe({ CALLBACK: `<http://localhost:${rig.subscriber.port}/>` });
    assert.deepEqual([first.status, second.status, byName.status], [412, 412, 412]);
    const lines = rig.media.logLines.filter((line) => String(line.msg).includes("another host"));
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.level, "debug");
    assert.equal(lines[0]?.client, "127.0.0.1");
    assert.equal(rig.cds.subscriberCount, 0);
  });

  it("uses the first callback URL on the subscriber's own address", async () => {
    const callback = `<http://192.0.2.1/a><ftp://127.0.0.1/b><${rig.subscriber.url("/c")}><${rig.subscriber.url("/d")}>`;
    assert.equal((await rig.subscribe({ CALLBACK: callback })).status, 200);
    await rig.subscriber.waitFor(1);
    assert.equal(rig.subscriber.received[0]?.url, "/c");
  });

  it("renews with a new TIMEOUT and the same SID; an unknown SID gets 412", async () => {
    const sid = String((await rig.subscribe({ TIMEOUT: "Second-100" })).headers.sid);
    const renewed = await gena(rig.eventUrl(), "SUBSCRIBE", { SID: sid, TIMEOUT: "Second-200" });
    assert.equal(renewed.status, 200);
    assert.equal(renewed.headers.sid, sid);
    assert.equal(renewed.headers.timeout, "Second-200");
    assert.equal(renewed.headers.server, SERVER_HEADER);
    const unknown = `uuid:00000000-0000-4000-8000-000000000000`;
    assert.equal((await gena(rig.eventUrl(), "SUBSCRIBE", { SID: unknown })).status, 412);
    // The renewal moved the expiry: 100 s after subscribing it is still there.
    rig.timers.advance(150_000);
    assert.equal(rig.cds.subscriberCount, 1);
    rig.timers.advance(50_000);
    assert.equal(rig.cds.subscriberCount, 0);
  });

  it("unsubscribes once; then the SID is unknown and nothing is sent or scheduled", async () => {
    const sid = String((await rig.subscribe()).headers.sid);
    await rig.subscriber.waitFor(1);
    await rig.settled();
    const answer = await gena(rig.eventUrl(), "UNSUBSCRIBE", { SID: sid });
    assert.deepEqual([answer.status, answer.body, answer.headers.sid], [200, "", undefined]);
    assert.equal((await gena(rig.eventUrl(), "UNSUBSCRIBE", { SID: sid })).status, 412);
    assert.equal((await gena(rig.eventUrl(), "UNSUBSCRIBE", {})).status, 412);
    rig.cds.publish({
      systemUpdateId: 8,
      containers: [{ id: "0", updateId: 8 }],
      removedContainers: [],
    });
    assert.equal(rig.cds.notifiesInFlight, 0);
    assert.equal(rig.timers.pendingCount, 0);
    assert.equal(rig.subscriber.received.length, 1);
  });

  it("drops a subscription that was not renewed in time, with its timer", async () => {
    const sid = String((await rig.subscribe({ TIMEOUT: "Second-60" })).headers.sid);
    await rig.subscriber.waitFor(1);
    await rig.settled();
    assert.equal(rig.timers.pendingCount, 1);
    rig.timers.advance(59_999);
    assert.equal(rig.cds.subscriberCount, 1);
    rig.timers.advance(1);
    assert.equal(rig.cds.subscriberCount, 0);
    assert.equal(rig.timers.pendingCount, 0);
    assert.equal((await gena(rig.eventUrl(), "SUBSCRIBE", { SID: sid })).status, 412);
  });

  it("serves each publisher at its own URL with its own variables", async () => {
    const cds = await rig.subscribe();
    const cms = await rig.subscribe({}, "cms");
    assert.deepEqual([cds.status, cms.status], [200, 200]);
    assert.equal(rig.cms.subscriberCount, 1);
    assert.equal(
      (await gena(rig.eventUrl(), "UNSUBSCRIBE", { SID: String(cms.headers.sid) })).status,
      412,
    );
    assert.equal((await gena(rig.eventUrl("msr"), "UNSUBSCRIBE", { SID: "uuid:x" })).status, 404);
  });
});

describe("GENA subscription caps", () => {
  let rig: GenaRig;
  afterEach(async () => rig.close());

  it("answers 503 when the publisher is full", async () => {
    rig = await genaRig({ maxSubscriptions: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await rig.subscribe()).status);
    assert.deepEqual(statuses, [200, 200, 503]);
    assert.equal(rig.cds.subscriberCount, 2);
  });

  it("lets an address past its own cap lose its oldest subscription", async () => {
    rig = await genaRig({ maxPerAddress: 2 });
    const sids = [];
    for (let i = 0; i < 3; i++) sids.push(String((await rig.subscribe()).headers.sid));
    assert.equal(rig.cds.subscriberCount, 2);
    const renew = (sid: string) => gena(rig.eventUrl(), "SUBSCRIBE", { SID: sid });
    assert.deepEqual(
      [
        (await renew(sids[0] ?? "")).status,
        (await renew(sids[1] ?? "")).status,
        (await renew(sids[2] ?? "")).status,
      ],
      [412, 200, 200],
    );
  });

  it("answers 503 after close, and keeps no timer", async () => {
    rig = await genaRig();
    await rig.subscribe();
    rig.cds.close();
    assert.equal((await rig.subscribe()).status, 503);
    assert.equal(rig.timers.pendingCount, 0);
  });
});
