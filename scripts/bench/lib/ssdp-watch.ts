import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

/** The first NOTIFY ssdp:alive seen on the interface: its capture time (ms since the epoch). */
export interface SsdpAlive {
  at: number;
}

/** A capture of SSDP traffic on one interface, started before a server is. */
export interface SsdpWatch {
  /** The first ssdp:alive (undefined if none within the timeout). */
  first: Promise<SsdpAlive | undefined>;
  close(): void;
}

/**
 * Captures UDP to port 1900 leaving `device` (tcpdump, inside the benchmark's namespace) and
 * resolves `first` with the capture time of the first NOTIFY ssdp:alive, or undefined after
 * `timeoutMs`. A capture rather than a group member: MiniDLNA turns IP_MULTICAST_LOOP off, so a
 * socket on the same host never hears it. Resolves once tcpdump is listening.
 */
export async function watchSsdpAlive(device: string, timeoutMs: number): Promise<SsdpWatch> {
  const args = ["-i", device, "-l", "-n", "-tt", "-A", "-s", "0", "udp dst port 1900"];
  const tcpdump = spawn("tcpdump", args, { stdio: ["ignore", "pipe", "pipe"] });
  const close = () => {
    if (tcpdump.exitCode === null) tcpdump.kill("SIGTERM");
  };
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: tcpdump.stderr });
    lines.on("line", (line) => line.startsWith("listening on") && resolve());
    tcpdump.once("error", reject);
    tcpdump.once("exit", (code) => reject(new Error(`tcpdump exited with ${code}`)));
  });
  const first = new Promise<SsdpAlive | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    let packetAt = 0;
    createInterface({ input: tcpdump.stdout }).on("line", (line) => {
      // "1700000000.123456 IP 10.233.91.1.38123 > 239.255.255.250.1900: UDP, length 300"
      const stamp = /^(\d+\.\d+) IP /.exec(line)?.[1];
      if (stamp !== undefined) packetAt = Number(stamp) * 1000;
      else if (/NTS:\s*ssdp:alive/i.test(line) && packetAt > 0) {
        clearTimeout(timer);
        resolve({ at: packetAt });
      }
    });
    tcpdump.once("exit", () => resolve(undefined));
  }).finally(close);
  return { first, close };
}
