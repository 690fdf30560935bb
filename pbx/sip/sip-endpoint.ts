import type { Logger } from "pino";
import sip, {
  type SipAddress,
  type SipHeaders,
  type SipMessageData,
  type SipVia,
  type TransactionLayer,
} from "sip";
import { ProblemLog } from "./problem-log.js";
import { isRequest, type MessageProblem, type SipMessage, type SipRequest } from "./sip-message.js";
import { SipTransport, type SipRemote } from "./sip-transport.js";
import { serialized } from "./serialized-message.js";
import { randomHex } from "./random-hex.js";

export interface SipEndpointOptions {
  /** Address to bind. */
  host: string;
  /** UDP and TCP port; 0 picks a free one (read it back from `port` after start). */
  port: number;
  transports: readonly ("udp" | "tcp")[];
  /** Host (name or address) written into our Via and Contact headers; default: `host`. */
  advertisedHost?: string;
  /** Default 65 535: a UDP datagram's largest payload. */
  maxMessageBytes?: number;
  /** Default 10 minutes; phones on TCP send CRLF keepalives or re-register well within it. */
  tcpIdleMs?: number;
  /** Default 256. */
  maxTcpConnections?: number;
  /**
   * Server transactions alive at once (each lives 32 s after its answer over UDP, RFC 3261 Timer
   * J, and holds its response). Beyond this, new requests get a stateless 503 with Retry-After
   * instead of a transaction: a REGISTER flood then sheds load rather than exhausting the heap
   * (measured: about 1 000 REGISTER/s for 30 s ran a 128 MiB heap out of memory). Default 40 000.
   */
  maxServerTransactions?: number;
  log: Logger;
}

/**
 * Handles one request method. It must answer with {@link SipEndpoint.reply}; if it throws or its
 * promise rejects before answering, the endpoint answers 500. Retransmissions never reach it:
 * the transaction layer answers them with the last response.
 */
export type RequestHandler = (request: SipRequest, remote: SipRemote) => void | Promise<void>;

/** A request to send; Via, Max-Forwards, Call-ID, CSeq and the From tag are filled in when absent. */
export interface OutgoingRequest {
  method: string;
  uri: string;
  headers: SipHeaders & { to: SipAddress; from: SipAddress };
  content?: string;
  /**
   * Branch for our Via. Only a CANCEL keeps it (RFC 3261 §9.1: a CANCEL carries its INVITE's
   * branch); the transaction layer picks a fresh branch for every other method.
   */
  branch?: string;
}

/** Methods RFC 3261 and its extensions define; others get 501, these 405 when nobody handles them. */
const KNOWN_METHODS = new Set(
  "INVITE ACK BYE CANCEL REGISTER OPTIONS SUBSCRIBE NOTIFY INFO UPDATE MESSAGE PRACK REFER PUBLISH".split(
    " ",
  ),
);

/**
 * The SIP core: sockets, parser and transaction layer of the `sip` package behind a small typed
 * API for the registrar, proxy and MWI notifier. Answers OPTIONS (phones use it as a keepalive)
 * unless someone registers an OPTIONS handler.
 */
export class SipEndpoint {
  readonly #options: SipEndpointOptions;
  readonly #log: Logger;
  readonly problems: ProblemLog;
  readonly #handlers = new Map<string, RequestHandler>();
  /** Requests already given a final answer, so a failing handler is not answered twice. */
  readonly #answered = new WeakSet<SipRequest>();
  /** Responses that arrived from the network, as opposed to a 408 or 503 made here. */
  readonly #received = new WeakSet<SipMessageData>();
  /** Methods answered without a server transaction (see onRequest). */
  readonly #statelessMethods = new Set<string>();
  /** Where a stateless request came from: its answer goes straight back there. */
  readonly #statelessFrom = new WeakMap<SipRequest, SipRemote>();
  /** The To tag of each answered request: provisional and final answers must share it. */
  readonly #toTags = new WeakMap<SipRequest, string>();
  #transport: SipTransport | undefined;
  #transactions: TransactionLayer | undefined;
  /** Server transactions created and not yet released by the transaction layer. */
  #liveServerTransactions = 0;

