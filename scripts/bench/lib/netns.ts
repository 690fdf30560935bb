import { execFileSync } from "node:child_process";

/**
 * A network namespace with loopback and a veth pair whose two ends both stay inside: peers that
 * insist on a LAN interface and SSDP multicast (MiniDLNA, Gerbera) get one, and nothing they send
 * can leave the machine (shared/notes/media.md, "Network isolation").
 */
export class BenchNetns {
  readonly name: string;
  /** The address the peer can bind, e.g. 10.233.80.1. */
  readonly address: string;
  readonly device: string;

  /**
   * Creates the namespace (removing a stale one of that name first). `{ create: false }` only
   * describes one that exists, for a process already running inside it.
   */
  constructor(name: string, subnet: number, options: { create?: boolean } = {}) {
    this.name = name;
    this.address = `10.233.${subnet}.1`;
    this.device = `${name.slice(0, 8)}0`;
    if (options.create === false) return;
    const peer = `${name.slice(0, 8)}1`;
    this.destroy();
    const ip = (...args: string[]) => execFileSync("ip", args, { stdio: "pipe" });
    ip("netns", "add", name);
    ip("-n", name, "link", "set", "lo", "up");
    ip("-n", name, "link", "add", this.device, "type", "veth", "peer", "name", peer);
    ip("-n", name, "addr", "add", `${this.address}/24`, "dev", this.device);
    ip("-n", name, "link", "set", this.device, "up");
    ip("-n", name, "link", "set", peer, "up");
    ip("-n", name, "route", "add", "239.0.0.0/8", "dev", this.device);
    // libupnp (Gerbera) also binds IPv6 and fails with -203 while the new link-local address is
    // still tentative (duplicate address detection, ~2 s).
    execFileSync("sleep", ["3"]);
  }

  /** argv that runs `command` inside the namespace. */
  wrap(command: string, args: readonly string[]): [string, string[]] {
    return ["ip", ["netns", "exec", this.name, command, ...args]];
  }

  /** Kills what still runs inside and removes the namespace. */
  destroy(): void {
    try {
      const pids = execFileSync("ip", ["netns", "pids", this.name], { stdio: "pipe" }).toString();
      for (const pid of pids.split("\n").filter(Boolean)) process.kill(Number(pid), "SIGKILL");
      execFileSync("ip", ["netns", "del", this.name], { stdio: "pipe" });
    } catch {
      // Not there (first use) or already gone: nothing to clean.
    }
  }
}
