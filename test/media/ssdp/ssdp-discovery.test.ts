import assert from "node:assert/strict";
import { TestNetns, type TestLan } from "../../support/netns.js";
import {
  AdvertiserProcess,
  locationOf,
  netUpnpSearch,
  NOTIFICATION_TYPES,
  search,
  startGupnp,
  skipWithoutNetns,
  startListener,
  TYPES,
  UDN,
  usnOf,
  type HeardNotify,
  type LineProcess,
} from "./support/ssdp-peers.js";

const SERVER = "Linux/6.1 UPnP/1.0 hearth/0.0.0-test";
const RFC1123 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/;

const alive = (nt: string, address: string) =>
  `NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nNT: ${nt}\r\nNTS: ssdp:alive\r\n` +
  `USN: ${usnOf(nt)}\r\nCACHE-CONTROL: max-age=1800\r\nSERVER: ${SERVER}\r\n` +
  `LOCATION: ${locationOf(address)}\r\n\r\n`;
const byebye = (nt: string) =>
  `NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nNT: ${nt}\r\nNTS: ssdp:byebye\r\n` +
  `USN: ${usnOf(nt)}\r\n\r\n`;
const answer = (st: string, date: string, address: string) =>
  `HTTP/1.1 200 OK\r\nST: ${st}\r\nUSN: ${usnOf(st)}\r\nCACHE-CONTROL: max-age=1800\r\n` +
  `DATE: ${date}\r\nSERVER: ${SERVER}\r\nEXT: \r\nLOCATION: ${locationOf(address)}\r\n\r\n`;

