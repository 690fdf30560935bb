import type { SipAddress, SipCSeq, SipHeaders, SipMessageData, SipVia } from "sip";

/**
 * Real messages never need more: Max-Forwards starts at 70, so a request that crossed more than
 * 70 hops (and picked up a Via at each) is a loop or an attack.
 */
const MAX_VIAS = 70;
/** CSeq is a 32-bit unsigned integer that must stay below 2^31 (RFC 3261 §8.1.1.5). */
const MAX_CSEQ = 2 ** 31 - 1;
/** RFC 3261 token characters, the method name grammar. */
const TOKEN = /^[A-Za-z0-9.!%*_+`'~-]{1,32}$/;

/** Headers every checked message is guaranteed to carry (RFC 3261 §8.1.1). */
export interface CheckedHeaders extends SipHeaders {
  via: SipVia[];
  to: SipAddress & { uri: string };
  from: SipAddress & { uri: string };
  cseq: SipCSeq;
  "call-id": string;
}

/** A request whose mandatory headers were checked; safe to hand to the transaction layer. */
export interface SipRequest extends SipMessageData {
  method: string;
  uri: string;
  headers: CheckedHeaders;
}

/** A response whose mandatory headers were checked. */
export interface SipResponse extends SipMessageData {
  status: number;
  reason: string;
  headers: CheckedHeaders;
}

export type SipMessage = SipRequest | SipResponse;

/**
 * Why a parsed message was refused. `replyable` is true when the request is sound enough to
 * answer 400 (Via, From, To, Call-ID and CSeq are usable); otherwise the only safe thing is to
 * drop it.
 */
export interface MessageProblem {
  problem: string;
  replyable: boolean;
}

export function isRequest(message: SipMessage): message is SipRequest {
  return typeof (message as SipRequest).method === "string";
}

/**
 * Checks what the `sip` parser produced from network bytes. The parser is lenient: it skips
 * headers it cannot parse and leaves whatever it found, so a message may lack Via or carry a
 * CSeq of `NaN`. Everything past the transport relies on this check instead of re-testing.
 */
export function checkMessage(raw: SipMessageData): SipMessage | MessageProblem {
  const core = checkCoreHeaders(raw.headers);
  if (typeof core === "string") return { problem: core, replyable: false };

  const length = raw.headers["content-length"];
  if (length !== undefined && !(Number.isSafeInteger(length) && length >= 0)) {
    return { problem: "Content-Length is not a non-negative integer", replyable: true };
  }

  if (raw.method !== undefined) {
    if (!TOKEN.test(raw.method)) return { problem: "bad method", replyable: false };
    if (typeof raw.uri !== "string" || raw.uri.length === 0) {
      return { problem: "no Request-URI", replyable: false };
    }
    if (core.cseq.method !== raw.method) {
      return { problem: "CSeq method differs from the request method", replyable: true };
    }
    return raw as SipRequest;
  }

  if (!(Number.isInteger(raw.status) && raw.status! >= 100 && raw.status! <= 699)) {
    return { problem: "bad status code", replyable: false };
  }
  if (typeof raw.reason !== "string") raw.reason = "";
  return raw as SipResponse;
}

/** The mandatory headers, or a sentence saying which one is missing or broken. */
function checkCoreHeaders(headers: SipHeaders | undefined): CheckedHeaders | string {
  if (headers === null || typeof headers !== "object") return "no headers";
  const { via, to, from, cseq } = headers;
  if (!Array.isArray(via) || via.length === 0) return "no usable Via";
  if (via.length > MAX_VIAS) return `more than ${MAX_VIAS} Via entries`;
  if (!via.every(isVia)) return "a Via entry is broken";
  if (!isAddress(to)) return "no usable To";
  if (!isAddress(from)) return "no usable From";
  const callId = headers["call-id"];
  if (typeof callId !== "string" || callId.length === 0) return "no Call-ID";
  if (
    cseq === null ||
    typeof cseq !== "object" ||
    !Number.isSafeInteger(cseq.seq) ||
    cseq.seq < 0 ||
    cseq.seq > MAX_CSEQ ||
    typeof cseq.method !== "string" ||
    !TOKEN.test(cseq.method)
  ) {
    return "no usable CSeq";
  }
  return headers as CheckedHeaders;
}

function isVia(via: unknown): via is SipVia {
  if (via === null || typeof via !== "object") return false;
  const v = via as Partial<SipVia>;
  return (
    typeof v.protocol === "string" &&
    typeof v.host === "string" &&
    v.host.length > 0 &&
    v.params !== null &&
    typeof v.params === "object" &&
    // A `;__proto__` Via param makes the parser give `params` a null prototype; code (the
    // library's own UDP transport included) that calls params.hasOwnProperty would then throw.
    Object.getPrototypeOf(v.params) === Object.prototype
  );
}

function isAddress(address: unknown): address is SipAddress & { uri: string } {
  if (address === null || typeof address !== "object") return false;
  const a = address as Partial<SipAddress>;
  return (
    typeof a.uri === "string" &&
    a.uri.length > 0 &&
    a.params !== null &&
    typeof a.params === "object" &&
    Object.getPrototypeOf(a.params) === Object.prototype
  );
}
