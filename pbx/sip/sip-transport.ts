import { createSocket, type RemoteInfo, type Socket as UdpSocket } from "node:dgram";
import { createServer, connect, isIPv6, type Server, type Socket } from "node:net";
import sip, { type SipConnection, type SipMessageData, type SipTarget } from "sip";
import { HearthError } from "../../services/errors.js";
import type { ProblemLog } from "./problem-log.js";
import { checkMessage, type MessageProblem, type SipMessage } from "./sip-message.js";
import { serializedText } from "./serialized-message.js";

export type SipProtocol = "UDP" | "TCP";

/** Where a message came from, or where one should go. */
export interface SipRemote extends SipTarget {
  protocol: SipProtocol;
  address: string;
  port: number;
}

export interface SipTransportOptions {
  /** Address to bind ("0.0.0.0", "127.0.0.1"). */
  host: string;
  /** Port for both UDP and TCP; 0 picks a free one (UDP first, TCP then takes the same). */
  port: number;
  transports: readonly ("udp" | "tcp")[];
  /** Bigger datagrams are dropped and TCP peers that send more without a message are cut off. */
  maxMessageBytes: number;
  /** A TCP connection with no traffic for this long is closed. */
  tcpIdleMs: number;
  /** Connections beyond this are refused, so a flood cannot use up file descriptors. */
  maxTcpConnections: number;
  problems: ProblemLog;
}

/** Called with each message that passed {@link checkMessage}. Must not throw (it is guarded anyway). */
export type InboundHandler = (message: SipMessage, remote: SipRemote) => void;
/** Called with a parsed message that failed the check, so the endpoint may answer 400. */
export type RejectedHandler = (
  raw: SipMessageData,
  problem: MessageProblem,
  remote: SipRemote,
) => void;

/**
 * UDP and TCP sockets for SIP. Framing and parsing are the `sip` package's (`parse` per datagram,
 * `makeStreamParser` per TCP stream); this class owns the sockets so that nothing the network
 * sends can throw past it: every parse runs inside try/catch, sizes are capped, and each problem
 * is counted and logged once per window. (The package's own transports call into its parser from
 * socket events without a guard: a Via with a `;__proto__` parameter crashes its UDP transport,
 * and a `Content-Length: x` makes its TCP parser buffer forever.)
 *
 * `open()` has the shape the package's transaction layer expects.
 */
export class SipTransport {
  readonly #options: SipTransportOptions;
  readonly #onMessage: InboundHandler;
  readonly #onRejected: RejectedHandler;
  #udp: UdpSocket | undefined;
  #tcp: Server | undefined;
  /** Open TCP connections by "address,port" of the peer, accepted and dialled alike. */
  readonly #streams = new Map<string, Socket>();
  #port = 0;

  constructor(
    options: SipTransportOptions,
    onMessage: InboundHandler,
    onRejected: RejectedHandler,
  ) {
    this.#options = options;
    this.#onMessage = onMessage;
    this.#onRejected = onRejected;
  }

  /** The port actually bound (useful when the options asked for 0). */
  get port(): number {
    return this.#port;
  }

  async start(): Promise<void> {
    const { transports, host } = this.#options;
    this.#port = this.#options.port;
    if (transports.includes("udp")) {
      this.#udp = await bindUdp(host, this.#port, (data, rinfo) => this.#onDatagram(data, rinfo));
      this.#port = this.#udp.address().port;
    }
    if (transports.includes("tcp")) {
      this.#tcp = await listenTcp(host, this.#port, (socket) => this.#onConnection(socket));
      const address = this.#tcp.address();
      if (address !== null && typeof address === "object") this.#port = address.port;
    }
  }