// A namespace with two LANs (10.233.150.1 on ht150a, 10.233.151.1 on ht151a), the advertiser in
// it on both, and real control points: GUPnP 1.6, Net::UPnP and plain sockets. Nothing leaves.
describe("SsdpAdvertiser seen by real control points on two LANs", function () {
  this.timeout(60_000);
  const netns = new TestNetns(150);
  let lans: readonly TestLan[];
  let listener: LineProcess;
  let advertiser: AdvertiserProcess;
  const heard = (nts: string) =>
    listener.records<HeardNotify>().filter((n) => n.nts === nts && n.headers.USN?.startsWith(UDN));

  before(async function () {
    skipWithoutNetns(this); // CI runs as root, and this machine has `ip netns`
    netns.create();
    netns.addLan(151);
    lans = netns.lans;
    listener = await startListener(
      netns,
      lans.map((l) => l.address),
    );
    advertiser = await AdvertiserProcess.start(netns);
  });
  after(() => {
    advertiser?.kill();
    listener?.kill();
    netns.destroy();
  });

  it("starts announcing on both LANs", async () => {
    const status = await advertiser.ask("status");
    assert.equal(status.state, "announcing");
    assert.deepEqual(status.interfaces, [
      { name: "ht150a", address: "10.233.150.1" },
      { name: "ht151a", address: "10.233.151.1" },
    ]);
    assert.match(status.lastAliveAt ?? "", /^\d{4}-\d\d-\d\dT/);
  });

  it("sends ssdp:alive for every type on each LAN, repeated, with that LAN's LOCATION", async () => {
    // The first set and its repeat: 2 × 6 types × 2 LANs.
    await listener.until("two alive sets", () =>
      heard("ssdp:alive").length >= 24 ? true : undefined,
    );
    const alives = heard("ssdp:alive");
    for (const lan of lans) {
      const onLan = alives.filter((n) => n.interface === lan.device);
      for (const nt of NOTIFICATION_TYPES) {
        const mine = onLan.filter((n) => n.headers.NT === nt);
        assert.ok(mine.length >= 2, `${nt} on ${lan.device}: ${mine.length} alive`);
        for (const n of mine) assert.equal(n.raw, alive(nt, lan.address));
      }
    }
    assert.deepEqual(
      alives.filter((n) => !lans.some((l) => l.device === n.interface)),
      [],
      "alive only on the two LANs",
    );
  });

  it("holds one timer once the start repeats are sent (the periodic alive)", async () => {
    // Three sets: the first and its repeats at +1 s and +3 s, 6 types × 2 LANs each.
    await listener.until("three alive sets", () =>
      heard("ssdp:alive").length >= 36 ? true : undefined,
    );
    // Asked again while the third set is still being handed to the kernel, between timers.
    let timers = await advertiser.timers();
    for (let tries = 0; timers !== 1 && tries < 20; tries++) timers = await advertiser.timers();
    assert.equal(timers, 1);
  });

  for (const [index, subnet] of [150, 151].entries()) {
    it(`answers M-SEARCH for each target from LAN ${index + 1} with its own LOCATION`, async () => {
      const local = `10.233.${subnet}.1`;
      const targets = ["ssdp:all", "upnp:rootdevice", UDN, ...TYPES, "urn:nobody:device:Toaster:1"];
      const answers = await search(netns, local, targets);
      const got = answers.map((a) => `${a.searched} → ${a.headers.ST}`).sort();
      const expected = [
        ...NOTIFICATION_TYPES.map((nt) => `ssdp:all → ${nt}`),
        ...NOTIFICATION_TYPES.map((nt) => `${nt} → ${nt}`),
      ].sort();
      assert.deepEqual(got, expected);
      for (const a of answers) {
        assert.match(a.headers.DATE ?? "", RFC1123);
        assert.equal(a.raw, answer(a.headers.ST ?? "", a.headers.DATE ?? "", local));
        assert.equal(a.port, 1900);
      }
    });
  }

  it("is found by GUPnP's ControlPoint on each LAN, with that LAN's LOCATION", async () => {
    for (const lan of lans) {
      const cp = await startGupnp(netns, lan.device);
      try {
        const device = await cp.until("GUPnP device", () =>
          cp.records().find((r) => r.event === "device" && r.udn === UDN),
        );
        assert.deepEqual(device, {
          event: "device",
          udn: UDN,
          deviceType: "urn:schemas-upnp-org:device:MediaServer:1",
          location: locationOf(lan.address),
          friendlyName: "hearth test library",
          services: [TYPES[3], TYPES[2], TYPES[1]],
        });
        const resources = cp.records().filter((r) => r.event === "resource");
        for (const r of resources) assert.deepEqual(r.locations, [locationOf(lan.address)]);
      } finally {
        cp.kill();
      }
    }
  });

  it("is found by Net::UPnP::ControlPoint (perl)", async () => {
    const devices = await netUpnpSearch(netns, "upnp:rootdevice");
    assert.deepEqual(devices, [
      {
        udn: UDN,
        deviceType: "urn:schemas-upnp-org:device:MediaServer:1",
        friendlyName: "hearth test library",
        location: locationOf("10.233.150.1"), // Net::UPnP's socket follows the 239/8 route: LAN 1
        services: [TYPES[3], TYPES[2], TYPES[1]],
      },
    ]);
  });

  it("says byebye for every type on each LAN when stopped, and GUPnP drops the device", async () => {
    const cp = await startGupnp(netns, lans[1]!.device);
    try {
      await cp.until("GUPnP device", () => cp.records().find((r) => r.event === "device"));
      const status = await advertiser.ask("stop");
      assert.deepEqual(status, { state: "stopped", interfaces: [], lastAliveAt: null });
      await listener.until("byebye", () => (heard("ssdp:byebye").length >= 12 ? true : undefined));
      await cp.until("GUPnP device-gone", () =>
        cp.records().find((r) => r.event === "device-gone" && r.udn === UDN),
      );
    } finally {
      cp.kill();
    }
    assert.equal(await advertiser.end(), 0);
    const byes = heard("ssdp:byebye");
    assert.equal(byes.length, 12, "one byebye per type and LAN, and none from the second stop()");
    for (const lan of lans) {
      const onLan = byes.filter((n) => n.interface === lan.device);
      assert.deepEqual(
        onLan.map((n) => n.raw),
        NOTIFICATION_TYPES.map(byebye),
      );
    }
  });
});