  constructor(options: SipEndpointOptions) {
    this.#options = options;
    this.#log = options.log;
    this.problems = new ProblemLog(options.log);
  }

  /** The bound port (0 before start). */
  get port(): number {
    return this.#transport?.port ?? 0;
  }

  /** The host we put in Via and Contact headers. */
  get advertisedHost(): string {
    return this.#options.advertisedHost ?? this.#options.host;
  }

  async start(): Promise<void> {
    const transport = new SipTransport(
      {
        host: this.#options.host,
        port: this.#options.port,
        transports: this.#options.transports,
        maxMessageBytes: this.#options.maxMessageBytes ?? 65_535,
        tcpIdleMs: this.#options.tcpIdleMs ?? 600_000,
        maxTcpConnections: this.#options.maxTcpConnections ?? 256,
        problems: this.problems,
      },
      (message, remote) => this.#dispatch(message, remote),
      (raw, problem, remote) => this.#refuse(raw, problem, remote),
    );
    await transport.start();
    this.#transport = transport;
    this.#transactions = sip.makeTransactionLayer({}, transport.open);
  }

  async stop(): Promise<void> {
    const transport = this.#transport;
    this.#transactions?.destroy();
    this.#transactions = undefined;
    this.#transport = undefined;
    await transport?.stop();
  }