  async stop(): Promise<void> {
    for (const socket of this.#streams.values()) socket.destroy();
    this.#streams.clear();
    const udp = this.#udp;
    const tcp = this.#tcp;
    this.#udp = undefined;
    this.#tcp = undefined;
    await Promise.all([
      udp && new Promise<void>((resolve) => udp.close(() => resolve())),
      tcp && new Promise<void>((resolve) => tcp.close(() => resolve())),
    ]);
  }

  /** Open TCP connections right now (for health and tests). */
  get tcpConnections(): number {
    return this.#streams.size;
  }

  /**
   * A connection to `target` for one transaction. UDP sends from the listening socket; TCP reuses
   * the phone's own connection when there is one (phones behind NAT only accept requests on the
   * connection they registered over) and dials otherwise. `onError` hears a failed dial.
   */
  open = (target: SipTarget, onError?: (err: Error) => void): SipConnection => {
    const protocol = target.protocol.toUpperCase();
    if (protocol === "TCP") return this.#openTcp(target, onError);
    return {
      protocol: "UDP",
      release: () => undefined,
      send: (message) => {
        const text = this.#stringify(message, target);
        if (text === undefined || this.#udp === undefined) return;
        this.#udp.send(Buffer.from(text, "binary"), target.port, target.address, (err) => {
          if (err)
            this.#problem("send-failed", target, `cannot send a SIP datagram: ${err.message}`);
        });
      },
    };
  };

  #openTcp(target: SipTarget, onError?: (err: Error) => void): SipConnection {
    let socket = this.#streams.get(`${target.address},${target.port}`);
    if (socket === undefined || socket.destroyed) {
      socket = connect({ host: target.address, port: target.port });
      this.#adopt(socket, target.address, target.port);
      if (onError) socket.once("error", onError);
    }
    const stream = socket;
    return {
      protocol: "TCP",
      release: () => undefined,
      send: (message) => {
        const text = this.#stringify(message, target);
        if (text !== undefined && !stream.destroyed) stream.write(text, "binary");
      },
    };
  }

  #stringify(message: SipMessageData, target: SipTarget): string | undefined {
    const ready = serializedText(message);
    if (ready !== undefined) return ready;
    try {
      return sip.stringify(message);
    } catch (err) {
      // Only our own messages get here; a throw means a bug in what we built, not an attack.
      this.#problem("send-failed", target, `cannot serialise a SIP message: ${String(err)}`);
      return undefined;
    }
  }

  #onDatagram(data: Buffer, rinfo: RemoteInfo): void {
    const remote: SipRemote = { protocol: "UDP", address: rinfo.address, port: rinfo.port };
    if (data.length > this.#options.maxMessageBytes) {
      this.#problem("too-large", remote, `dropped a ${data.length}-byte SIP datagram`);
      return;
    }
    // Phones and NAT keepalives send bare CRLFs (RFC 5626 §3.5.1) or a few bytes; not a problem.
    if (data.length <= 4 && data.toString("latin1").trim() === "") return;
    let raw: SipMessageData | undefined;
    try {
      raw = sip.parse(data);
    } catch (err) {
      this.#problem("malformed", remote, `dropped an unparsable SIP datagram: ${String(err)}`);
      return;
    }
    if (raw === undefined) {
      this.#problem("malformed", remote, "dropped a datagram that is not SIP");
      return;
    }
    this.#deliver(raw, remote);
  }

  #onConnection(socket: Socket): void {
    const address = socket.remoteAddress;
    const port = socket.remotePort;
    if (address === undefined || port === undefined) {
      socket.destroy();
      return;
    }
    if (this.#streams.size >= this.#options.maxTcpConnections) {
      this.#problem(
        "tcp-limit",
        { protocol: "TCP", address, port },
        "refused a TCP connection: too many open",
      );
      socket.destroy();
      return;
    }
    this.#adopt(socket, address, port);
  }

  /** Frames and parses one TCP stream (accepted or dialled) and keeps it in the flow table. */
  #adopt(socket: Socket, address: string, port: number): void {
    const key = `${address},${port}`;
    const remote: SipRemote = { protocol: "TCP", address, port };
    const max = this.#options.maxMessageBytes;
    let bytesSinceMessage = 0;
    const cut = (kind: string, message: string) => {
      bytesSinceMessage = 0;
      this.#cut(socket, remote, kind, message);
    };
    const parser = sip.makeStreamParser(
      (raw) => {
        bytesSinceMessage = 0;
        this.#deliver(raw, remote);
      },
      () => cut("too-large", "closed a TCP connection sending an oversized message"),
      max,
      max,
    );
    this.#streams.set(key, socket);
    socket.setEncoding("binary");
    socket.setTimeout(this.#options.tcpIdleMs, () => socket.destroy());
    socket.on("error", () => {
      // A reset or refused connection only ends this flow; 'close' cleans up after it.
    });
    socket.on("close", () => {
      if (this.#streams.get(key) === socket) this.#streams.delete(key);
      // The package's stream parser drops what it cannot frame without telling; a peer that
      // leaves with bytes that never made a message is the only trace of it.
      if (bytesSinceMessage > 0)
        this.#problem("truncated", remote, "a TCP peer left in the middle of a SIP message");
    });
    socket.on("data", (chunk: string) => {
      // RFC 5626 §3.5.1: a double CRLF ping is answered with a single CRLF pong.
      if (chunk === "\r\n\r\n") {
        socket.write("\r\n");
        return;
      }
      bytesSinceMessage += chunk.length;
      try {
        parser(chunk);
      } catch (err) {
        cut("malformed", `closed a TCP connection with unparsable SIP: ${String(err)}`);
        return;
      }
      // The package's parser waits forever for a body when Content-Length is not a number.
      if (bytesSinceMessage > max) {
        cut("too-large", "closed a TCP connection sending an oversized message");
      }
    });
  }

  #cut(socket: Socket, remote: SipRemote, kind: string, message: string): void {
    if (socket.destroyed) return;
    this.#problem(kind, remote, message);
    socket.destroy();
  }

  /** Checks a parsed message, fixes up Via for the response path, and hands it on. */
  #deliver(raw: SipMessageData, remote: SipRemote): void {
    try {
      const checked = checkMessage(raw);
      if ("problem" in checked) {
        this.#problem("malformed", remote, `refused a SIP message: ${checked.problem}`);
        if (checked.replyable && raw.method !== undefined) this.#onRejected(raw, checked, remote);
        return;
      }
      if ("method" in checked) {
        // RFC 3261 §18.2.1 and RFC 3581: record where the request really came from.
        const params = checked.headers.via[0]!.params;
        params.received = remote.address;
        if (Object.hasOwn(params, "rport")) params.rport = String(remote.port);
      }
      this.#onMessage(checked, remote);
    } catch (err) {
      this.#problem("handler-threw", remote, `a SIP message handler failed: ${String(err)}`);
    }
  }

  #problem(kind: string, remote: SipTarget, message: string): void {
    this.#options.problems.report(
      kind,
      { from: `${remote.protocol} ${remote.address}:${remote.port}` },
      message,
    );
  }
}

