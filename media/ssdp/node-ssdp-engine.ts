import type { RemoteInfo } from "node:dgram";
import ssdp from "node-ssdp";
import type { Logger } from "pino";

/** The parts of node-ssdp 4.0.1's Server this file drives (unchanged upstream since 2021). */
interface NodeSsdpInternals {
  sockets: object | null;
  _usns: Record<string, string>;
  _parseMessage(msg: Buffer, rinfo: RemoteInfo): void;
  _msearch(headers: Record<string, string>, msg: string, rinfo: RemoteInfo): void;
  _respondToSearch(searchTarget: string, rinfo: RemoteInfo): void;
  _send(message: SsdpHeader, host?: unknown, port?: unknown, cb?: unknown): void;
  advertise(alive?: boolean): void;
}
interface SsdpHeader {
  _headers: Record<string, string>;
  isOverrideLocationOnSend(): boolean;
  toBuffer(extra?: Record<string, string>): Buffer;
}

export interface NodeSsdpEngineOptions {
  /** "uuid:…". */
  udn: string;
  /** Notification types after upnp:rootdevice and the UDN: the device type, then each service. */
  types: readonly string[];
  serverName: string;
  maxAgeSeconds: number;
  /** The addresses announcements go out on. */
  addresses(): readonly string[];
  /** Our address on the searcher's subnet, or undefined when the search is not from our LANs. */
  routeFor(peer: string): string | undefined;
  location(localAddress: string): string;
  multicast(localAddress: string, buf: Buffer): Promise<void>;
  reply(buf: Buffer, host: string, port: number): void;
  log: Logger;
}

/** Pending answers at most; past this a search flood is dropped, not queued. */
const MAX_PENDING = 32;
/** UDA 1.1 §1.3.3: an MX above 5 counts as 5. */
const MAX_MX_SECONDS = 5;

/**
 * SSDP messages by node-ssdp, sockets by the caller. node-ssdp builds the NOTIFY and the search
 * answers (NT/ST/USN per type, ssdp:all, quoting, headers) and parses requests; this class
 * replaces the parts of it that are wrong for a multi-homed box or crash-prone:
 * - `_send` goes to the caller: multicast through each interface with its own LOCATION, and an
 *   answer only through the interface on the searcher's subnet with that address (node-ssdp
 *   answers through every socket, each with its own address);
 * - `advertise` carries our max-age (node-ssdp hard-codes max-age=1800 in NOTIFY);
 * - M-SEARCH: MX is honoured (answer after a random delay below it, UDA 1.0 §1.2.3; node-ssdp
 *   answers at once), a repeat of a pending search is merged, a flood is capped, and a bad MX
 *   or source port drops the search;
 * - anything thrown while a datagram is read is caught and logged once per sender.
 * Only M-SEARCH reaches node-ssdp's parser: other devices' NOTIFY chatter costs no parsing.
 */
export class NodeSsdpEngine {
  readonly #o: NodeSsdpEngineOptions;
  readonly #s: NodeSsdpInternals;
  readonly #pending = new Map<string, NodeJS.Timeout>();
  readonly #complainedAbout = new Set<string>();
  #sends: Array<Promise<void>> = [];

  constructor(options: NodeSsdpEngineOptions) {
    this.#o = options;
    const server = new ssdp.Server({
      udn: options.udn,
      ssdpSig: options.serverName,
      ttl: options.maxAgeSeconds,
      // An object LOCATION makes node-ssdp mark each message "fill LOCATION in per interface".
      location: { protocol: "http://", port: 0, path: "" },
      customLogger: () => undefined,
    } as ssdp.ServerOptions);
    const s = server as unknown as NodeSsdpInternals;
    // What start() would add, in UDA order (root device, UDN, types); start() is never called:
    // it would open node-ssdp's own sockets and timers.
    server.addUSN("upnp:rootdevice");
    s._usns[options.udn] = options.udn;
    for (const type of options.types) server.addUSN(type);
    // advertise() returns early unless node-ssdp holds sockets; ours live elsewhere.
    s.sockets = {};
    s._send = (message, host, port) => this.#send(message, host, port);
    s._msearch = (headers, _msg, rinfo) => this.#search(headers, rinfo);
    this.#s = s;
  }

