import { execFileSync } from "node:child_process";

/** One LAN inside a TestNetns: a veth pair whose two ends both stay inside. */
export interface TestLan {
  /** The end that has the address, e.g. "ht91a". */
  device: string;
  /** e.g. "10.233.91.1" (a /24). */
  address: string;
}

/**
 * A network namespace for tests that multicast (SSDP): loopback plus LANs, each a veth pair whose
 * two ends both stay inside, one address on one end, and a multicast route through the first
 * LAN. Nothing sent inside can leave the machine (shared/notes/media.md, "Network isolation").
 * Every peer in the namespace shares its addresses, so a datagram a peer multicasts reaches the
 * others through the looped-back copy of the interface it was sent on. Needs root and iproute2;
 * `available()` says whether this machine can make one. Name unique per test process.
 */
export class TestNetns {
  readonly name: string;
  /** The first LAN's device and address (the one `create()` makes). */
  readonly device: string;
  readonly address: string;
  readonly #subnet: number;
  readonly #lans: TestLan[] = [];

  constructor(subnet: number) {
    this.name = `hearth-t${process.pid % 10000}-${subnet}`;
    this.#subnet = subnet;
    this.device = `ht${subnet}a`;
    this.address = `10.233.${subnet}.1`;
  }

  static available(): boolean {
    if (process.getuid?.() !== 0) return false;
    try {
      execFileSync("ip", ["netns", "list"], { stdio: "pipe" });
      return true;
    } catch {
      return false;
    }
  }

  /** Makes the namespace with loopback up and, unless `lan: false`, the first LAN. */
  create(options: { lan?: boolean } = {}): void {
    this.destroy();
    this.#ip("netns", "add", this.name);
    this.#ip("-n", this.name, "link", "set", "lo", "up");
    if (options.lan !== false) this.addLan(this.#subnet);
  }

  /** Adds a LAN 10.233.<subnet>.1/24; the first one also gets the route for 239.0.0.0/8. */
  addLan(subnet: number): TestLan {
    const lan = { device: `ht${subnet}a`, address: `10.233.${subnet}.1` };
    const peer = `ht${subnet}b`;
    this.#ip("-n", this.name, "link", "add", lan.device, "type", "veth", "peer", "name", peer);
    this.#ip("-n", this.name, "addr", "add", `${lan.address}/24`, "dev", lan.device);
    this.#ip("-n", this.name, "link", "set", lan.device, "up");
    this.#ip("-n", this.name, "link", "set", peer, "up");
    if (this.#lans.length === 0)
      this.#ip("-n", this.name, "route", "add", "239.0.0.0/8", "dev", lan.device);
    this.#lans.push(lan);
    return lan;
  }

  /** The LANs made so far, first one first. */
  get lans(): readonly TestLan[] {
    return this.#lans;
  }

  /** argv that runs `command` inside the namespace. */
  wrap(command: string, args: readonly string[]): [string, string[]] {
    return ["ip", ["netns", "exec", this.name, command, ...args]];
  }

  /** Kills what still runs inside and removes the namespace; safe to call twice. */
  destroy(): void {
    this.#lans.length = 0;
    try {
      const pids = execFileSync("ip", ["netns", "pids", this.name], { stdio: "pipe" }).toString();
      for (const pid of pids.split("\n").filter(Boolean)) process.kill(Number(pid), "SIGKILL");
      execFileSync("ip", ["netns", "del", this.name], { stdio: "pipe" });
    } catch {
      // Not there: nothing to clean.
    }
  }

  #ip(...args: string[]): void {
    execFileSync("ip", args, { stdio: "pipe" });
  }
}
