import assert from "node:assert/strict";
import { TestNetns } from "../../support/netns.js";
import {
  AdvertiserProcess,
  holdPort1900,
  locationOf,
  NOTIFICATION_TYPES,
  search,
  sendGarbage,
  skipWithoutNetns,
  startListener,
  UDN,
  type HeardNotify,
} from "./support/ssdp-peers.js";

const warnings = (advertiser: AdvertiserProcess) =>
  advertiser.logs().filter((l) => (l.level as number) >= 40);

describe("SsdpAdvertiser under garbage on UDP 1900", function () {
  this.timeout(60_000);
  const netns = new TestNetns(160);
  let advertiser: AdvertiserProcess | undefined;

  before(async function () {
    skipWithoutNetns(this);
    netns.create();
    advertiser = await AdvertiserProcess.start(netns);
  });
  after(() => {
    advertiser?.kill();
    netns.destroy();
  });

  it("survives random bytes, malformed M-SEARCHes and source port 0, answering none of them", async () => {
    const result = await sendGarbage(netns, netns.address, 5);
    assert.deepEqual(result, { sent: 538, answers: 0 });
    assert.equal((await advertiser!.ask("status")).state, "announcing");
    const answers = await search(netns, netns.address, ["upnp:rootdevice"]);
    assert.deepEqual(
      answers.map((a) => [a.headers.USN, a.headers.LOCATION]),
      [[`${UDN}::upnp:rootdevice`, locationOf(netns.address)]],
    );
    assert.deepEqual(warnings(advertiser!), []);
  });
});

describe("SsdpAdvertiser interface choice", function () {
  this.timeout(60_000);
  const netns = new TestNetns(170);
  let advertiser: AdvertiserProcess | undefined;

  before(function () {
    skipWithoutNetns(this);
    netns.create();
    netns.addLan(171);
  });
  afterEach(() => advertiser?.kill());
  after(() => netns.destroy());

  it("announces only on a pinned interface and ignores searches from the others", async () => {
    advertiser = await AdvertiserProcess.start(netns, { interfaces: ["ht171a"] });
    const status = await advertiser.ask("status");
    assert.equal(status.state, "announcing");
    assert.deepEqual(status.interfaces, [{ name: "ht171a", address: "10.233.171.1" }]);
    assert.deepEqual(await search(netns, "10.233.170.1", ["upnp:rootdevice"]), []);
    const answers = await search(netns, "10.233.171.1", ["upnp:rootdevice"]);
    assert.deepEqual(
      answers.map((a) => a.headers.LOCATION),
      [locationOf("10.233.171.1")],
    );
  });

  it("reports a pinned name the box does not have, listing the ones it has", async () => {
    advertiser = await AdvertiserProcess.start(netns, { interfaces: ["ht171a", "eth9"] });
    const status = await advertiser.ask("status");
    assert.deepEqual(status, {
      state: "failed",
      interfaces: [],
      lastAliveAt: null,
      reason:
        'media.interfaces names "eth9", which this box does not have; it has ht170a, ht170b, ht171a, ht171b, lo',
      fix: "Correct media.interfaces in the config file (names as `ip link` shows them), or remove it to announce on every LAN interface.",
    });
    assert.deepEqual(await search(netns, "10.233.171.1", ["ssdp:all"]), []);
  });

  it("reports UDP 1900 held by a program that does not share it, and recovers on refresh", async () => {
    const holder = await holdPort1900(netns);
    try {
      advertiser = await AdvertiserProcess.start(netns);
      const status = await advertiser.ask("status");
      assert.equal(status.state, "failed");
      assert.equal(
        status.reason,
        "UDP port 1900 (SSDP) is held by another program that does not share it",
      );
      assert.match(status.fix ?? "", /^Stop the other UPnP\/DLNA server on this box/);
    } finally {
      await holder.end();
    }
    const status = await advertiser.ask("refresh");
    assert.equal(status.state, "announcing");
    assert.equal((await search(netns, "10.233.170.1", ["upnp:rootdevice"])).length, 1);
  });
});

describe("SsdpAdvertiser on a box whose LAN comes up late", function () {
  this.timeout(60_000);
  const netns = new TestNetns(180);
  let advertiser: AdvertiserProcess | undefined;

  before(async function () {
    skipWithoutNetns(this);
    netns.create({ lan: false });
    advertiser = await AdvertiserProcess.start(netns);
  });
  after(() => {
    advertiser?.kill();
    netns.destroy();
  });

  it("falls back to loopback, says so, and answers there with a loopback LOCATION", async () => {
    const status = await advertiser!.ask("status");
    assert.equal(status.state, "no-lan");
    assert.deepEqual(status.interfaces, [{ name: "lo", address: "127.0.0.1" }]);
    assert.match(status.reason ?? "", /^no LAN interface is up: SSDP runs on loopback only/);
    const warning = advertiser!.logs().find((l) => l.level === 40);
    assert.equal(warning?.msg, `SSDP: ${status.reason}`);
    const answers = await search(netns, "127.0.0.1", ["upnp:rootdevice"]);
    assert.deepEqual(
      answers.map((a) => a.headers.LOCATION),
      [locationOf("127.0.0.1")],
    );
  });

  it("announces on a LAN that appears, once refresh() is called", async () => {
    const lan = netns.addLan(181);
    const listener = await startListener(netns, [lan.address]);
    try {
      const status = await advertiser!.ask("refresh");
      assert.equal(status.state, "announcing");
      assert.deepEqual(status.interfaces, [{ name: "ht181a", address: "10.233.181.1" }]);
      const alives = () =>
        listener
          .records<HeardNotify>()
          .filter((n) => n.nts === "ssdp:alive" && n.interface === "ht181a");
      await listener.until("alive on the new LAN", () =>
        alives().length >= NOTIFICATION_TYPES.length ? true : undefined,
      );
      for (const n of alives()) assert.equal(n.headers.LOCATION, locationOf(lan.address));
    } finally {
      listener.kill();
    }
    const answers = await search(netns, lan.address, ["upnp:rootdevice"]);
    assert.deepEqual(
      answers.map((a) => a.headers.LOCATION),
      [locationOf(lan.address)],
    );
  });
});