  /**
   * Makes `handler` the one for `method` ("REGISTER"); returns a function that removes it.
   * `stateless`: answer without a server transaction (RFC 3261 §8.2.7), as kamailio's registrar
   * does. Only for handlers whose answer is the same when a UDP retransmission runs them again
   * (REGISTER): no transaction is kept for Timer J's 32 s, which at 1 000 REGISTER/s was most
   * of hearth's memory and a good part of its CPU.
   */
  onRequest(
    method: string,
    handler: RequestHandler,
    options: { stateless?: boolean } = {},
  ): () => void {
    const key = method.toUpperCase();
    this.#handlers.set(key, handler);
    if (options.stateless) this.#statelessMethods.add(key);
    else this.#statelessMethods.delete(key);
    return () => {
      if (this.#handlers.get(key) !== handler) return;
      this.#handlers.delete(key);
      this.#statelessMethods.delete(key);
    };
  }

  /** The methods we serve, for Allow headers. */
  allowedMethods(): string[] {
    return [...new Set(["OPTIONS", ...this.#handlers.keys()])];
  }

  /**
   * Answers `request` through its server transaction (which retransmits over UDP and absorbs
   * the ACK of a failure). `extraHeaders` use the package's lower-case names and shapes
   * ("www-authenticate": [{ scheme, realm, … }], "contact": [{ uri, params }], or plain strings).
   * A request whose transaction is already gone (answered more than 32 s ago) is ignored.
   */
  reply(
    request: SipRequest,
    status: number,
    reason: string,
    extraHeaders: Record<string, unknown> = {},
    content?: string,
  ): void {
    const statelessFrom = this.#statelessFrom.get(request);
    const transaction = statelessFrom ? undefined : this.#transactions?.getServer(request);
    if (transaction === undefined && statelessFrom === undefined) return;
    const response = sip.makeResponse(request, status, reason, { headers: extraHeaders, content });
    if (status > 100) response.headers.to = this.#taggedTo(request);
    if (status >= 200) this.#answered.add(request);
    if (statelessFrom) this.sendStateless(response, statelessFrom);
    else transaction?.send(this.#serialize(response));
  }

  /** The response as wire text for the transaction to keep (see serialized-message.ts). */
  #serialize(response: SipMessageData): SipMessageData {
    try {
      return serialized(response.status ?? 500, sip.stringify(response));
    } catch {
      return response; // the transport reports what cannot be serialised when it sends it
    }
  }

  /**
   * Sends a request in a new client transaction and resolves with its final response: the
   * peer's, or a 408 the transaction layer makes when Timer F fires, or a 503 when a TCP dial
   * fails. Provisional responses go to `onProvisional`. Never rejects.
   */
  send(
    request: OutgoingRequest,
    target: SipRemote,
    onProvisional?: (response: SipMessageData) => void,
  ): Promise<SipMessageData> {
    const transactions = this.#transactions;
    const transport = this.#transport;
    const message = this.#complete(request, target);
    return new Promise((resolve) => {
      if (transactions === undefined || transport === undefined) {
        resolve(sip.makeResponse(message, 503, "Service Unavailable"));
        return;
      }
      let settled = false;
      const finish = (response: SipMessageData) => {
        if (settled) return;
        settled = true;
        resolve(response);
      };
      const connection = transport.open(target, () =>
        finish(sip.makeResponse(message, 503, "Service Unavailable")),
      );
      transactions.createClientTransaction(connection, message, (response) => {
        if ((response.status ?? 0) >= 200) finish(response);
        else onProvisional?.(response);
      });
    });
  }

  /**
   * For a proxy: sends a request in a new client transaction and hands every response to
   * `onResponse` (provisional, final, a 408 or 503 made here, and the 2xx retransmissions a proxy
   * must relay, RFC 6026 §7.2). Returns the request as sent, so a CANCEL can copy its branch.
   */
  forwardRequest(
    request: OutgoingRequest,
    target: SipRemote,
    onResponse: (response: SipMessageData) => void,
  ): SipMessageData {
    const message = this.#complete(request, target);
    const transactions = this.#transactions;
    const transport = this.#transport;
    if (transactions === undefined || transport === undefined) {
      queueMicrotask(() => onResponse(sip.makeResponse(message, 503, "Service Unavailable")));
      return message;
    }
    const connection = transport.open(target, () =>
      onResponse(sip.makeResponse(message, 503, "Service Unavailable")),
    );
    // Sets the Via branch of `message` synchronously (the first send waits for the next tick).
    transactions.createClientTransaction(connection, message, onResponse);
    return message;
  }

  /**
   * For a proxy: relays `response` (a downstream answer, To tag and all) through `request`'s
   * server transaction, with `request`'s Via headers in place of the downstream ones
   * (RFC 3261 §16.7 step 9). A response without a To tag (one the transaction layer made) gets
   * ours. Ignored once the transaction is gone.
   */
  forwardResponse(request: SipRequest, response: SipMessageData): void {
    const transaction = this.#transactions?.getServer(request);
    if (transaction === undefined) return;
    const status = response.status ?? 0;
    const headers: SipHeaders = { ...response.headers, via: request.headers.via };
    const tag = response.headers.to?.params.tag;
    if (status > 100 && (tag === undefined || tag === null)) headers.to = this.#taggedTo(request);
    if (status >= 200) this.#answered.add(request);
    transaction.send({ ...response, headers });
  }

  /**
   * True for a response the peer sent; false for one made here (the 408 of Timer F, the 503 of a
   * TCP dial that failed): an OPTIONS qualify must not take those for the phone's answer.
   */
  cameFromPeer(response: SipMessageData): boolean {
    return this.#received.has(response);
  }

  /** Sends a message outside any transaction (an ACK for a 2xx, a relayed response). */
  sendStateless(message: SipMessageData, target: SipRemote): void {
    this.#transport?.open(target).send(message);
  }

  #complete(request: OutgoingRequest, target: SipRemote): SipMessageData {
    const headers: SipHeaders = { ...request.headers };
    const ourVia: SipVia = {
      protocol: target.protocol,
      host: this.advertisedHost,
      port: this.port,
      // rport (RFC 3581) so a NATed phone answers to the address the request came from.
      params: {
        ...(request.branch === undefined ? {} : { branch: request.branch }),
        ...(target.protocol === "UDP" ? { rport: null } : {}),
      },
    };
    headers.via = [ourVia, ...(headers.via ?? [])];
    headers["max-forwards"] ??= "70";
    headers["call-id"] ??= randomHex(12);
    headers.cseq ??= { seq: 1, method: request.method };
    const from = request.headers.from;
    if (from.params?.tag === undefined) {
      headers.from = { ...from, params: { ...from.params, tag: randomHex(6) } };
    }
    return { method: request.method, uri: request.uri, headers, content: request.content ?? "" };
  }

  /** The connection of a server transaction, counted until the transaction layer releases it. */
  #counted(connection: ReturnType<SipTransport["open"]>): ReturnType<SipTransport["open"]> {
    this.#liveServerTransactions += 1;
    let released = false;
    return {
      ...connection,
      release: () => {
        if (!released) this.#liveServerTransactions -= 1;
        released = true;
        connection.release();
      },
    };
  }

  #taggedTo(request: SipRequest): SipAddress {
    const to = request.headers.to;
    if (to.params.tag !== undefined && to.params.tag !== null) return to;
    let tag = this.#toTags.get(request);
    if (tag === undefined) {
      tag = randomHex(6);
      this.#toTags.set(request, tag);
    }
    return { ...to, params: { ...to.params, tag } };
  }

  #dispatch(message: SipMessage, remote: SipRemote): void {
    const transactions = this.#transactions;
    const transport = this.#transport;
    if (transactions === undefined || transport === undefined) return;
    if (!isRequest(message)) {
      const client = transactions.getClient(message);
      this.#received.add(message);
      if (client) client.message(message, remote);
      else
        this.#log.debug(
          { status: message.status, from: remote.address },
          "dropped a stray SIP response",
        );
      return;
    }
    const existing = transactions.getServer(message);
    if (existing !== undefined) {
      existing.message(message, remote);
      return;
    }
    const handler = this.#handlers.get(message.method);
    if (message.method === "ACK") {
      // An ACK for a non-2xx answer is absorbed by its INVITE transaction above; one for a 2xx
      // is end-to-end and goes to whoever handles ACKs (the proxy), or nowhere.
      if (handler) this.#run(handler, message, remote);
      return;
    }
    if (handler && this.#statelessMethods.has(message.method)) {
      this.#statelessFrom.set(message, remote);
      this.#run(handler, message, remote);
      return;
    }
    if (this.#liveServerTransactions >= (this.#options.maxServerTransactions ?? 40_000)) {
      this.problems.report(
        "overloaded",
        { from: remote.address, live: this.#liveServerTransactions },
        "too many SIP transactions at once: answering 503 until they drain",
      );
      this.sendStateless(
        sip.makeResponse(message, 503, "Service Unavailable", {
          headers: { "retry-after": "5" },
        }),
        remote,
      );
      return;
    }
    transactions.createServerTransaction(message, this.#counted(transport.open(remote)));
    this.#log.debug(
      { method: message.method, from: `${remote.protocol} ${remote.address}:${remote.port}` },
      "SIP request",
    );
    if (handler) this.#run(handler, message, remote);
    else this.#answerUnhandled(message);
  }

