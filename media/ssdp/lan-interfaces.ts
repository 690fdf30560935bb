import { networkInterfaces, type NetworkInterfaceInfo } from "node:os";

/** One IPv4 address hearth announces itself on. */
export interface LanAddress {
  name: string;
  address: string;
  netmask: string;
}

/**
 * Interfaces left out by default: container and VM bridges, their veth ends, VPN tunnels. A
 * TV is never behind them, and announcing there makes phones on a VPN see an unreachable server.
 * `media.interfaces` in the config pins interfaces by name, these included.
 */
const NOT_LAN = /^(docker|br-|veth|virbr|cni|flannel|cali|vxlan|tun|tap|wg|zt|tailscale)/;

/** Thrown when the config names an interface this box does not have. */
export class UnknownInterfaceError extends Error {
  constructor(names: readonly string[], present: readonly string[]) {
    super(
      `no network interface named ${names.map((n) => `"${n}"`).join(", ")}; this box has ${present.join(", ") || "none"}`,
    );
    this.name = "UnknownInterfaceError";
  }
}

/**
 * The IPv4 addresses to announce on: every up, non-loopback, LAN-looking interface, or exactly
 * the `pinned` ones (an unknown name throws UnknownInterfaceError, naming the ones that exist).
 * `listenAddress` is where the HTTP server listens: a specific address keeps only its interface.
 */
export function lanAddresses(
  pinned: readonly string[] | undefined,
  listenAddress: string,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): LanAddress[] {
  const all: LanAddress[] = [];
  for (const [name, infos] of Object.entries(interfaces)) {
    for (const info of infos ?? []) {
      if (info.family !== "IPv4" || info.internal) continue;
      all.push({ name, address: info.address, netmask: info.netmask });
    }
  }
  if (pinned !== undefined) {
    const missing = pinned.filter((name) => !all.some((a) => a.name === name));
    if (missing.length > 0) throw new UnknownInterfaceError(missing, Object.keys(interfaces));
  }
  return all.filter((a) => {
    if (pinned !== undefined ? !pinned.includes(a.name) : NOT_LAN.test(a.name)) return false;
    return isWildcard(listenAddress) || a.address === listenAddress;
  });
}

function isWildcard(address: string): boolean {
  return address === "0.0.0.0" || address === "::" || address === "";
}

/** True when `address` (IPv4) is on the subnet of `lan`. */
export function onSubnet(address: string, lan: LanAddress): boolean {
  const a = ipv4(address);
  const b = ipv4(lan.address);
  const mask = ipv4(lan.netmask);
  return a !== undefined && b !== undefined && mask !== undefined && (a & mask) === (b & mask);
}

function ipv4(text: string): number | undefined {
  const parts = text.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    return undefined;
  return (((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!) | 0;
}
