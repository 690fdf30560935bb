import { spawn, type ChildProcess } from "node:child_process";
import type { SsdpStatus } from "../../../../media/ssdp/index.js";
import { TestNetns } from "../../../support/netns.js";

const here = new URL(".", import.meta.url).pathname;
/** Debian's python, which has python3-gi (not a pyenv one on PATH). */
export const PYTHON = "/usr/bin/python3";
export const UUID = "4d696e69-444c-164e-9d41-b827eb0000aa";
export const UDN = `uuid:${UUID}`;
export const HTTP_PORT = 8200;
export const TYPES = [
  "urn:schemas-upnp-org:device:MediaServer:1",
  "urn:schemas-upnp-org:service:ContentDirectory:1",
  "urn:schemas-upnp-org:service:ConnectionManager:1",
  "urn:microsoft.com:service:X_MS_MediaReceiverRegistrar:1",
];
/** Every NT hearth announces, in the order it sends them. */
export const NOTIFICATION_TYPES = ["upnp:rootdevice", UDN, ...TYPES];
export const usnOf = (nt: string) => (nt === UDN ? UDN : `${UDN}::${nt}`);
export const locationOf = (address: string) =>
  `http://${address}:${HTTP_PORT}/media/upnp/device.xml`;

/**
 * A process inside the namespace that prints one line per event: collects them, waits for
 * conditions with a deadline, closes its stdin to end it, and is killed by kill().
 */
export class LineProcess {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  #stderr = "";
  readonly #exited: Promise<number | null>;

  constructor(netns: TestNetns, command: string, args: readonly string[]) {
    const [cmd, argv] = netns.wrap(command, args);
    this.child = spawn(cmd, argv, { stdio: ["pipe", "pipe", "pipe"] });
    let partial = "";
    this.child.stdout?.on("data", (chunk: Buffer) => {
      const parts = (partial + chunk.toString("utf8")).split("\n");
      partial = parts.pop() ?? "";
      this.lines.push(...parts.filter((l) => l.length > 0));
    });
    this.child.stderr?.on("data", (chunk: Buffer) => (this.#stderr += chunk.toString("utf8")));
    this.#exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** stdout lines parsed as JSON (lines that are not JSON are left out). */
  records<T = Record<string, unknown>>(): T[] {
    return this.lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as T];
      } catch {
        return [];
      }
    });
  }

  /** Waits until `check` returns something other than undefined; throws past the deadline. */
  async until<T>(what: string, check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined) return value;
      if (this.child.exitCode !== null || Date.now() > deadline)
        throw new Error(
          `${what}: not seen (exit ${this.child.exitCode});\nstdout:\n${this.lines.join("\n")}\nstderr:\n${this.#stderr}`,
        );
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  send(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }

  /** Closes stdin and waits for the exit code. */
  async end(): Promise<number | null> {
    this.child.stdin?.end();
    return this.#exited;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
  }
}

interface DriverEvent {
  event: string;
  status: SsdpStatus;
  /** Timers alive in the driver process (timer-census.ts). */
  timers: number;
}

/** The advertiser driver (support/advertiser-driver.ts) inside the namespace. */
export class AdvertiserProcess extends LineProcess {
  static async start(
    netns: TestNetns,
    options: { interfaces?: string[]; listenAddress?: string } = {},
  ): Promise<AdvertiserProcess> {
    const json = JSON.stringify({ uuid: UUID, port: HTTP_PORT, ...options });
    const proc = new AdvertiserProcess(netns, process.execPath, [
      "--import",
      "tsx",
      `${here}advertiser-driver.ts`,
      json,
    ]);
    await proc.#next("started");
    return proc;
  }

