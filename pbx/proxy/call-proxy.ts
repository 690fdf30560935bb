import type { Logger } from "pino";
import type { SipAddress } from "sip";
import type { DigestAuthenticator } from "../digest-auth/digest-authenticator.js";
import type { Registrar } from "../registrar/registrar.js";
import type { SipEndpoint } from "../sip/sip-endpoint.js";
import type { SipRequest } from "../sip/sip-message.js";
import type { SipRemote } from "../sip/sip-transport.js";
import { CallTable, type CallView } from "./call-table.js";
import {
  forwardedAck,
  forwardedHeaders,
  hasOwnVia,
  readMaxForwards,
  recordRoutes,
  routesAfterUs,
  tagOf,
  userOf,
  type ProxyAddress,
} from "./proxy-headers.js";
import { RequestRelay, type RelayEvents, type RelayTarget } from "./request-relay.js";

export interface CallProxyDeps {
  endpoint: SipEndpoint;
  /** Where the called extension's phones are. */
  registrar: Registrar;
  /** Checks the caller's password (407 challenges, role "proxy"); shared with the registrar. */
  auth: DigestAuthenticator;
  log: Logger;
}

export interface CallProxyOptions {
  /** How long a phone may ring before its branch is cancelled (Timer C; default 181 s). */
  ringTimeoutSec?: number;
  /** Simultaneous calls before new ones get 503 (default 200). */
  maxCalls?: number;
  /** A call with no in-dialog request for this long is forgotten (default 12 h). */
  callIdleSec?: number;
}

export type { CallView, CallState } from "./call-table.js";

/** Requests that only make sense inside a dialog hearth relays. */
const IN_DIALOG_METHODS = ["BYE", "UPDATE", "INFO", "PRACK"] as const;

/**
 * The stateful call proxy (RFC 3261 §16) between the phones of configured extensions: an
 * INVITE from an authenticated extension rings every registered contact of the called one in
 * parallel, with hearth in the Record-Route so ACK, BYE, re-INVITE, UPDATE and INFO come back
 * through it. Signalling only: bodies (SDP) pass untouched and media flows phone to phone.
 */
export class CallProxy {
  readonly #endpoint: SipEndpoint;
  readonly #registrar: Registrar;
  readonly #auth: DigestAuthenticator;
  readonly #log: Logger;
  readonly #ringTimeoutMs: number;
  readonly #calls: CallTable;
  /** INVITEs still waiting for a final answer, by Call-ID and branch, for CANCEL. */
  readonly #pending = new Map<string, RequestRelay>();
  #unhooks: (() => void)[] = [];

