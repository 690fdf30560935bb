import sip, { type SipAddress, type SipUri } from "sip";
import type { SipRequest } from "../sip/sip-message.js";
import { MESSAGE_SUMMARY_EVENT } from "./message-summary.js";
import { readDeltaSeconds } from "../sip/delta-seconds.js";

/** Subscription durations from the notifier's options, in seconds. */
export interface SubscriptionLimits {
  minSec: number;
  maxSec: number;
  /** RFC 3842 §4.1: one hour when the SUBSCRIBE names none. */
  defaultSec: number;
}

/** What a SUBSCRIBE asks for, once its headers have been read. */
export interface SubscribeAsk {
  kind: "ok";
  /** Granted duration; 0 ends the subscription (or, on a new one, fetches the state once). */
  expiresSec: number;
  /** The Event header's `id` parameter, echoed in every NOTIFY (RFC 6665 §8.2.1). */
  eventId: string | undefined;
  /** The subscriber's Contact URI: the remote target of the dialog (RFC 3261 §12.1.1). */
  remoteTarget: string;
  /** Record-Route as received, the dialog's route set for a UAS (RFC 3261 §12.1.1). */
  routeSet: SipAddress[];
}

export type SubscribeRead =
  SubscribeAsk | { kind: "bad-event" } | { kind: "too-brief" } | { kind: "bad"; reason: string };

/** More Record-Route entries than this is not a household network. */
const MAX_ROUTES = 10;

/**
 * Reads Event, Expires, Contact and Record-Route of a SUBSCRIBE. Everything here came from the
 * network through a lenient parser, so each value's shape is checked before use.
 */
export function readSubscribe(request: SipRequest, limits: SubscriptionLimits): SubscribeRead {
  const event = readEvent(request.headers);
  if (event === undefined || event.package !== MESSAGE_SUMMARY_EVENT) return { kind: "bad-event" };

  const expires = readDeltaSeconds(request.headers.expires);
  if (expires === "bad") return { kind: "bad", reason: "Expires is not a number of seconds" };
  const asked = expires ?? limits.defaultSec;
  // RFC 6665 §4.2.1.1: shorter than we accept (but not 0) gets 423 with Min-Expires.
  if (asked > 0 && asked < limits.minSec) return { kind: "too-brief" };

  const contacts = request.headers.contact;
  const contact = Array.isArray(contacts) && contacts.length === 1 ? contacts[0] : undefined;
  const remoteTarget = typeof contact?.uri === "string" ? contact.uri : undefined;
  if (remoteTarget === undefined || remoteTarget.length > 512 || !isSipUri(remoteTarget))
    return { kind: "bad", reason: "SUBSCRIBE needs exactly one sip: Contact" };

  const routeSet = readRouteSet(request.headers["record-route"]);
  if (routeSet === undefined) return { kind: "bad", reason: "unreadable Record-Route" };

  return {
    kind: "ok",
    expiresSec: Math.min(asked, limits.maxSec),
    eventId: event.id,
    remoteTarget,
    routeSet,
  };
}

/**
 * The Event header (or its compact form `o`, RFC 6665 §8.2.1, which the `sip` package does not
 * expand) split into package and id. Package names are matched case-insensitively: some phones
 * send `Message-Summary`.
 */
function readEvent(headers: SipRequest["headers"]): { package: string; id?: string } | undefined {
  const value = headers.event ?? headers.o;
  if (typeof value !== "string") return undefined;
  const [name, ...params] = value.split(";").map((part) => part.trim());
  if (name === undefined || name === "") return undefined;
  const idParam = params.find((p) => /^id\s*=/i.test(p));
  const id = idParam?.replace(/^id\s*=\s*/i, "");
  return { package: name.toLowerCase(), ...(id ? { id } : {}) };
}

function isSipUri(uri: string): boolean {
  const parsed = sip.parseUri(uri);
  return parsed !== undefined && /^sips?$/i.test(parsed.schema) && parsed.host.length > 0;
}

/** Record-Route entries whose URIs parsed; undefined when any is broken. */
function readRouteSet(value: unknown): SipAddress[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_ROUTES) return undefined;
  const routes: SipAddress[] = [];
  for (const entry of value as unknown[]) {
    if (entry === null || typeof entry !== "object") return undefined;
    const { uri, params } = entry as Partial<SipAddress>;
    if (!isRouteUri(uri) || params === null || typeof params !== "object") return undefined;
    // A `;__proto__` parameter leaves `params` without Object.prototype; the stringifier's
    // `for…in` would still work, but nothing else should have to reason about such objects.
    if (Object.getPrototypeOf(params) !== Object.prototype) return undefined;
    routes.push({ uri, params });
  }
  return routes;
}

function isRouteUri(uri: unknown): uri is SipUri {
  if (uri === null || typeof uri !== "object") return false;
  const u = uri as Partial<SipUri>;
  return (
    typeof u.schema === "string" &&
    /^sips?$/i.test(u.schema) &&
    typeof u.host === "string" &&
    u.host.length > 0 &&
    u.params !== null &&
    typeof u.params === "object" &&
    Object.getPrototypeOf(u.params) === Object.prototype
  );
}