function bindUdp(
  host: string,
  port: number,
  onMessage: (data: Buffer, rinfo: RemoteInfo) => void,
): Promise<UdpSocket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIPv6(host) ? "udp6" : "udp4", onMessage);
    socket.once("error", (err) => reject(busyError(err, "UDP", host, port)));
    socket.bind(port, host, () => {
      socket.removeAllListeners("error");
      // After binding, errors are per-send (ICMP unreachable and the like); they end nothing.
      socket.on("error", () => undefined);
      resolve(socket);
    });
  });
}

function listenTcp(
  host: string,
  port: number,
  onConnection: (socket: Socket) => void,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(onConnection);
    server.once("error", (err) => reject(busyError(err, "TCP", host, port)));
    server.listen(port, host, () => {
      server.removeAllListeners("error");
      server.on("error", () => undefined);
      resolve(server);
    });
  });
}

function busyError(err: Error, protocol: string, host: string, port: number): HearthError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") {
    return new HearthError(
      "E_PORT_BUSY",
      `SIP ${protocol} port ${host}:${port} is already in use`,
      {
        cause: err,
        fix: `stop the other SIP server (Asterisk, kamailio) or set pbx.sip.port to a free port`,
      },
    );
  }
  return new HearthError(
    "E_CONFIG",
    `cannot listen for SIP on ${protocol} ${host}:${port}: ${err.message}`,
    {
      cause: err,
      fix: "check pbx.sip.listen is an address of this machine",
    },
  );
}
