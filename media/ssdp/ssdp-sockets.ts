import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import type { Logger } from "pino";
import { HearthError } from "../../services/errors.js";
import type { LanAddress } from "./lan-interfaces.js";

/** The SSDP multicast group and port (UDA 1.0 §1.1). */
export const SSDP_GROUP = "239.255.255.250";
export const SSDP_PORT = 1900;

export interface SsdpSocketsOptions {
  /** Every datagram that reaches UDP 1900 on this box; must not throw. */
  onMessage(msg: Buffer, rinfo: RemoteInfo): void;
  /** IP TTL of multicast (UDA 1.1 §1.1.2: default 2). */
  multicastTtl: number;
  log: Logger;
}

/**
 * hearth's SSDP sockets (node-ssdp's own are wrong on a box with more than one interface):
 * - one receiver bound to 0.0.0.0:1900 with SO_REUSEADDR, joined to the group on each chosen
 *   interface. Linux delivers multicast only to sockets bound to the wildcard (or the group)
 *   address, and with IP_MULTICAST_ALL every socket on the port sees every group datagram, so
 *   one socket per interface on 1900 would handle each M-SEARCH once per interface. Answers
 *   go out through it, unicast, from port 1900 with the source address of the route back.
 * - one sender per address, bound to it with IP_MULTICAST_IF set, so each NOTIFY leaves through
 *   the interface whose address is in its LOCATION (node-ssdp sends them all through whichever
 *   interface the routing table picks for 239/8; its issue #109).
 */
export class SsdpSockets {
  readonly #o: SsdpSocketsOptions;
  #receiver: Socket | undefined;
  readonly #senders = new Map<string, Socket>();
  /** Interface name → the address its membership was added with. */
  readonly #joined = new Map<string, string>();
  readonly #complaints = new Set<string>();

  constructor(options: SsdpSocketsOptions) {
    this.#o = options;
  }

  get isOpen(): boolean {
    return this.#receiver !== undefined;
  }

  /**
   * Binds the receiver. Rejects with HearthError E_PORT_BUSY when another program holds UDP 1900
   * without sharing it (SO_REUSEADDR), or E_NOT_RUNNING for any other bind failure.
   */
  async open(): Promise<void> {
    if (this.#receiver !== undefined) return;
    const socket = createSocket({ type: "udp4", reuseAddr: true });
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind({ port: SSDP_PORT, address: "0.0.0.0" }, () => {
        socket.off("error", reject);
        resolve();
      });
    }).catch((err: NodeJS.ErrnoException) => {
      socket.close();
      throw bindError(err);
    });
    socket.on("error", (err) => this.#complain("receiver", err));
    socket.on("message", (msg, rinfo) => this.#o.onMessage(msg, rinfo));
    socket.unref();
    this.#receiver = socket;
  }

  /**
   * Makes the memberships and senders match `addresses`; returns the ones that work (an address
   * that vanished, or an interface that refuses multicast, is left out with a warning).
   */
  async use(addresses: readonly LanAddress[]): Promise<LanAddress[]> {
    const receiver = this.#receiver;
    if (receiver === undefined) return [];
    const wanted = new Set(addresses.map((a) => a.address));
    for (const [address, sender] of this.#senders) {
      if (wanted.has(address)) continue;
      sender.close();
      this.#senders.delete(address);
    }
    this.#leaveGone(receiver, addresses);
    const usable: LanAddress[] = [];
    for (const lan of addresses) {
      if (!this.#join(receiver, lan)) continue;
      if (this.#senders.has(lan.address) || (await this.#addSender(lan))) usable.push(lan);
    }
    return usable;
  }

  /** Sends `buf` to the group through the interface of `address`; never rejects. */
  multicast(address: string, buf: Buffer): Promise<void> {
    const sender = this.#senders.get(address);
    if (sender === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      sender.send(buf, SSDP_PORT, SSDP_GROUP, (err) => {
        if (err) this.#complain(address, err);
        resolve();
      });
    });
  }

  /** Sends a unicast answer from port 1900; the caller has checked `port`. Never throws. */
  reply(buf: Buffer, host: string, port: number): void {
    try {
      this.#receiver?.send(buf, port, host, (err) => {
        if (err) this.#complain(`reply to ${host}`, err);
      });
    } catch (err) {
      // dgram throws synchronously on a socket closed meanwhile: the answer is moot then.
      this.#complain(`reply to ${host}`, err as Error);
    }
  }

  /** Closes every socket. Idempotent. */
  close(): void {
    for (const sender of this.#senders.values()) sender.close();
    this.#senders.clear();
    this.#joined.clear();
    this.#receiver?.close();
    this.#receiver = undefined;
  }

  #join(receiver: Socket, lan: LanAddress): boolean {
    const joinedWith = this.#joined.get(lan.name);
    if (joinedWith !== undefined) return true; // one membership per interface, not per address
    try {
      receiver.addMembership(SSDP_GROUP, lan.address);
      this.#joined.set(lan.name, lan.address);
      return true;
    } catch (err) {
      this.#o.log.warn(
        { err, interface: lan.name, address: lan.address },
        "SSDP: cannot join the multicast group on this interface; not announcing there",
      );
      return false;
    }
  }

  #leaveGone(receiver: Socket, addresses: readonly LanAddress[]): void {
    for (const [name, address] of this.#joined) {
      if (addresses.some((a) => a.name === name && a.address === address)) continue;
      this.#joined.delete(name);
      try {
        receiver.dropMembership(SSDP_GROUP, address);
      } catch {
        // The interface or its address is gone, and the kernel dropped the membership with it.
      }
    }
  }

  async #addSender(lan: LanAddress): Promise<boolean> {
    const socket = createSocket({ type: "udp4" });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("error", reject);
        socket.bind({ port: 0, address: lan.address }, () => {
          socket.off("error", reject);
          resolve();
        });
      });
      socket.setMulticastInterface(lan.address);
      socket.setMulticastTTL(this.#o.multicastTtl);
    } catch (err) {
      socket.close();
      this.#o.log.warn(
        { err, interface: lan.name, address: lan.address },
        "SSDP: cannot send from this address; not announcing there",
      );
      return false;
    }
    socket.on("error", (err) => this.#complain(lan.address, err));
    socket.unref();
    this.#senders.set(lan.address, socket);
    return true;
  }

  /** Send errors repeat with every datagram: warn once per place and error code. */
  #complain(where: string, err: Error): void {
    const key = `${where} ${(err as NodeJS.ErrnoException).code ?? err.message}`;
    if (this.#complaints.has(key)) return;
    if (this.#complaints.size < 256) this.#complaints.add(key);
    this.#o.log.warn({ err, where }, "SSDP: a datagram could not be sent");
  }
}

function bindError(err: NodeJS.ErrnoException): HearthError {
  if (err.code === "EADDRINUSE")
    return new HearthError(
      "E_PORT_BUSY",
      "UDP port 1900 (SSDP) is held by another program that does not share it",
      {
        cause: err,
        fix: "Stop the other UPnP/DLNA server on this box (e.g. `systemctl stop minidlna`) or let it share the port; hearth retries every 30 s.",
      },
    );
  return new HearthError("E_NOT_RUNNING", `cannot open UDP port 1900 (SSDP): ${err.message}`, {
    cause: err,
    fix: "Check that IPv4 networking is available to hearth; it retries every 30 s.",
  });
}