  /** Sends `command` and returns the status of the event it answers with. */
  async ask(command: "status" | "refresh" | "stop"): Promise<SsdpStatus> {
    return (await this.#ask(command)).status;
  }

  /** How many timers the advertiser's process holds now. */
  async timers(): Promise<number> {
    return (await this.#ask("status")).timers;
  }

  /** pino lines the advertiser logged. */
  logs(): Array<Record<string, unknown>> {
    return this.stderr
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  async #ask(command: "status" | "refresh" | "stop"): Promise<DriverEvent> {
    const seen = this.records<DriverEvent>().length;
    this.send(command);
    const answer = { status: "status", refresh: "refreshed", stop: "stopped" }[command];
    return this.#next(answer, seen);
  }

  async #next(event: string, after = 0): Promise<DriverEvent> {
    return this.until(`driver event ${event}`, () =>
      this.records<DriverEvent>()
        .slice(after)
        .find((e) => e.event === event),
    );
  }
}

/** A NOTIFY the listener heard, with the interface it arrived on. */
export interface HeardNotify {
  nts: string;
  headers: Record<string, string>;
  raw: string;
  from: string;
  interface: string;
}

/** `ssdp-peer.py listen`: joined on `addresses`, streaming every NOTIFY. */
export async function startListener(netns: TestNetns, addresses: string[]): Promise<LineProcess> {
  const listener = new LineProcess(netns, PYTHON, [
    `${here}ssdp-peer.py`,
    "listen",
    addresses.join(","),
  ]);
  await listener.until("listener ready", () =>
    listener.lines.includes("ready") ? true : undefined,
  );
  return listener;
}

/** An answer to `ssdp-peer.py search`. */
export interface SearchAnswer {
  searched: string;
  status: string;
  headers: Record<string, string>;
  raw: string;
  from: string;
  port: number;
}

/** M-SEARCHes every target at once from `local`, MX 1, and returns what came back in 1.5 s. */
export async function search(
  netns: TestNetns,
  local: string,
  targets: readonly string[],
): Promise<SearchAnswer[]> {
  const peer = new LineProcess(netns, PYTHON, [
    `${here}ssdp-peer.py`,
    "search",
    local,
    "1",
    "1.5",
    ...targets,
  ]);
  const code = await peer.end();
  if (code !== 0) throw new Error(`ssdp-peer.py search failed (${code}): ${peer.stderr}`);
  return JSON.parse(peer.lines.join("\n")) as SearchAnswer[];
}

/** Starts the GUPnP control point (support/gupnp-discover.py) on `device`. */
export async function startGupnp(netns: TestNetns, device: string): Promise<LineProcess> {
  const cp = new LineProcess(netns, PYTHON, [`${here}gupnp-discover.py`, device, UDN, "60"]);
  await cp.until("GUPnP ready", () => (cp.lines.includes("ready") ? true : undefined));
  return cp;
}

/** Runs Net::UPnP::ControlPoint's search for `target` (MX 1); returns the devices it built. */
export async function netUpnpSearch(
  netns: TestNetns,
  target: string,
): Promise<Array<Record<string, unknown>>> {
  const peer = new LineProcess(netns, "perl", [`${here}net-upnp-search.pl`, target, "1"]);
  const code = await peer.end();
  if (code !== 0) throw new Error(`net-upnp-search.pl failed (${code}): ${peer.stderr}`);
  return JSON.parse(peer.lines.join("\n")) as Array<Record<string, unknown>>;
}

/** `ssdp-peer.py garbage`: random and malformed datagrams from `local`; what came back. */
export async function sendGarbage(
  netns: TestNetns,
  local: string,
  seed: number,
): Promise<{ sent: number; answers: number }> {
  const peer = new LineProcess(netns, PYTHON, [`${here}ssdp-peer.py`, "garbage", local, `${seed}`]);
  const code = await peer.end();
  if (code !== 0) throw new Error(`ssdp-peer.py garbage failed (${code}): ${peer.stderr}`);
  return JSON.parse(peer.lines.join("\n")) as { sent: number; answers: number };
}

/** Holds UDP 0.0.0.0:1900 without SO_REUSEADDR, as a server that does not share the port would. */
export async function holdPort1900(netns: TestNetns): Promise<LineProcess> {
  const script =
    "import socket, sys\n" +
    "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n" +
    "s.bind(('0.0.0.0', 1900))\n" +
    "print('held', flush=True)\n" +
    "sys.stdin.read()\n";
  const holder = new LineProcess(netns, PYTHON, ["-c", script]);
  await holder.until("port 1900 held", () => (holder.lines.includes("held") ? true : undefined));
  return holder;
}

/** Skips the suite, saying why, where no network namespace can be made (not root, no iproute2). */
export function skipWithoutNetns(ctx: Mocha.Context): void {
  if (TestNetns.available()) return;
  console.warn(
    "    skipped: these tests need root and `ip netns` (iproute2) for a network namespace",
  );
  ctx.skip();
}
