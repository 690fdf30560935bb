import { readdirSync } from "node:fs";
import { networkInterfaces, type NetworkInterfaceInfo } from "node:os";
import { HearthError } from "../../services/errors.js";

/** One IPv4 address hearth announces itself on. */
export interface LanAddress {
  name: string;
  address: string;
  netmask: string;
}

/** The addresses to announce on, and whether they are the loopback fallback. */
export interface InterfaceChoice {
  addresses: LanAddress[];
  /** No LAN interface qualified: loopback only, so no TV or phone can see hearth. */
  isLoopbackFallback: boolean;
}

/** What chooseInterfaces looks at; the defaults read this machine. */
export interface InterfaceQuery {
  /** `media.interfaces`: exactly these names; undefined = every LAN interface. */
  pinned?: readonly string[] | undefined;
  /** Where the HTTP server listens: a specific address keeps only that address. */
  listenAddress?: string | undefined;
  /** os.networkInterfaces(): libuv lists only interfaces that are up and running. */
  interfaces?: NodeJS.Dict<NetworkInterfaceInfo[]>;
  /** Every interface name the box has, up or down (/sys/class/net). */
  linkNames?: readonly string[];
}

/**
 * Left out by default: Docker's bridges (docker0, br-<id>) and the host ends of container veths,
 * libvirt's virbr/vnet, Kubernetes CNI links and VPN tunnels. No TV sits behind them, and a
 * phone on a VPN would be offered an address it cannot reach. Any of them can still be pinned by
 * name. A veth with another name (a test namespace's) counts as LAN.
 */
export const NOT_LAN =
  /^(docker|br-|veth|virbr|vnet|cni|flannel|cali|vxlan|tun|tap|wg|zt|tailscale)/;

/** `media.interfaces` names an interface this box does not have. */
export class UnknownInterfaceError extends HearthError {
  /** The configured names that do not exist. */
  readonly unknown: readonly string[];

  constructor(unknown: readonly string[], present: readonly string[]) {
    const names = unknown.map((n) => `"${n}"`).join(", ");
    super(
      "E_CONFIG",
      `media.interfaces names ${names}, which this box does not have; it has ${present.join(", ") || "no interfaces"}`,
      {
        fix: "Correct media.interfaces in the config file (names as `ip link` shows them), or remove it to announce on every LAN interface.",
      },
    );
    this.unknown = unknown;
  }
}

/**
 * The IPv4 addresses to announce on: every up, non-loopback interface not matching NOT_LAN, or
 * exactly the pinned ones (loopback too, if pinned). When none qualifies, loopback with
 * `isLoopbackFallback` set, so the caller can say that LAN clients cannot see the server.
 * A pinned name that exists but has no IPv4 address yet (Wi-Fi not associated, DHCP pending) is
 * not an error: it is simply not used until it has one.
 * @throws UnknownInterfaceError when a pinned name is not an interface of this box.
 */
export function chooseInterfaces(query: InterfaceQuery = {}): InterfaceChoice {
  const interfaces = query.interfaces ?? networkInterfaces();
  const { pinned } = query;
  if (pinned !== undefined) {
    const present = [...new Set([...(query.linkNames ?? linkNames()), ...Object.keys(interfaces)])];
    const unknown = pinned.filter((name) => !present.includes(name));
    if (unknown.length > 0) throw new UnknownInterfaceError(unknown, present.sort());
  }
  const all = ipv4Addresses(interfaces);
  const listening = (a: { address: string }) =>
    isWildcard(query.listenAddress) || a.address === query.listenAddress;
  const chosen = all.filter(
    (a) =>
      listening(a) &&
      (pinned !== undefined ? pinned.includes(a.name) : !a.internal && !NOT_LAN.test(a.name)),
  );
  if (chosen.length > 0) return { addresses: chosen.map(strip), isLoopbackFallback: false };
  const loopback = all.filter((a) => a.internal && listening(a));
  return { addresses: loopback.map(strip), isLoopbackFallback: true };
}

/** True when `address` (IPv4) is on the subnet of `lan`. */
export function onSubnet(address: string, lan: LanAddress): boolean {
  const a = ipv4(address);
  const b = ipv4(lan.address);
  const mask = ipv4(lan.netmask);
  return a !== undefined && b !== undefined && mask !== undefined && (a & mask) === (b & mask);
}

type Ipv4Info = LanAddress & { internal: boolean };

function ipv4Addresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): Ipv4Info[] {
  const all: Ipv4Info[] = [];
  for (const [name, infos] of Object.entries(interfaces)) {
    for (const info of infos ?? []) {
      if (info.family !== "IPv4") continue;
      all.push({ name, address: info.address, netmask: info.netmask, internal: info.internal });
    }
  }
  return all;
}

function strip({ name, address, netmask }: Ipv4Info): LanAddress {
  return { name, address, netmask };
}

function isWildcard(address: string | undefined): boolean {
  return address === undefined || address === "0.0.0.0" || address === "::" || address === "";
}

function linkNames(): string[] {
  try {
    return readdirSync("/sys/class/net");
  } catch {
    // Not Linux, or no sysfs: the names os.networkInterfaces() lists are all we know.
    return [];
  }
}

function ipv4(text: string): number | undefined {
  const parts = text.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    return undefined;
  return (((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!) | 0;
}
