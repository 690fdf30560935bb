import sip from "sip";
import type { SipRequest } from "../sip/sip-message.js";
import { readDeltaSeconds } from "../sip/delta-seconds.js";

/** Expiry rules from the registrar's config, in seconds. */
export interface ExpiryLimits {
  minSec: number;
  maxSec: number;
  defaultSec: number;
}

/** One Contact of a REGISTER with the expiry it asks for (0 = remove). */
export interface RequestedContact {
  uri: string;
  expiresSec: number;
}

/** What a REGISTER asks for (RFC 3261 §10.3 steps 6–8), or why it cannot be done. */
export type RegisterAction =
  | { kind: "list" }
  | { kind: "remove-all" }
  | { kind: "update"; contacts: RequestedContact[] }
  | { kind: "bad"; reason: string }
  | { kind: "too-brief" };

const MAX_CONTACTS_PER_REQUEST = 20;

/** Reads the Contact and Expires headers of an authenticated REGISTER. */
export function readRegister(request: SipRequest, limits: ExpiryLimits): RegisterAction {
  const headerExpires = readDeltaSeconds(request.headers.expires);
  if (headerExpires === "bad") return { kind: "bad", reason: "Expires is not a number of seconds" };
  const contacts = request.headers.contact;
  if (contacts === undefined) return { kind: "list" };
  if (!Array.isArray(contacts) || contacts.length === 0)
    return { kind: "bad", reason: "unreadable Contact" };
  // The `sip` parser reads `Contact: *` as a contact whose URI is "*".
  if (contacts.some((c) => c.uri === "*")) {
    // RFC 3261 §10.3 step 6: "*" only alone and only with Expires: 0.
    if (contacts.length !== 1 || headerExpires !== 0) {
      return { kind: "bad", reason: "Contact: * needs Expires: 0 and no other contact" };
    }
    return { kind: "remove-all" };
  }
  if (contacts.length > MAX_CONTACTS_PER_REQUEST)
    return { kind: "bad", reason: "too many contacts" };
  const requested: RequestedContact[] = [];
  for (const contact of contacts) {
    const uri = typeof contact.uri === "string" ? contact.uri : undefined;
    if (uri === undefined || uri.length > 512 || sip.parseUri(uri) === undefined) {
      return { kind: "bad", reason: "a Contact is not a sip: URI" };
    }
    const paramExpires = readDeltaSeconds(contact.params?.expires ?? undefined);
    if (paramExpires === "bad")
      return { kind: "bad", reason: "a Contact expires parameter is not a number" };
    const asked = paramExpires ?? headerExpires ?? limits.defaultSec;
    // RFC 3261 §10.3 step 7: too brief (but not 0) is refused with 423 and Min-Expires.
    if (asked > 0 && asked < limits.minSec) return { kind: "too-brief" };
    requested.push({ uri, expiresSec: Math.min(asked, limits.maxSec) });
  }
  return { kind: "update", contacts: requested };
}
