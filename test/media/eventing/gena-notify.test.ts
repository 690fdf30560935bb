import assert from "node:assert/strict";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import type { LibraryUpdate } from "../../../media/library/index.js";
import { until } from "./callback-server.js";
import { genaRig, propertySetOf, SOURCE_PROTOCOL_INFO, type GenaRig } from "./gena-rig.js";

const update = (
  systemUpdateId: number,
  containers: string[],
  removedContainers: string[] = [],
): LibraryUpdate => ({
  systemUpdateId,
  containers: containers.map((id) => ({ id, updateId: systemUpdateId })),
  removedContainers,
});

/** Subscribes and waits until the initial event has been answered. */
async function subscribed(rig: GenaRig, count = 1): Promise<string> {
  const answer = await rig.subscribe();
  assert.equal(answer.status, 200);
  await rig.subscriber.waitFor(count);
  await rig.settled();
  return String(answer.headers.sid);
}

const seqs = (rig: GenaRig) => rig.subscriber.received.map((n) => n.headers.seq);

describe("GENA NOTIFY", () => {
  let rig: GenaRig;
  beforeEach(async () => {
    rig = await genaRig();
  });
  afterEach(async () => rig.close());

  it("turns a burst of 10 library updates into 2 events: the first at once, the rest merged", async () => {
    const sid = await subscribed(rig);
    for (let i = 1; i <= 10; i++) {
      rig.cds.publish(update(10 + i, ["0", `c${i % 3}`], i === 5 ? ["gone"] : []));
    }
    await rig.subscriber.waitFor(2);
    await rig.settled();
    // Still within the 2 s moderation interval: the rest waits for the flush timer.
    assert.equal(rig.subscriber.received.length, 2);
    rig.timers.advance(2000);
    await rig.subscriber.waitFor(3);
    await rig.settled();
    assert.deepEqual(seqs(rig), ["0", "1", "2"]);
    assert.ok(rig.subscriber.received.every((n) => n.headers.sid === sid));
    const [, first, second] = rig.subscriber.received.map((n) => n.body);
    assert.equal(first, propertySetOf({ SystemUpdateID: "11", ContainerUpdateIDs: "0,11,c1,11" }));
    assert.equal(
      second,
      propertySetOf({ SystemUpdateID: "20", ContainerUpdateIDs: "gone,15,c2,18,c0,19,0,20,c1,20" }),
    );
    // Nothing left to send: only the expiry timer remains.
    assert.equal(rig.timers.pendingCount, 1);
  });

  it("keeps one NOTIFY in flight per subscriber and merges later changes into the next", async () => {
    await subscribed(rig);
    rig.subscriber.isHolding = true;
    rig.cds.publish(update(21, ["x"]));
    await rig.subscriber.waitFor(2);
    rig.timers.advance(2000);
    rig.cds.publish(update(22, ["y"]));
    rig.cds.publish(update(23, ["x"]));
    rig.timers.advance(2000);
    assert.equal(rig.cds.notifiesInFlight, 1);
    rig.subscriber.isHolding = false;
    rig.subscriber.release();
    await rig.settled();
    assert.equal(rig.subscriber.received.length, 2);
    rig.timers.advance(2000);
    await rig.subscriber.waitFor(3);
    assert.deepEqual(seqs(rig), ["0", "1", "2"]);
    assert.equal(
      rig.subscriber.received[2]?.body,
      propertySetOf({ SystemUpdateID: "23", ContainerUpdateIDs: "y,22,x,23" }),
    );
  });

  it("drops a subscriber after 3 failed NOTIFYs in a row, retrying what did not arrive", async () => {
    rig.subscriber.status = 500;
    await subscribed(rig);
    for (const count of [2, 3]) {
      assert.equal(rig.cds.subscriberCount, 1);
      rig.timers.advance(2000);
      await rig.subscriber.waitFor(count);
      await rig.settled();
    }
    assert.equal(rig.cds.subscriberCount, 0);
    assert.equal(rig.timers.pendingCount, 0);
    assert.deepEqual(seqs(rig), ["0", "1", "2"]);
    const initial = propertySetOf({ SystemUpdateID: "7", ContainerUpdateIDs: "" });
    assert.deepEqual(
      rig.subscriber.received.map((n) => n.body),
      [initial, initial, initial],
    );
    const ended = rig.media.logLines.filter((l) => l.msg === "GENA subscription ended");
    assert.deepEqual(
      ended.map((l) => l.reason),
      ["failed"],
    );
  });

  it("forgives a failure when the next NOTIFY arrives", async () => {
    rig.subscriber.status = 503;
    await subscribed(rig);
    rig.subscriber.status = 200;
    rig.cds.publish(update(8, ["0"]));
    rig.timers.advance(2000);
    await rig.subscriber.waitFor(2);
    await rig.settled();
    assert.equal(
      rig.subscriber.received[1]?.body,
      propertySetOf({ SystemUpdateID: "8", ContainerUpdateIDs: "0,8" }),
    );
    rig.subscriber.status = 500;
    for (let i = 0; i < 2; i++) {
      rig.cds.publish(update(9 + i, ["0"]));
      rig.timers.advance(2000);
      await rig.subscriber.waitFor(3 + i);
      await rig.settled();
    }
    // 1 failure, a success, then 2 failures: never 3 in a row.
    assert.equal(rig.cds.subscriberCount, 1);
  });

  it("counts a refused connection as a failure too", async () => {
    const closedPort = await freePort();
    const answer = await rig.subscribe({ CALLBACK: `<http://127.0.0.1:${closedPort}/event>` });
    assert.equal(answer.status, 200);
    const failures = () => rig.media.logLines.filter((l) => l.msg === "GENA NOTIFY failed");
    for (let i = 1; i <= 3; i++) {
      await until(() => failures().length === i, `failure ${i}`);
      rig.timers.advance(2000);
    }
    assert.match(String(failures()[0]?.failure), /ECONNREFUSED/);
    assert.equal(rig.cds.subscriberCount, 0);
    assert.equal(rig.timers.pendingCount, 0);
  });

  it("gives up on a subscriber that does not answer within the NOTIFY timeout", async () => {
    await rig.close();
    rig = await genaRig({ notifyTimeoutMs: 50 });
    rig.subscriber.isHolding = true;
    assert.equal((await rig.subscribe()).status, 200);
    await rig.subscriber.waitFor(1);
    await rig.settled();
    const failed = rig.media.logLines.filter((l) => l.msg === "GENA NOTIFY failed");
    assert.deepEqual(
      failed.map((l) => [l.failure, l.failures]),
      [["no answer within 50 ms", 1]],
    );
  });

  it("does nothing at all for an update nobody subscribed to", () => {
    rig.cds.publish(update(8, ["0"]));
    assert.equal(rig.timers.pendingCount, 0);
    assert.equal(rig.cds.notifiesInFlight, 0);
  });

  it("aborts NOTIFYs in flight on close and keeps no timer", async () => {
    await subscribed(rig);
    rig.subscriber.isHolding = true;
    rig.cds.publish(update(8, ["0"]));
    rig.cds.publish(update(9, ["0"]));
    await rig.subscriber.waitFor(2);
    rig.cds.close();
    await rig.settled();
    assert.equal(rig.timers.pendingCount, 0);
    assert.equal(rig.cds.subscriberCount, 0);
  });

  it("events an unmoderated service's changes at once", async () => {
    const answer = await rig.subscribe({}, "cms");
    await rig.subscriber.waitFor(1);
    assert.equal(
      rig.subscriber.received[0]?.body,
      propertySetOf({
        SourceProtocolInfo: SOURCE_PROTOCOL_INFO,
        SinkProtocolInfo: "",
        CurrentConnectionIDs: "0",
      }),
    );
    await until(() => rig.cms.notifiesInFlight === 0, "the initial event");
    rig.cms.changed({ CurrentConnectionIDs: "0,1" });
    rig.cms.changed({ CurrentConnectionIDs: "0,1,2" });
    await rig.subscriber.waitFor(3);
    assert.deepEqual(
      rig.subscriber.received.map((n) => [n.headers.sid, n.headers.seq]),
      [0, 1, 2].map((seq) => [answer.headers.sid, String(seq)]),
    );
    assert.equal(
      rig.subscriber.received[2]?.body,
      propertySetOf({ CurrentConnectionIDs: "0,1,2" }),
    );
  });
});

/** A loopback port nobody listens on (bound, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
