import type ssdp from "node-ssdp";
import type { Logger } from "pino";

/** node-ssdp's internals this file relies on (node-ssdp 4.0.1, unchanged since 2021). */
interface NodeSsdpInternals {
  sockets: Record<
    string,
    {
      send(
        buf: Buffer,
        off: number,
        len: number,
        port: number,
        host: string,
        cb?: () => void,
      ): void;
    }
  > | null;
  _parseMessage(msg: Buffer, rinfo: { address: string; port: number }): void;
  _send(message: unknown, host?: unknown, port?: unknown, cb?: unknown): void;
  advertise(alive?: boolean): void;
}
interface SsdpHeader {
  isOverrideLocationOnSend(): boolean;
  toBuffer(extra?: Record<string, string>): Buffer;
}

export interface GuardOptions {
  log: Logger;
  /** The local address on the peer's subnet, or undefined (then every socket answers). */
  socketFor(peer: string): string | undefined;
  location(localAddress: string): string;
  onAlive(): void;
  multicastGroup: string;
}

/**
 * Hardens a node-ssdp Server in place:
 * - a datagram that makes its parser throw is logged once and dropped (its socket handler has no
 *   try/catch, and a throw there would be an uncaught exception in hearth);
 * - an M-SEARCH answer goes out only through the socket of the searcher's subnet, with that
 *   socket's address in LOCATION (node-ssdp sends one per interface, most with an address the
 *   searcher cannot reach);
 * - every multicast alive is noted, for the status.
 */
export function guardNodeSsdp(server: ssdp.Server, o: GuardOptions): void {
  const s = server as unknown as NodeSsdpInternals;
  const parse = s._parseMessage.bind(s);
  let complained = false;
  s._parseMessage = (msg, rinfo) => {
    try {
      parse(msg, rinfo);
    } catch (err) {
      if (!complained)
        o.log.warn({ err, from: rinfo.address }, "SSDP: dropped a datagram that could not be read");
      complained = true;
    }
  };
  const send = s._send.bind(s);
  s._send = (message, host, port, cb) => {
    if (typeof host !== "string" || host === o.multicastGroup) {
      if (typeof host !== "string") o.onAlive();
      return send(message, host, port, cb);
    }
    const local = o.socketFor(host);
    const socket = local === undefined ? undefined : s.sockets?.[local];
    if (local === undefined || socket === undefined) return send(message, host, port, cb);
    const header = message as SsdpHeader;
    const buf = header.isOverrideLocationOnSend()
      ? header.toBuffer({ LOCATION: o.location(local) })
      : header.toBuffer();
    socket.send(buf, 0, buf.length, port as number, host, () => undefined);
  };
}
