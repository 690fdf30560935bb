import type { Logger } from "pino";
import { HearthError } from "../../services/errors.js";
import {
  CONNECTION_MANAGER,
  CONTENT_DIRECTORY,
  MEDIA_RECEIVER_REGISTRAR,
  MEDIA_SERVER_DEVICE_TYPE,
} from "../description/index.js";
import {
  chooseInterfaces,
  onSubnet,
  type InterfaceChoice,
  type LanAddress,
} from "./lan-interfaces.js";
import { NodeSsdpEngine } from "./node-ssdp-engine.js";
import { SsdpSockets } from "./ssdp-sockets.js";

export interface SsdpAdvertiserOptions {
  /** The device UUID, without "uuid:". */
  uuid: string;
  /** Path of the device description on the HTTP server: "/media/upnp/device.xml". */
  descriptionPath: string;
  /** The HTTP port the description is served on. */
  port: number;
  /** `media.interfaces`: announce on exactly these; default every LAN interface. */
  interfaces?: readonly string[] | undefined;
  /** Where the HTTP server listens; a specific address limits SSDP to it. Default 0.0.0.0. */
  listenAddress?: string | undefined;
  /** SERVER header: "Linux/<release> UPnP/1.0 hearth/<version>". */
  serverName: string;
  log: Logger;
  /** CACHE-CONTROL max-age; alive goes out every max-age/2. Default 1800 s. */
  maxAgeSeconds?: number | undefined;
}

/**
 * What the dashboard shows. `announcing`: on the LAN interfaces listed. `no-lan`: no LAN
 * interface is up, so only loopback is used and no TV or phone can see hearth. `failed`: nothing
 * is announced (`reason` and `fix` say why and what to do). `stopped`: before start, after stop.
 */
export interface SsdpStatus {
  state: "announcing" | "no-lan" | "failed" | "stopped";
  interfaces: Array<{ name: string; address: string }>;
  /** ISO time of the last ssdp:alive set, or null. */
  lastAliveAt: string | null;
  reason?: string;
  fix?: string;
}

/** The UDA order: root device and UDN come first (node-ssdp engine), then these. */
const NOTIFICATION_TYPES = [
  MEDIA_SERVER_DEVICE_TYPE,
  CONTENT_DIRECTORY.serviceType,
  CONNECTION_MANAGER.serviceType,
  MEDIA_RECEIVER_REGISTRAR.serviceType,
];
/** UDA 1.0 §1.1.2: UDP gets lost, so the first alive set is sent again at +1 s and +3 s. */
const REPEATS_MS = [1000, 2000];
/** How often a server that is not on any LAN (or failed) looks again. */
const RECHECK_MS = 30_000;
/** multicast TTL (UDA 1.1 §1.1.2). */
const MULTICAST_TTL = 2;

type Cause = "start" | "repeat" | "tick" | "refresh";

/**
 * Makes the MediaServer discoverable (UDA 1.0 §1): ssdp:alive at start (three times) and every
 * max-age/2, byebye on stop, and answers to M-SEARCH with the LOCATION of the interface the
 * searcher is on. One timer: the repeats, then the periodic alive, which also re-reads the
 * interfaces (a box whose Wi-Fi or DHCP comes up late is announced then, or at once when the
 * owner calls refresh()). Without a LAN, or after a failure, it looks again every 30 s.
 * start() never rejects for network reasons: the media server still serves HTTP, and status()
 * says why players cannot discover it.
 */
export class SsdpAdvertiser {
  readonly #o: SsdpAdvertiserOptions;
  readonly #periodMs: number;
  #engine: NodeSsdpEngine | undefined;
  #sockets: SsdpSockets | undefined;
  #addresses: LanAddress[] = [];
  #chosenKey = "";
  #status: SsdpStatus = { state: "stopped", interfaces: [], lastAliveAt: null };
  #timer: NodeJS.Timeout | undefined;
  #repeats: number[] = [];
  #lastAliveMs = 0;
  #queue: Promise<void> = Promise.resolve();
  #isRunning = false;

  constructor(options: SsdpAdvertiserOptions) {
    const maxAge = options.maxAgeSeconds ?? 1800;
    // A tiny max-age would make the periodic alive a busy loop; UDA asks for ≥ 1800 anyway.
    if (!(maxAge >= 60)) throw new RangeError(`maxAgeSeconds must be ≥ 60, got ${maxAge}`);
    this.#o = options;
    this.#periodMs = (maxAge / 2) * 1000;
  }

