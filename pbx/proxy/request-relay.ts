import type { SipMessageData } from "sip";
import type { OutgoingRequest, SipEndpoint } from "../sip/sip-endpoint.js";
import type { SipRequest } from "../sip/sip-message.js";
import type { SipRemote } from "../sip/sip-transport.js";
import { asForwardable, bestResponse } from "./best-response.js";

/** One place to send a copy of the request: a Request-URI and the address to send it to. */
export interface RelayTarget {
  uri: string;
  remote: SipRemote;
}

/** What the proxy learns while a request is relayed; every hook is optional. */
export interface RelayEvents {
  /** A 101–199 from a branch, already forwarded to the caller. */
  onProvisional?(response: SipMessageData, target: RelayTarget): void;
  /** A 2xx from a branch (each branch's first), already forwarded. */
  onAnswered?(response: SipMessageData, target: RelayTarget): void;
  /** Every branch failed; `response` is what the caller got. */
  onFailed?(response: SipMessageData): void;
}

interface Branch {
  target: RelayTarget;
  /** The request as sent, for building its CANCEL. */
  sent: SipMessageData | undefined;
  hasProvisional: boolean;
  final: SipMessageData | undefined;
  /** A CANCEL waits for the branch's first provisional response (RFC 3261 §9.1). */
  isCancelWanted: boolean;
  isCancelled: boolean;
  /** Timer C (§16.6 step 11): how long a ringing branch may ring. */
  ringTimer: NodeJS.Timeout | undefined;
}

/**
 * The response context of one relayed request (RFC 3261 §16.4–16.10): copies of `request` go
 * to every target in parallel; provisional answers and every 2xx go back at once, the first 2xx
 * cancels the other branches, and when all branches failed the best failure goes back.
 * Non-INVITE requests (BYE, UPDATE, INFO) have a single target and no CANCEL.
 */
export class RequestRelay {
  readonly #endpoint: SipEndpoint;
  readonly #request: SipRequest;
  readonly #events: RelayEvents;
  readonly #ringTimeoutMs: number;
  readonly #branches: Branch[];
  #isAnswered = false;
  #isFinished = false;

  constructor(
    endpoint: SipEndpoint,
    request: SipRequest,
    targets: readonly RelayTarget[],
    events: RelayEvents,
    ringTimeoutMs: number,
  ) {
    this.#endpoint = endpoint;
    this.#request = request;
    this.#events = events;
    this.#ringTimeoutMs = ringTimeoutMs;
    this.#branches = targets.map((target) => ({
      target,
      sent: undefined,
      hasProvisional: false,
      final: undefined,
      isCancelWanted: false,
      isCancelled: false,
      ringTimer: undefined,
    }));
  }

  /** True once the caller has its final answer. */
  get isFinished(): boolean {
    return this.#isFinished;
  }

  /** Sends a copy built by `build` to each target. */
  start(build: (target: RelayTarget) => OutgoingRequest): void {
    for (const branch of this.#branches) {
      branch.sent = this.#endpoint.forwardRequest(build(branch.target), branch.target.remote, (r) =>
        this.#onResponse(branch, r),
      );
    }
  }

  /** Cancels every branch still pending (the caller's CANCEL, or hearth stopping). */
  cancel(): void {
    for (const branch of this.#branches) this.#cancel(branch);
  }

  /** Forgets the timers; transactions end on their own. */
  dispose(): void {
    for (const branch of this.#branches) clearTimeout(branch.ringTimer);
  }

  #onResponse(branch: Branch, response: SipMessageData): void {
    const status = response.status ?? 0;
    if (status < 200) this.#onProvisional(branch, response);
    else if (status < 300) this.#on2xx(branch, response);
    else this.#onFailure(branch, response);
  }

  #onProvisional(branch: Branch, response: SipMessageData): void {
    if (branch.final !== undefined) return;
    branch.hasProvisional = true;
    if (branch.isCancelWanted) this.#cancel(branch);
    // 100 Trying is hop-by-hop: we sent our own (§16.7 step 5).
    if ((response.status ?? 0) === 100) return;
    if (this.#request.method === "INVITE" && !branch.isCancelled) {
      clearTimeout(branch.ringTimer);
      branch.ringTimer = setTimeout(() => this.#cancel(branch), this.#ringTimeoutMs);
      branch.ringTimer.unref();
    }
    if (this.#isFinished) return;
    this.#endpoint.forwardResponse(this.#request, response);
    this.#events.onProvisional?.(response, branch.target);
  }

  #on2xx(branch: Branch, response: SipMessageData): void {
    // Every 2xx goes up, retransmissions included: only the caller can ACK it (RFC 6026 §8.3).
    this.#endpoint.forwardResponse(this.#request, response);
    if (branch.final !== undefined) return;
    branch.final = response;
    clearTimeout(branch.ringTimer);
    this.#isFinished = true;
    const isFirst = !this.#isAnswered;
    this.#isAnswered = true;
    this.#events.onAnswered?.(response, branch.target);
    if (isFirst) for (const other of this.#branches) if (other !== branch) this.#cancel(other);
  }

  #onFailure(branch: Branch, response: SipMessageData): void {
    if (branch.final !== undefined) return;
    branch.final = response;
    clearTimeout(branch.ringTimer);
    // A 6xx is a decline from the callee as a whole: stop ringing its other phones (§16.7 step 5).
    if (Math.floor((response.status ?? 0) / 100) === 6) this.cancel();
    if (this.#isFinished || this.#branches.some((b) => b.final === undefined)) return;
    this.#isFinished = true;
    const chosen = bestResponse(this.#branches.map((b) => b.final!));
    const forwarded = asForwardable(chosen ?? response);
    this.#endpoint.forwardResponse(this.#request, forwarded);
    this.#events.onFailed?.(forwarded);
  }

  /** Sends a CANCEL for one INVITE branch, now or after its first provisional response. */
  #cancel(branch: Branch): void {
    clearTimeout(branch.ringTimer);
    const sent = branch.sent;
    if (this.#request.method !== "INVITE" || sent === undefined) return;
    if (branch.final !== undefined || branch.isCancelled) return;
    if (!branch.hasProvisional) {
      branch.isCancelWanted = true;
      return;
    }
    branch.isCancelled = true;
    const { to, from, cseq, route } = sent.headers;
    const branchId = sent.headers.via?.[0]?.params.branch;
    if (to === undefined || from === undefined || cseq === undefined || !branchId) return;
    // RFC 3261 §9.1: same Request-URI, Call-ID, To, From, CSeq number and Route as the INVITE,
    // and our Via with the INVITE's branch so the phone matches it to the INVITE.
    const cancel: OutgoingRequest = {
      method: "CANCEL",
      uri: typeof sent.uri === "string" ? sent.uri : branch.target.uri,
      headers: {
        to,
        from,
        "call-id": sent.headers["call-id"],
        cseq: { seq: cseq.seq, method: "CANCEL" },
        "max-forwards": "70",
        ...(route === undefined ? {} : { route }),
      },
      branch: branchId,
    };
    this.#endpoint.forwardRequest(cancel, branch.target.remote, () => {
      // The CANCEL's own answer changes nothing: the INVITE branch answers 487 (or 200 if the
      // phone was quicker), and that is what the relay acts on.
    });
  }
}
