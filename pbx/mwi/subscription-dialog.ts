import sip, { type SipAddress } from "sip";
import type { OutgoingRequest } from "../sip/sip-endpoint.js";
import type { SipRemote } from "../sip/sip-transport.js";
import { MESSAGE_SUMMARY_EVENT, MESSAGE_SUMMARY_TYPE } from "./message-summary.js";

/**
 * The notifier's side of one message-summary subscription: a SIP dialog (RFC 3261 §12.1.1, we
 * are its UAS) plus the subscription's expiry. Kept in memory only: after a hearth restart the
 * phones' refreshes get 481 and they subscribe again (RFC 6665 §4.1.2.2).
 */
export interface SubscriptionDialog {
  /** The subscriber: the authenticated extension, also the mailbox owner. */
  readonly extension: string;
  readonly callId: string;
  /** Our tag: the To tag of our 200 and the From tag of every NOTIFY. */
  readonly localTag: string;
  readonly remoteTag: string;
  /** The SUBSCRIBE's To and From addresses, which become From and To of our NOTIFYs. */
  readonly localAddress: SipAddress;
  readonly remoteAddress: SipAddress;
  /** Highest CSeq seen from the subscriber; refreshes must go above it (RFC 3261 §12.2.2). */
  remoteCseq: number;
  /** CSeq of our last NOTIFY in this dialog. */
  localCseq: number;
  /** The subscriber's Contact, the Request-URI of our NOTIFYs; a refresh may move it. */
  remoteTarget: string;
  readonly routeSet: readonly SipAddress[];
  readonly eventId: string | undefined;
  /** Where the last SUBSCRIBE came from: NATed and TCP phones are reached there. */
  source: SipRemote;
  /** Our Contact URI for this dialog (the SUBSCRIBE answer and every NOTIFY carry it). */
  readonly localContact: string;
  expiresAt: number;
}

/** The Subscription-State a NOTIFY reports (RFC 6665 §8.2.3). */
export type SubscriptionStateHeader =
  | { state: "active"; expiresSec: number }
  | { state: "terminated"; reason: "timeout" | "deactivated" | "noresource" };

/** How a subscription is found again: Call-ID and both tags (RFC 3261 §12). */
export function dialogKey(callId: string, remoteTag: string, localTag: string): string {
  return `${callId}\n${remoteTag}\n${localTag}`;
}

/** The next NOTIFY of `dialog`, carrying `body`; increments the dialog's local CSeq. */
export function nextNotify(
  dialog: SubscriptionDialog,
  subscriptionState: SubscriptionStateHeader,
  body: string,
): OutgoingRequest {
  dialog.localCseq += 1;
  const stateValue =
    subscriptionState.state === "active"
      ? `active;expires=${subscriptionState.expiresSec}`
      : `terminated;reason=${subscriptionState.reason}`;
  return {
    method: "NOTIFY",
    uri: dialog.remoteTarget,
    headers: {
      to: {
        ...dialog.remoteAddress,
        params: { ...dialog.remoteAddress.params, tag: dialog.remoteTag },
      },
      from: {
        ...dialog.localAddress,
        params: { ...dialog.localAddress.params, tag: dialog.localTag },
      },
      "call-id": dialog.callId,
      cseq: { seq: dialog.localCseq, method: "NOTIFY" },
      ...(dialog.routeSet.length > 0 ? { route: [...dialog.routeSet] } : {}),
      contact: [{ uri: dialog.localContact, params: {} }],
      event:
        dialog.eventId === undefined
          ? MESSAGE_SUMMARY_EVENT
          : `${MESSAGE_SUMMARY_EVENT};id=${dialog.eventId}`,
      "subscription-state": stateValue,
      "content-type": MESSAGE_SUMMARY_TYPE,
    },
    content: body,
  };
}

/**
 * Where a NOTIFY of `dialog` goes: the first hop of the route set when there is one (loose
 * routing, RFC 3261 §12.2.1.1), otherwise back to where the SUBSCRIBE came from (symmetric
 * response routing, RFC 3581 — a phone behind NAT, or on TCP, is reachable only there).
 */
export function notifyDestination(dialog: SubscriptionDialog): SipRemote {
  const firstRoute = dialog.routeSet[0];
  if (firstRoute === undefined) return dialog.source;
  const uri = sip.parseUri(firstRoute.uri);
  if (uri === undefined) return dialog.source;
  const transport = typeof uri.params.transport === "string" ? uri.params.transport : "udp";
  return {
    protocol: transport.toLowerCase() === "tcp" ? "TCP" : "UDP",
    address: uri.host.replace(/^\[|\]$/g, ""),
    port: Number.isInteger(uri.port) && uri.port > 0 ? uri.port : 5060,
  };
}