  /** Reads one datagram that reached UDP 1900. Never throws. */
  handle(msg: Buffer, rinfo: RemoteInfo): void {
    if (!isMSearch(msg)) return;
    try {
      this.#s._parseMessage(msg, rinfo);
    } catch (err) {
      this.#complain(rinfo.address, err);
    }
  }

  /** Sends ssdp:alive (or byebye) for every notification type; resolves once handed to the kernel. */
  async announce(alive: boolean): Promise<void> {
    this.#sends = [];
    this.#s.advertise(alive);
    const sends = this.#sends;
    this.#sends = [];
    await Promise.all(sends);
  }

  /** Drops the answers still waiting for their MX delay. */
  cancelPending(): void {
    for (const timer of this.#pending.values()) clearTimeout(timer);
    this.#pending.clear();
  }

  #send(message: SsdpHeader, host: unknown, port: unknown): void {
    if (typeof host === "function") {
      for (const address of this.#o.addresses()) {
        this.#sends.push(this.#o.multicast(address, this.#render(message, address)));
      }
      return;
    }
    const local = this.#o.routeFor(String(host));
    if (local === undefined) return;
    this.#o.reply(this.#render(message, local), String(host), Number(port));
  }

  #render(message: SsdpHeader, localAddress: string): Buffer {
    const extra: Record<string, string> = {};
    if (message.isOverrideLocationOnSend()) extra.LOCATION = this.#o.location(localAddress);
    if (message._headers["CACHE-CONTROL"] !== undefined)
      extra["CACHE-CONTROL"] = `max-age=${this.#o.maxAgeSeconds}`;
    return message.toBuffer(extra);
  }

  #search(headers: Record<string, string>, rinfo: RemoteInfo): void {
    const target = headers.ST?.trim();
    const mx = parseMx(headers.MX);
    if (!isDiscover(headers.MAN) || !target || mx === undefined) return;
    if (!Number.isInteger(rinfo.port) || rinfo.port < 1 || rinfo.port > 65535) return;
    if (this.#o.routeFor(rinfo.address) === undefined) return;
    const key = `${rinfo.address}:${rinfo.port} ${target}`;
    if (this.#pending.has(key)) return;
    if (this.#pending.size >= MAX_PENDING) return this.#complain(rinfo.address, "search flood");
    // Land before the searcher stops listening at MX: leave it 200 ms.
    const delayMs = Math.random() * Math.max(0, Math.min(mx, MAX_MX_SECONDS) * 1000 - 200);
    const timer = setTimeout(() => {
      this.#pending.delete(key);
      try {
        this.#s._respondToSearch(target, rinfo);
      } catch (err) {
        this.#complain(rinfo.address, err);
      }
    }, delayMs);
    timer.unref();
    this.#pending.set(key, timer);
  }

  #complain(from: string, err: unknown): void {
    if (this.#complainedAbout.has(from)) {
      this.#o.log.debug({ err, from }, "SSDP: dropped another unreadable datagram");
      return;
    }
    if (this.#complainedAbout.size < 256) this.#complainedAbout.add(from);
    this.#o.log.warn({ err, from }, "SSDP: dropped a datagram that could not be read");
  }
}

function isMSearch(msg: Buffer): boolean {
  return msg.length > 9 && msg.subarray(0, 9).toString("latin1").toUpperCase() === "M-SEARCH ";
}

/** MAN must be "ssdp:discover"; some control points leave out the quotes UDA asks for. */
function isDiscover(man: string | undefined): boolean {
  return (
    man !== undefined &&
    man
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .toLowerCase() === "ssdp:discover"
  );
}

/** MX as whole seconds ≥ 0, or undefined (UDA: a search without a valid MX is ignored). */
function parseMx(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d{1,6}\s*$/.test(value)) return undefined;
  return Number(value);
}
