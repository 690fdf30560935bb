import type { AmiMessage } from "./ami-message.js";

/** What the dashboard shows for one registered phone (or one that should be). */
export type ContactStatus = "reachable" | "unreachable" | "registered" | "unregistered" | "unknown";

export interface ContactView {
  /** PJSIP endpoint or chan_sip peer name, usually the extension number. */
  endpoint: string;
  /** Contact URI (PJSIP) or address (chan_sip); empty when not registered. */
  uri: string;
  status: ContactStatus;
  roundtripUsec?: number;
  userAgent?: string;
  driver: "pjsip" | "sip";
}

/** Bound on tracked contacts, so a confused peer cannot grow memory without limit. */
const MAX_CONTACTS = 2_000;

/**
 * Registration state from AMI: PJSIPShowContacts (ContactList) and ContactStatus events for
 * chan_pjsip; SIPpeers (PeerEntry) and PeerStatus events for chan_sip (gone since Asterisk 21, still
 * on older FreePBX). Lists replace the state after each login; events update it in between.
 */
export class RegistrationTracker {
  readonly #pjsip = new Map<string, ContactView>();
  readonly #sip = new Map<string, ContactView>();

  list(): ContactView[] {
    return [...this.#pjsip.values(), ...this.#sip.values()].sort((a, b) =>
      a.endpoint === b.endpoint ? a.uri.localeCompare(b.uri) : a.endpoint.localeCompare(b.endpoint),
    );
  }

  /** Replaces the chan_pjsip contacts with a PJSIPShowContacts answer. */
  replacePjsip(contactList: AmiMessage[]): void {
    this.#pjsip.clear();
    for (const e of contactList) {
      const endpoint = e.get("Endpoint");
      const uri = e.get("Uri");
      if (endpoint === undefined || uri === undefined) continue;
      const userAgent = e.get("UserAgent");
      this.#put(this.#pjsip, uri, {
        endpoint,
        uri,
        status: pjsipStatus(e.get("Status")),
        ...rtt(e.get("RoundtripUsec")),
        ...(userAgent ? { userAgent } : {}),
        driver: "pjsip",
      });
    }
  }

  /** Replaces the chan_sip peers with a SIPpeers answer. */
  replaceSip(peerEntries: AmiMessage[]): void {
    this.#sip.clear();
    for (const e of peerEntries) {
      const name = e.get("ObjectName");
      if (name === undefined) continue;
      const ip = e.get("IPaddress");
      const isRegistered = ip !== undefined && ip !== "-none-" && ip !== "";
      const status = e.get("Status") ?? "";
      const ok = /^OK \(([0-9]+) ms\)/.exec(status);
      this.#put(this.#sip, name, {
        endpoint: name,
        uri: isRegistered ? `${ip}:${e.get("IPport") ?? ""}` : "",
        status: !isRegistered ? "unregistered" : sipStatus(status),
        ...(ok?.[1] === undefined ? {} : { roundtripUsec: Number(ok[1]) * 1000 }),
        driver: "sip",
      });
    }
  }

  /** Applies a ContactStatus or PeerStatus event; true when something changed. */
  apply(event: AmiMessage): boolean {
    const name = event.event?.toLowerCase();
    if (name === "contactstatus") return this.#contactStatus(event);
    if (name === "peerstatus") return this.#peerStatus(event);
    return false;
  }

  #contactStatus(e: AmiMessage): boolean {
    const uri = e.get("URI");
    const endpoint = e.get("EndpointName") ?? e.get("AOR");
    const change = e.get("ContactStatus")?.toLowerCase();
    if (uri === undefined || endpoint === undefined || change === undefined) return false;
    if (change === "removed") return this.#pjsip.delete(uri);
    const before = this.#pjsip.get(uri);
    const status: ContactStatus =
      change === "created" || change === "updated"
        ? (before?.status ?? "registered")
        : pjsipStatus(change);
    this.#put(this.#pjsip, uri, {
      ...before,
      endpoint,
      uri,
      status,
      ...rtt(e.get("RoundtripUsec")),
      driver: "pjsip",
    });
    return true;
  }

  #peerStatus(e: AmiMessage): boolean {
    const peer = e.get("Peer")?.replace(/^SIP\//i, "");
    const change = e.get("PeerStatus")?.toLowerCase();
    if (peer === undefined || change === undefined) return false;
    const before = this.#sip.get(peer);
    const address = e.get("Address");
    const status: ContactStatus =
      change === "registered"
        ? "registered"
        : change === "unregistered" || change === "rejected"
          ? "unregistered"
          : change === "unreachable"
            ? "unreachable"
            : change === "reachable" || change === "lagged"
              ? "reachable"
              : "unknown";
    this.#put(this.#sip, peer, {
      endpoint: peer,
      uri: status === "unregistered" ? "" : (address ?? before?.uri ?? ""),
      status,
      driver: "sip",
    });
    return true;
  }

  #put(map: Map<string, ContactView>, key: string, view: ContactView): void {
    if (!map.has(key) && this.#pjsip.size + this.#sip.size >= MAX_CONTACTS) return;
    map.set(key, view);
  }
}

function pjsipStatus(text: string | undefined): ContactStatus {
  switch (text?.toLowerCase()) {
    case "reachable":
    case "avail":
      return "reachable";
    case "unreachable":
    case "unavail":
      return "unreachable";
    case "created":
    case "updated":
      return "registered";
    default:
      return "unknown";
  }
}

function sipStatus(text: string): ContactStatus {
  if (text.startsWith("OK") || text.startsWith("LAGGED")) return "reachable";
  if (text.startsWith("UNREACHABLE")) return "unreachable";
  if (text.startsWith("Unmonitored")) return "registered";
  return "unknown";
}

function rtt(text: string | undefined): { roundtripUsec?: number } {
  return text !== undefined && /^[0-9]{1,9}$/.test(text) ? { roundtripUsec: Number(text) } : {};
}
