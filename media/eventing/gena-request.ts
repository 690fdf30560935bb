import type { IncomingHttpHeaders } from "node:http";

/** What the subscriber asked for in TIMEOUT; `undefined` when absent or unreadable (→ the default). */
export type RequestedTimeout = number | "infinite" | undefined;

/** A SUBSCRIBE or UNSUBSCRIBE, checked against UDA 1.0 §4.1. */
export type GenaRequest =
  | { kind: "subscribe"; callbacks: URL[]; timeout: RequestedTimeout }
  | { kind: "renew"; sid: string; timeout: RequestedTimeout }
  | { kind: "unsubscribe"; sid: string }
  | { kind: "refused"; status: 400 | 412; reason: string };

/** Longest callback URL accepted; a real one is `http://<ip>:<port>/<short path>`. */
export const MAX_CALLBACK_URL_CHARS = 512;
/** Longest CALLBACK header; more than a handful of URLs is not a control point. */
const MAX_CALLBACK_HEADER_CHARS = 2048;
const MAX_SID_CHARS = 128;

/**
 * Reads the GENA headers of a request. Never throws: a request that breaks the spec becomes
 * `refused` with the status UDA 1.0 gives for it (400 for SID mixed with NT/CALLBACK, 412 for a
 * missing or bad NT, CALLBACK or SID).
 */
export function parseGenaRequest(method: string, headers: IncomingHttpHeaders): GenaRequest {
  const sid = header(headers, "sid");
  const nt = header(headers, "nt");
  const callback = header(headers, "callback");
  const hasNtOrCallback = nt !== undefined || callback !== undefined;
  if (method === "UNSUBSCRIBE") {
    if (sid === undefined) return refused(412, "UNSUBSCRIBE without SID");
    if (hasNtOrCallback) return refused(400, "UNSUBSCRIBE with SID and NT or CALLBACK");
    return checkedSid(sid, (valid) => ({ kind: "unsubscribe", sid: valid }));
  }
  const timeout = parseTimeout(header(headers, "timeout"));
  if (sid !== undefined) {
    if (hasNtOrCallback) return refused(400, "SUBSCRIBE with SID and NT or CALLBACK");
    return checkedSid(sid, (valid) => ({ kind: "renew", sid: valid, timeout }));
  }
  if (nt !== "upnp:event") return refused(412, `NT is ${JSON.stringify(nt ?? null)}`);
  const callbacks = parseCallbacks(callback ?? "");
  if (callbacks.length === 0) return refused(412, "no usable http:// URL in CALLBACK");
  return { kind: "subscribe", callbacks, timeout };
}

/** "Second-1800" → 1800, "Second-infinite" → "infinite"; anything else → undefined. */
export function parseTimeout(value: string | undefined): RequestedTimeout {
  const match = /^Second-(\d{1,10}|infinite)$/i.exec(value ?? "");
  if (match === null) return undefined;
  const amount = match[1] ?? "";
  return amount.toLowerCase() === "infinite" ? "infinite" : Number(amount);
}

/**
 * The `<…>` URLs of a CALLBACK header that hearth could call: http only, an address and port,
 * no user info, not absurdly long. Order is kept (UDA: try them in order).
 */
export function parseCallbacks(value: string): URL[] {
  if (value.length > MAX_CALLBACK_HEADER_CHARS) return [];
  const urls: URL[] = [];
  for (const match of value.matchAll(/<([^<>]*)>/g)) {
    const text = (match[1] ?? "").trim();
    if (text.length > MAX_CALLBACK_URL_CHARS || !URL.canParse(text)) continue;
    const url = new URL(text);
    if (url.protocol !== "http:" || url.hostname === "") continue;
    if (url.username !== "" || url.password !== "") continue;
    urls.push(url);
  }
  return urls;
}

function checkedSid(sid: string, make: (sid: string) => GenaRequest): GenaRequest {
  // An unknown SID is 412 too (UDA 1.0 §4.1.2), so a malformed one needs no other answer.
  if (sid.length > MAX_SID_CHARS) return refused(412, "SID too long");
  return make(sid);
}

function refused(status: 400 | 412, reason: string): GenaRequest {
  return { kind: "refused", status, reason };
}

/** A header's trimmed value; an empty header counts as absent. Repeated headers arrive joined. */
function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const raw = headers[name];
  const value = (Array.isArray(raw) ? raw.join(", ") : (raw ?? "")).trim();
  return value === "" ? undefined : value;
}