  /** Opens the sockets and sends the first alive set; resolves as soon as it is sent. */
  start(): Promise<void> {
    return this.#serial(async () => {
      if (this.#isRunning) return;
      this.#isRunning = true;
      this.#makeParts();
      await this.#apply("start");
    });
  }

  /**
   * Re-reads the interfaces now (call it when the network changed) and sends an alive set:
   * on new interfaces with the start repeats, otherwise once.
   */
  refresh(): Promise<void> {
    return this.#serial(async () => {
      if (this.#isRunning) await this.#apply("refresh");
    });
  }

  /** Cheap and synchronous, for health() and the dashboard. */
  status(): SsdpStatus {
    return { ...this.#status, interfaces: this.#status.interfaces.map((i) => ({ ...i })) };
  }

  /** Sends byebye for every notification type, closes the sockets, clears the timer. Idempotent. */
  stop(): Promise<void> {
    return this.#serial(async () => {
      if (!this.#isRunning) return;
      this.#isRunning = false;
      clearTimeout(this.#timer);
      this.#repeats = [];
      this.#engine?.cancelPending();
      if (this.#addresses.length > 0) await this.#engine?.announce(false);
      this.#sockets?.close();
      this.#addresses = [];
      this.#chosenKey = "";
      this.#status = { state: "stopped", interfaces: [], lastAliveAt: null };
    });
  }

  #makeParts(): void {
    const o = this.#o;
    const sockets = new SsdpSockets({
      onMessage: (msg, rinfo) => this.#engine?.handle(msg, rinfo),
      multicastTtl: MULTICAST_TTL,
      log: o.log,
    });
    this.#sockets = sockets;
    this.#engine = new NodeSsdpEngine({
      udn: `uuid:${o.uuid}`,
      types: NOTIFICATION_TYPES,
      serverName: o.serverName,
      maxAgeSeconds: o.maxAgeSeconds ?? 1800,
      addresses: () => this.#addresses.map((a) => a.address),
      routeFor: (peer) => this.#addresses.find((a) => onSubnet(peer, a))?.address,
      location: (address) => `http://${address}:${o.port}${o.descriptionPath}`,
      multicast: (address, buf) => sockets.multicast(address, buf),
      reply: (buf, host, port) => sockets.reply(buf, host, port),
      log: o.log,
    });
  }

  /** Everything a timer tick, start or refresh does: look at the interfaces, announce, re-arm. */
  async #apply(cause: Cause): Promise<void> {
    try {
      const choice = chooseInterfaces({
        pinned: this.#o.interfaces,
        listenAddress: this.#o.listenAddress,
      });
      await this.#sockets?.open();
      const key = choice.addresses.map((a) => `${a.name}/${a.address}`).join(",");
      if (key !== this.#chosenKey || this.#status.state === "failed") {
        await this.#use(choice, key);
      } else if (cause !== "tick" || Date.now() - this.#lastAliveMs >= this.#periodMs - 1000) {
        await this.#alive();
      }
    } catch (err) {
      await this.#fail(err);
    }
    this.#schedule();
  }

  async #use(choice: InterfaceChoice, key: string): Promise<void> {
    const usable = (await this.#sockets?.use(choice.addresses)) ?? [];
    if (usable.length === 0 && choice.addresses.length > 0) {
      const names = choice.addresses.map((a) => a.name).join(", ");
      throw new HearthError("E_NOT_RUNNING", `SSDP multicast does not work on ${names}`, {
        fix: "Check that the interface is up and has multicast enabled (`ip link set <name> multicast on`); hearth retries every 30 s.",
      });
    }
    this.#addresses = usable;
    this.#chosenKey = key;
    const interfaces = usable.map(({ name, address }) => ({ name, address }));
    const { lastAliveAt } = this.#status;
    if (choice.isLoopbackFallback) {
      const reason =
        usable.length > 0
          ? "no LAN interface is up: SSDP runs on loopback only, so TVs and phones cannot discover hearth until one comes up (checked every 30 s)"
          : `no interface has the address the HTTP server listens on (${this.#o.listenAddress}): nothing is announced until it comes back (checked every 30 s)`;
      this.#status = { state: "no-lan", interfaces, lastAliveAt, reason };
      this.#o.log.warn({ interfaces: labels(usable) }, `SSDP: ${reason}`);
    } else {
      this.#status = { state: "announcing", interfaces, lastAliveAt };
      this.#o.log.info({ interfaces: labels(usable) }, "SSDP: announcing the media server");
    }
    this.#repeats = [...REPEATS_MS];
    await this.#alive();
  }

  async #alive(): Promise<void> {
    if (this.#addresses.length === 0) return;
    await this.#engine?.announce(true);
    this.#lastAliveMs = Date.now();
    this.#status.lastAliveAt = new Date(this.#lastAliveMs).toISOString();
  }

  async #fail(err: unknown): Promise<void> {
    const reason = err instanceof Error ? err.message : String(err);
    const fix = err instanceof HearthError ? err.fix : undefined;
    if (this.#status.state !== "failed" || this.#status.reason !== reason)
      this.#o.log.error({ err }, `SSDP: players cannot discover hearth: ${reason}`);
    await this.#sockets?.use([]);
    this.#addresses = [];
    this.#chosenKey = "";
    this.#repeats = [];
    this.#status = {
      state: "failed",
      interfaces: [],
      lastAliveAt: this.#status.lastAliveAt,
      reason,
    };
    if (fix !== undefined) this.#status.fix = fix;
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    if (!this.#isRunning) return;
    const repeat = this.#repeats.shift();
    const ms = repeat ?? (this.#status.state === "announcing" ? this.#periodMs : RECHECK_MS);
    const cause: Cause = repeat !== undefined ? "repeat" : "tick";
    this.#timer = setTimeout(() => {
      const tick = this.#serial(async () => {
        if (this.#isRunning) await this.#apply(cause);
      });
      tick.catch(() => undefined); // #serial has logged it; a timer has no caller to tell
    }, ms);
    this.#timer.unref();
  }

  /** start, refresh, stop and ticks run one at a time, in call order. */
  #serial(step: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(step);
    this.#queue = run.catch((err: unknown) => {
      this.#o.log.error({ err }, "SSDP: unexpected failure");
    });
    return run;
  }
}

function labels(addresses: readonly LanAddress[]): string[] {
  return addresses.map((a) => `${a.name} ${a.address}`);
}
