import { randomBytes } from "node:crypto";
import sip, { type SipAddress, type SipHeaders, type SipMessageData, type SipVia } from "sip";
import type { SipRequest } from "../sip/sip-message.js";
import type { SipRemote } from "../sip/sip-transport.js";

/** Where hearth listens, as it writes itself into Via and Record-Route headers. */
export interface ProxyAddress {
  host: string;
  port: number;
}

/** RFC 3261 §16.6 step 3: the value a proxy starts from when a request carries none. */
const DEFAULT_MAX_FORWARDS = 70;

/**
 * The request's Max-Forwards as a number: 70 when absent (RFC 3261 §16.6 step 3), undefined when
 * it is not a small non-negative integer (the request gets 400).
 */
export function readMaxForwards(request: SipRequest): number | undefined {
  const value = request.headers["max-forwards"];
  if (value === undefined) return DEFAULT_MAX_FORWARDS;
  if (typeof value !== "string" || !/^\s*\d{1,3}\s*$/.test(value)) return undefined;
  return Number(value);
}

/** True when `uri` names this proxy (host and port, 5060 when the URI has none). */
export function isOwnUri(uri: SipAddress["uri"], self: ProxyAddress): boolean {
  const parsed = sip.parseUri(uri);
  if (parsed === undefined) return false;
  const port = Number.isNaN(parsed.port) ? 5060 : parsed.port;
  return parsed.host.toLowerCase() === self.host.toLowerCase() && port === self.port;
}

/**
 * True when a Via names this proxy. hearth only routes to phones, never to itself, so unlike a
 * general proxy it has no legitimate spirals: any own Via on an arriving request is a loop
 * (RFC 3261 §16.3 step 4).
 */
export function hasOwnVia(request: SipRequest, self: ProxyAddress): boolean {
  return request.headers.via.some(
    (via) => via.host.toLowerCase() === self.host.toLowerCase() && (via.port ?? 5060) === self.port,
  );
}

/** The Route set minus the leading entries that name us (RFC 3261 §16.4, loose routing). */
export function routesAfterUs(request: SipRequest, self: ProxyAddress): SipAddress[] {
  const routes = Array.isArray(request.headers.route) ? [...request.headers.route] : [];
  while (routes.length > 0 && isOwnUri(routes[0]!.uri, self)) routes.shift();
  return routes;
}

/** True when the first Route names us: the phone follows a route set we recorded. */
export function isRoutedToUs(request: SipRequest, self: ProxyAddress): boolean {
  const routes = request.headers.route;
  return Array.isArray(routes) && routes.length > 0 && isOwnUri(routes[0]!.uri, self);
}

/**
 * Our Record-Route entries for a request arriving over `inbound` and leaving over `outbound`.
 * With one transport one entry does; when they differ each side needs an entry with its own
 * transport (double Record-Route, RFC 5658 §3.2), the one facing the callee first.
 */
export function recordRoutes(
  self: ProxyAddress,
  inbound: SipRemote["protocol"],
  outbound: SipRemote["protocol"],
): SipAddress[] {
  const entry = (protocol: SipRemote["protocol"]): SipAddress => ({
    uri: `sip:${self.host}:${self.port};${protocol === "TCP" ? "transport=tcp;" : ""}lr`,
    params: {},
  });
  return inbound === outbound ? [entry(inbound)] : [entry(outbound), entry(inbound)];
}

/**
 * The headers of a request as it leaves us (RFC 3261 §16.6): the arriving Vias (the endpoint
 * puts ours on top), Route as given, Max-Forwards decremented, and our own realm's Proxy-Authorization
 * removed (it was for us, §22.3). Everything else, the body included, passes untouched.
 */
export function forwardedHeaders(
  request: SipRequest,
  maxForwards: number,
  routes: SipAddress[],
  ownRealm: string,
): SipHeaders & { to: SipAddress; from: SipAddress } {
  const headers: SipHeaders & { to: SipAddress; from: SipAddress } = { ...request.headers };
  headers.via = [...request.headers.via];
  delete headers["content-length"];
  headers["max-forwards"] = String(maxForwards - 1);
  if (routes.length > 0) headers.route = routes;
  else delete headers.route;
  const credentials = request.headers["proxy-authorization"];
  if (Array.isArray(credentials)) {
    const others = credentials.filter((c) => c.realm?.replace(/"/g, "") !== ownRealm);
    if (others.length > 0) headers["proxy-authorization"] = others;
    else delete headers["proxy-authorization"];
  }
  return headers;
}

/** A fresh RFC 3261 branch for a request sent without a transaction (an ACK for a 2xx). */
export function freshBranch(): string {
  return `z9hG4bK${randomBytes(9).toString("hex")}`;
}

/** An ACK for a 2xx relayed statelessly toward `target` with our Via on top (§16.11). */
export function forwardedAck(
  request: SipRequest,
  target: SipRemote,
  self: ProxyAddress,
  maxForwards: number,
  routes: SipAddress[],
  ownRealm: string,
): SipMessageData {
  const via: SipVia = {
    protocol: target.protocol,
    host: self.host,
    port: self.port,
    params: { branch: freshBranch() },
  };
  const headers = forwardedHeaders(request, maxForwards, routes, ownRealm);
  headers.via = [via, ...request.headers.via];
  return { method: "ACK", uri: request.uri, headers, content: request.content ?? "" };
}

/** The user part of a Request-URI or address: the extension being called or calling. */
export function userOf(uri: SipAddress["uri"] | undefined): string | undefined {
  if (uri === undefined) return undefined;
  return sip.parseUri(uri)?.user;
}

/** The tag parameter of a From or To, or undefined. */
export function tagOf(address: SipAddress): string | undefined {
  const tag = address.params.tag;
  return typeof tag === "string" && tag !== "" ? tag : undefined;
}
