import { execFileSync } from "node:child_process";

/**
 * A network namespace for tests that multicast (SSDP): loopback plus a veth pair whose two ends
 * both stay inside, one LAN address on `device`, and a multicast route through it. Nothing sent
 * inside can leave the machine (shared/notes/media.md, "Network isolation"). Needs root and
 * iproute2; `available()` says whether this machine can make one.
 */
export class TestNetns {
  readonly name: string;
  readonly device: string;
  readonly address: string;

  constructor(subnet: number) {
    this.name = `hearth-t${process.pid % 10000}-${subnet}`;
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

  create(): void {
    this.destroy();
    const ip = (...args: string[]) => execFileSync("ip", args, { stdio: "pipe" });
    const peer = this.device.replace(/a$/, "b");
    ip("netns", "add", this.name);
    ip("-n", this.name, "link", "set", "lo", "up");
    ip("-n", this.name, "link", "add", this.device, "type", "veth", "peer", "name", peer);
    ip("-n", this.name, "addr", "add", `${this.address}/24`, "dev", this.device);
    ip("-n", this.name, "link", "set", this.device, "up");
    ip("-n", this.name, "link", "set", peer, "up");
    ip("-n", this.name, "route", "add", "239.0.0.0/8", "dev", this.device);
  }

  /** argv that runs `command` inside the namespace. */
  wrap(command: string, args: readonly string[]): [string, string[]] {
    return ["ip", ["netns", "exec", this.name, command, ...args]];
  }

  /** Kills what still runs inside and removes the namespace; safe to call twice. */
  destroy(): void {
    try {
      const pids = execFileSync("ip", ["netns", "pids", this.name], { stdio: "pipe" }).toString();
      for (const pid of pids.split("\n").filter(Boolean)) process.kill(Number(pid), "SIGKILL");
      execFileSync("ip", ["netns", "del", this.name], { stdio: "pipe" });
    } catch {
      // Not there: nothing to clean.
    }
  }
}
