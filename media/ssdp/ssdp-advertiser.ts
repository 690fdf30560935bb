import ssdp from "node-ssdp";
import type { Logger } from "pino";
import { onSubnet, type LanAddress } from "./lan-interfaces.js";
import { guardNodeSsdp } from "./node-ssdp-guard.js";

export interface SsdpAdvertiserOptions {
  /** The device UUID, without "uuid:". */
  uuid: string;
  /** The HTTP port the description is served on. */
  port: number;
  /** "/media/upnp/device.xml". */
  descriptionPath: string;
  /** Device and service types to announce (upnp:rootdevice and the uuid are added). */
  types: readonly string[];
  /** SERVER header: "Linux/<release> UPnP/1.0 hearth/<version>". */
  serverHeader: string;
  /** Where to announce: evaluated at start and when interfaces are re-checked. */
  addresses: () => LanAddress[];
  log: Logger;
  /** CACHE-CONTROL max-age; alive goes out every max-age/2. Default 1800 s. */
  maxAgeSeconds?: number;
  /** How often the interface list is compared with the one in use. Default 60 s. */
  recheckMs?: number;
}

/** What the dashboard shows. */
export interface SsdpStatus {
  state: "announcing" | "no-lan" | "failed" | "stopped";
  interfaces: Array<{ name: string; address: string }>;
  lastAliveAt: string | null;
  reason?: string;
}

const SSDP_GROUP = "239.255.255.250";

/**
 * Makes the MediaServer discoverable (SSDP, UDA 1.0 §1) with node-ssdp: ssdp:alive on start (three
 * times, UDP gets lost) and every max-age/2, byebye on stop, and answers to M-SEARCH. An answer
 * leaves through the interface on the searcher's subnet with that interface's address in
 * LOCATION; node-ssdp alone answers through every interface. Interfaces are re-checked once a
 * minute (cheap: no I/O), so a box whose Wi-Fi or DHCP comes up late is announced when it does.
 */
export class SsdpAdvertiser {
  readonly #o: SsdpAdvertiserOptions;
  #server: ssdp.Server | undefined;
  #inUse: LanAddress[] = [];
  #status: SsdpStatus = { state: "stopped", interfaces: [], lastAliveAt: null };
  #recheck: NodeJS.Timeout | undefined;
  #repeats: NodeJS.Timeout[] = [];
  #stopped = false;

  constructor(options: SsdpAdvertiserOptions) {
    this.#o = options;
  }

  /** Starts announcing; never rejects (a failure shows in status() and is retried on recheck). */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#announce();
    this.#recheck = setInterval(() => void this.#recheckInterfaces(), this.#o.recheckMs ?? 60_000);
    this.#recheck.unref();
  }

  status(): SsdpStatus {
    return { ...this.#status, interfaces: [...this.#status.interfaces] };
  }

  /** Says byebye and closes the sockets. Idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#recheck);
    await this.#close();
    this.#status = { state: "stopped", interfaces: [], lastAliveAt: null };
  }

  async #announce(): Promise<void> {
    let addresses: LanAddress[];
    try {
      addresses = this.#o.addresses();
    } catch (err) {
      const reason = (err as Error).message;
      this.#status = { state: "failed", interfaces: [], lastAliveAt: null, reason };
      this.#o.log.error(`SSDP: ${reason}; fix media.interfaces in the config file`);
      return;
    }
    this.#inUse = addresses;
    if (addresses.length === 0) {
      this.#status = {
        state: "no-lan",
        interfaces: [],
        lastAliveAt: null,
        reason: "no LAN interface is up: players and TVs cannot discover hearth",
      };
      this.#o.log.warn(this.#status.reason);
      return;
    }
    const server = this.#makeServer(addresses);
    try {
      await server.start();
    } catch (err) {
      this.#status = {
        state: "failed",
        interfaces: [],
        lastAliveAt: null,
        reason: `SSDP could not start (${(err as Error).message}); is another DLNA server (minidlna, gerbera) running on this box?`,
      };
      this.#o.log.error({ err }, "SSDP could not start; players cannot discover hearth");
      (server as unknown as { _stop(): void })._stop();
      return;
    }
    this.#server = server;
    this.#alive();
    // UDA 1.0 §1.1.2: send each advertisement more than once; node-ssdp adds one at +3 s.
    this.#repeats = [setTimeout(() => this.#alive(), 1000).unref()];
    const interfaces = addresses.map(({ name, address }) => ({ name, address }));
    this.#status = { state: "announcing", interfaces, lastAliveAt: this.#status.lastAliveAt };
    this.#o.log.info(
      { interfaces: addresses.map((a) => `${a.name} ${a.address}`) },
      "SSDP: announcing the media server",
    );
  }

  #makeServer(addresses: LanAddress[]): ssdp.Server {
    const o = this.#o;
    const maxAge = o.maxAgeSeconds ?? 1800;
    const server = new ssdp.Server({
      location: { protocol: "http://", port: o.port, path: o.descriptionPath },
      udn: `uuid:${o.uuid}`,
      ssdpSig: o.serverHeader,
      adInterval: (maxAge / 2) * 1000,
      ttl: maxAge,
      interfaces: [...new Set(addresses.map((a) => a.name))],
      // Bound to 0.0.0.0:1900 (with SO_REUSEADDR): a socket bound to a unicast address never
      // receives the multicast M-SEARCHes on Linux.
      explicitSocketBind: false,
      customLogger: () => undefined,
    } as ssdp.ServerOptions & { ttl: number });
    server.addUSN("upnp:rootdevice");
    for (const type of o.types) server.addUSN(type);
    guardNodeSsdp(server, {
      log: o.log,
      socketFor: (peer) => addresses.find((a) => onSubnet(peer, a))?.address,
      location: (address) => `http://${address}:${o.port}${o.descriptionPath}`,
      onAlive: () => (this.#status.lastAliveAt = new Date().toISOString()),
      multicastGroup: SSDP_GROUP,
    });
    return server;
  }

  #alive(): void {
    (this.#server as unknown as { advertise(alive?: boolean): void } | undefined)?.advertise(true);
  }

  async #close(): Promise<void> {
    for (const timer of this.#repeats) clearTimeout(timer);
    this.#repeats = [];
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return;
    // node-ssdp closes its sockets right after queueing byebye, which can drop it: say it first.
    (server as unknown as { advertise(alive?: boolean): void }).advertise(false);
    await new Promise((resolve) => setTimeout(resolve, 100));
    server.stop();
  }

  async #recheckInterfaces(): Promise<void> {
    if (this.#stopped) return;
    let next: LanAddress[];
    try {
      next = this.#o.addresses();
    } catch {
      return; // A pinned interface is gone for now: keep what runs.
    }
    const key = (list: LanAddress[]) =>
      list
        .map((a) => `${a.name}/${a.address}`)
        .sort()
        .join(",");
    if (key(next) === key(this.#inUse) && this.#status.state === "announcing") return;
    this.#o.log.info("SSDP: network interfaces changed; announcing again");
    await this.#close();
    if (!this.#stopped) await this.#announce();
  }
}