  #run(handler: RequestHandler, request: SipRequest, remote: SipRemote): void {
    const fail = (err: unknown) => {
      this.problems.report(
        "handler-threw",
        { method: request.method },
        `a SIP ${request.method} handler failed: ${String(err)}`,
      );
      if (request.method !== "ACK" && !this.#answered.has(request))
        this.reply(request, 500, "Server Internal Error");
    };
    try {
      const done = handler(request, remote);
      if (done instanceof Promise) done.catch(fail);
    } catch (err) {
      fail(err);
    }
  }

  #answerUnhandled(request: SipRequest): void {
    const allow = this.allowedMethods().join(", ");
    if (request.method === "OPTIONS") {
      this.reply(request, 200, "OK", {
        allow,
        accept: "application/sdp, application/simple-message-summary",
        "accept-encoding": "identity",
        "accept-language": "en",
        supported: "",
      });
    } else if (request.method === "CANCEL") {
      this.reply(request, 481, "Call/Transaction Does Not Exist");
    } else if (KNOWN_METHODS.has(request.method)) {
      this.reply(request, 405, "Method Not Allowed", { allow });
    } else {
      this.reply(request, 501, "Not Implemented", { allow });
    }
  }

  /** RFC 3261 §21.4.1: a request we cannot make sense of gets 400 with the reason. */
  #refuse(raw: SipMessageData, problem: MessageProblem, remote: SipRemote): void {
    const transactions = this.#transactions;
    const transport = this.#transport;
    if (transactions === undefined || transport === undefined || raw.method === "ACK") return;
    const request = raw as SipRequest;
    if (transactions.getServer(request) === undefined) {
      transactions.createServerTransaction(request, transport.open(remote));
    }
    this.reply(request, 400, `Bad Request (${problem.problem})`);
  }
}
