import assert from "node:assert/strict";
import type { NetworkInterfaceInfo } from "node:os";
import { chooseInterfaces, onSubnet, UnknownInterfaceError } from "../../../media/ssdp/index.js";

const v4 = (
  address: string,
  internal = false,
  netmask = "255.255.255.0",
): NetworkInterfaceInfo => ({
  address,
  netmask,
  family: "IPv4",
  mac: "00:00:00:00:00:00",
  internal,
  cidr: null,
});
const v6: NetworkInterfaceInfo = {
  address: "fe80::1",
  netmask: "ffff:ffff:ffff:ffff::",
  family: "IPv6",
  mac: "00:00:00:00:00:00",
  internal: false,
  cidr: null,
  scopeid: 2,
};
// A box as os.networkInterfaces() shows it: loopback, wired and Wi-Fi LANs, Docker, a VPN.
const box = {
  lo: [v4("127.0.0.1", true, "255.0.0.0")],
  eth0: [v4("192.168.1.20"), v6, v4("192.168.7.20")],
  wlan0: [v4("10.0.0.5")],
  docker0: [v4("172.17.0.1", false, "255.255.0.0")],
  "br-3f2a9c": [v4("172.18.0.1", false, "255.255.0.0")],
  veth12ab: [v6],
  wg0: [v4("10.8.0.2", false, "255.255.255.255")],
  ht150a: [v4("10.233.150.1")],
};
const linkNames = [...Object.keys(box), "eth1"]; // eth1: present, down (no address listed)

describe("chooseInterfaces", () => {
  it("takes every LAN IPv4 address by default, leaving out loopback, Docker and VPN links", () => {
    assert.deepEqual(chooseInterfaces({ interfaces: box, linkNames }), {
      addresses: [
        { name: "eth0", address: "192.168.1.20", netmask: "255.255.255.0" },
        { name: "eth0", address: "192.168.7.20", netmask: "255.255.255.0" },
        { name: "wlan0", address: "10.0.0.5", netmask: "255.255.255.0" },
        { name: "ht150a", address: "10.233.150.1", netmask: "255.255.255.0" },
      ],
      isLoopbackFallback: false,
    });
  });

  it("takes exactly the pinned interfaces, Docker's too when named", () => {
    const choice = chooseInterfaces({ pinned: ["wlan0", "docker0"], interfaces: box, linkNames });
    assert.deepEqual(
      choice.addresses.map((a) => `${a.name} ${a.address}`),
      ["wlan0 10.0.0.5", "docker0 172.17.0.1"],
    );
  });

  it("keeps only the address the HTTP server listens on", () => {
    const choice = chooseInterfaces({ listenAddress: "10.0.0.5", interfaces: box, linkNames });
    assert.deepEqual(
      choice.addresses.map((a) => a.address),
      ["10.0.0.5"],
    );
  });

  it("throws for a pinned name the box does not have, naming it and listing the ones it has", () => {
    assert.throws(
      () => chooseInterfaces({ pinned: ["eth0", "eth9", "wlan1"], interfaces: box, linkNames }),
      (err: unknown) => {
        assert.ok(err instanceof UnknownInterfaceError);
        assert.equal(err.code, "E_CONFIG");
        assert.deepEqual(err.unknown, ["eth9", "wlan1"]);
        assert.equal(
          err.message,
          'media.interfaces names "eth9", "wlan1", which this box does not have; it has ' +
            "br-3f2a9c, docker0, eth0, eth1, ht150a, lo, veth12ab, wg0, wlan0",
        );
        return true;
      },
    );
  });

  it("falls back to loopback when no LAN interface has an address", () => {
    const offline = { lo: box.lo, docker0: box.docker0, veth12ab: box.veth12ab };
    assert.deepEqual(chooseInterfaces({ interfaces: offline, linkNames }), {
      addresses: [{ name: "lo", address: "127.0.0.1", netmask: "255.0.0.0" }],
      isLoopbackFallback: true,
    });
  });

  it("falls back to loopback when a pinned interface exists but has no address yet", () => {
    const choice = chooseInterfaces({ pinned: ["eth1"], interfaces: box, linkNames });
    assert.deepEqual(choice, {
      addresses: [{ name: "lo", address: "127.0.0.1", netmask: "255.0.0.0" }],
      isLoopbackFallback: true,
    });
  });

  it("has nothing at all when the HTTP server listens on a LAN address that is gone", () => {
    const choice = chooseInterfaces({ listenAddress: "10.0.0.99", interfaces: box, linkNames });
    assert.deepEqual(choice, { addresses: [], isLoopbackFallback: true });
  });
});

describe("onSubnet", () => {
  const lan = { name: "eth0", address: "192.168.1.20", netmask: "255.255.255.0" };

  it("matches addresses of the interface's subnet only", () => {
    assert.equal(onSubnet("192.168.1.20", lan), true);
    assert.equal(onSubnet("192.168.1.254", lan), true);
    assert.equal(onSubnet("192.168.2.1", lan), false);
    assert.equal(onSubnet("127.0.0.1", lan), false);
  });

  it("never matches something that is not an IPv4 address", () => {
    for (const bad of ["", "::1", "192.168.1", "192.168.1.300", "a.b.c.d", "192.168.1.20.1"])
      assert.equal(onSubnet(bad, lan), false, bad);
  });
});