  constructor(deps: CallProxyDeps, options: CallProxyOptions = {}) {
    this.#endpoint = deps.endpoint;
    this.#registrar = deps.registrar;
    this.#auth = deps.auth;
    this.#log = deps.log;
    this.#ringTimeoutMs = (options.ringTimeoutSec ?? 181) * 1000;
    this.#calls = new CallTable({
      maxCalls: options.maxCalls,
      idleMs: options.callIdleSec === undefined ? undefined : options.callIdleSec * 1000,
    });
  }

  /** Starts handling INVITE, ACK, CANCEL and the in-dialog methods on the endpoint. */
  start(): Promise<void> {
    const on = (method: string, handler: (r: SipRequest, remote: SipRemote) => void) =>
      this.#unhooks.push(this.#endpoint.onRequest(method, handler));
    on("INVITE", (r, remote) => this.#onInvite(r, remote));
    on("ACK", (r) => this.#onAck(r));
    on("CANCEL", (r) => this.#onCancel(r));
    for (const method of IN_DIALOG_METHODS) on(method, (r) => this.#relayInDialog(r));
    return Promise.resolve();
  }

  /** Stops handling requests and forgets calls; the endpoint's stop ends their transactions. */
  stop(): Promise<void> {
    for (const unhook of this.#unhooks) unhook();
    this.#unhooks = [];
    for (const relay of this.#pending.values()) relay.dispose();
    this.#pending.clear();
    this.#calls.clear();
    return Promise.resolve();
  }

  /** Calls in progress, for the dashboard. */
  calls(): CallView[] {
    return this.#calls.list();
  }

  get #self(): ProxyAddress {
    return { host: this.#endpoint.advertisedHost, port: this.#endpoint.port };
  }

  /**
   * RFC 3261 §16.3 request validation shared by every relayed request: Max-Forwards (483 at 0)
   * and loops (482). Returns the Max-Forwards to decrement, or undefined after answering.
   */
  #validate(request: SipRequest): number | undefined {
    const maxForwards = readMaxForwards(request);
    if (maxForwards === undefined) {
      this.#endpoint.reply(request, 400, "Bad Request (Max-Forwards)");
    } else if (maxForwards === 0) {
      this.#endpoint.reply(request, 483, "Too Many Hops");
    } else if (hasOwnVia(request, this.#self)) {
      this.#endpoint.reply(request, 482, "Loop Detected");
    } else {
      return maxForwards;
    }
    return undefined;
  }

  #onInvite(request: SipRequest, remote: SipRemote): void {
    if (tagOf(request.headers.to) !== undefined) {
      this.#relayInDialog(request);
      return;
    }
    const maxForwards = this.#validate(request);
    if (maxForwards === undefined) return;
    const caller = this.#auth.authenticate(request, remote, "proxy");
    if (caller === undefined) return;
    // The authenticated extension may only call as itself.
    if (userOf(request.headers.from.uri) !== caller.number) {
      this.#endpoint.reply(request, 403, "Forbidden (From is not the authenticated extension)");
      return;
    }
    const called = userOf(request.uri);
    if (called === undefined || this.#auth.extension(called) === undefined) {
      this.#endpoint.reply(request, 404, "Not Found");
      return;
    }
    const targets: RelayTarget[] = this.#registrar
      .contacts(called)
      .map((b) => ({ uri: b.contact, remote: { ...b.source } }));
    if (targets.length === 0) {
      this.#endpoint.reply(request, 480, "Temporarily Unavailable");
      return;
    }
    const callerTag = tagOf(request.headers.from);
    if (callerTag === undefined) {
      this.#endpoint.reply(request, 400, "Bad Request (From has no tag)");
      return;
    }
    const callId = request.headers["call-id"];
    if (this.#calls.has(callId)) {
      // The same call arriving again on another branch: a merged request (RFC 3261 §8.2.2.2).
      this.#endpoint.reply(request, 482, "Loop Detected (merged request)");
      return;
    }
    if (!this.#calls.add({ callId, from: caller.number, to: called, callerTag, caller: remote })) {
      this.#endpoint.reply(request, 503, "Service Unavailable (too many calls)");
      return;
    }
    this.#log.info({ from: caller.number, to: called, phones: targets.length }, "a call started");
    this.#endpoint.reply(request, 100, "Trying");
    this.#relay(request, targets, maxForwards, remote, this.#inviteEvents(request));
  }

  /** How an initial INVITE's answers change the call table. */
  #inviteEvents(request: SipRequest): RelayEvents {
    const callId = request.headers["call-id"];
    return {
      onProvisional: (response, target) => {
        const toTag = response.headers.to && tagOf(response.headers.to);
        // An early dialog (RFC 3261 §12.1): UPDATE and PRACK may follow before the answer.
        if (toTag !== undefined) this.#calls.addCallee(callId, toTag, target.remote);
        if (response.status !== 100) this.#calls.setState(callId, "ringing");
      },
      onAnswered: (response, target) => {
        const toTag = response.headers.to && tagOf(response.headers.to);
        if (toTag !== undefined) this.#calls.addCallee(callId, toTag, target.remote);
        this.#calls.setState(callId, "answered");
        this.#log.info({ callId }, "a call was answered");
      },
      onFailed: (response) => {
        this.#calls.remove(callId);
        this.#log.info({ callId, status: response.status }, "a call ended unanswered");
      },
    };
  }

  /**
   * ACK, BYE, re-INVITE, UPDATE, INFO and PRACK of a dialog hearth set up. They are not
   * challenged: the dialog (Call-ID and both tags) is the credential, and anything that does not
   * match one gets 481.
   */
  #relayInDialog(request: SipRequest): void {
    const maxForwards = this.#validate(request);
    if (maxForwards === undefined) return;
    const callId = request.headers["call-id"];
    const target = this.#calls.peerOf(
      callId,
      tagOf(request.headers.from),
      tagOf(request.headers.to),
    );
    if (target === undefined) {
      this.#endpoint.reply(request, 481, "Call/Transaction Does Not Exist");
      return;
    }
    if (request.method === "INVITE") this.#endpoint.reply(request, 100, "Trying");
    const events: RelayEvents =
      request.method === "BYE"
        ? {
            onAnswered: () => this.#endCall(callId, "a call ended"),
            onFailed: (r) => {
              if (r.status === 481 || r.status === 408) this.#endCall(callId, "a call ended");
            },
          }
        : {};
    const routes = routesAfterUs(request, this.#self);
    this.#relay(
      request,
      [{ uri: String(request.uri), remote: target }],
      maxForwards,
      undefined,
      events,
      routes,
    );
  }

  #endCall(callId: string, message: string): void {
    if (!this.#calls.has(callId)) return;
    this.#calls.remove(callId);
    this.#log.info({ callId }, message);
  }

  /**
   * Sends copies of `request` to `targets` and relays the answers. `inbound` is set for an
   * initial INVITE, which gets our Record-Route; in-dialog requests keep their route set.
   */
  #relay(
    request: SipRequest,
    targets: RelayTarget[],
    maxForwards: number,
    inbound: SipRemote | undefined,
    events: RelayEvents,
    routes: SipAddress[] = [],
  ): void {
    const key = pendingKey(request);
    const isInvite = request.method === "INVITE";
    const done = () => {
      if (key !== undefined && this.#pending.get(key) === relay) this.#pending.delete(key);
    };
    const relay = new RequestRelay(
      this.#endpoint,
      request,
      targets,
      {
        onProvisional: events.onProvisional,
        onAnswered: (response, target) => {
          done();
          events.onAnswered?.(response, target);
        },
        onFailed: (response) => {
          done();
          relay.dispose();
          events.onFailed?.(response);
        },
      },
      this.#ringTimeoutMs,
    );
    if (isInvite && key !== undefined) this.#pending.set(key, relay);
    relay.start((target) => {
      const headers = forwardedHeaders(request, maxForwards, routes, this.#auth.realm);
      if (inbound !== undefined) {
        const existing = Array.isArray(request.headers["record-route"])
          ? request.headers["record-route"]
          : [];
        headers["record-route"] = [
          ...recordRoutes(this.#self, inbound.protocol, target.remote.protocol),
          ...existing,
        ];
      }
      return { method: request.method, uri: target.uri, headers, content: request.content };
    });
  }

  /** An ACK for a 2xx: end to end, relayed statelessly along the dialog (§16.11). */
  #onAck(request: SipRequest): void {
    const maxForwards = readMaxForwards(request);
    if (maxForwards === undefined || maxForwards === 0 || hasOwnVia(request, this.#self)) return;
    const target = this.#calls.peerOf(
      request.headers["call-id"],
      tagOf(request.headers.from),
      tagOf(request.headers.to),
    );
    if (target === undefined) {
      // No answer is possible to an ACK; one for a dialog we do not know is simply dropped.
      this.#log.debug({ callId: request.headers["call-id"] }, "dropped an ACK for no known call");
      return;
    }
    const routes = routesAfterUs(request, this.#self);
    this.#endpoint.sendStateless(
      forwardedAck(request, target, this.#self, maxForwards, routes, this.#auth.realm),
      target,
    );
  }

  /** The caller's CANCEL: answered here, and passed on to every branch still ringing (§16.10). */
  #onCancel(request: SipRequest): void {
    const key = pendingKey(request);
    const relay = key === undefined ? undefined : this.#pending.get(key);
    if (relay === undefined || relay.isFinished) {
      this.#endpoint.reply(request, 481, "Call/Transaction Does Not Exist");
      return;
    }
    this.#endpoint.reply(request, 200, "OK");
    relay.cancel();
  }
}

/** An INVITE and its CANCEL share Call-ID and top Via branch (RFC 3261 §9.2). */
function pendingKey(request: SipRequest): string | undefined {
  const branch = request.headers.via[0]?.params.branch;
  if (typeof branch !== "string" || branch === "") return undefined;
  return `${request.headers["call-id"]} ${branch}`;
}
