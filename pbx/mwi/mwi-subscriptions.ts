import type { Logger } from "pino";
import sip from "sip";
import type { DigestAuthenticator } from "../digest-auth/digest-authenticator.js";
import type { SipEndpoint } from "../sip/sip-endpoint.js";
import type { SipRequest } from "../sip/sip-message.js";
import type { SipRemote } from "../sip/sip-transport.js";
import type { MailboxState } from "../voicemail/voicemail-source.js";
import { isLampOn, MESSAGE_SUMMARY_EVENT, messageSummaryBody } from "./message-summary.js";
import type { NotifyResultSink } from "./notify-result.js";
import { CoalescingSender } from "./coalescing-sender.js";
import { readSubscribe, type SubscribeAsk, type SubscriptionLimits } from "./subscribe-request.js";
import {
  dialogKey,
  nextNotify,
  notifyDestination,
  type SubscriptionDialog,
  type SubscriptionStateHeader,
} from "./subscription-dialog.js";
import { randomHex } from "../sip/random-hex.js";

export interface MwiSubscriptionsDeps {
  endpoint: SipEndpoint;
  auth: DigestAuthenticator;
  log: Logger;
  /** The lamp state an extension should show now; undefined for an extension not configured. */
  stateOf: (extension: string) => MailboxState | undefined;
  onResult: NotifyResultSink;
}

export interface MwiSubscriptionsOptions {
  domain: string;
  limits: SubscriptionLimits;
  /** A new subscription beyond this drops the extension's oldest (a phone restarted many times). */
  maxPerExtension: number;
}

/** setTimeout's longest delay; longer subscriptions re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * RFC 3842 message-summary subscriptions (RFC 6665 notifier): answers SUBSCRIBE, keeps each
 * subscription's dialog in memory, NOTIFYs the current state at once, on `notify()` and at the
 * end. An extension may subscribe only to its own mailbox.
 */
export class MwiSubscriptions {
  readonly #deps: MwiSubscriptionsDeps;
  readonly #options: MwiSubscriptionsOptions;
  readonly #dialogs = new Map<string, { dialog: SubscriptionDialog; timer: NodeJS.Timeout }>();
  readonly #sender = new CoalescingSender();
  #unhook: (() => void) | undefined;

  constructor(deps: MwiSubscriptionsDeps, options: MwiSubscriptionsOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  start(): void {
    this.#unhook = this.#deps.endpoint.onRequest("SUBSCRIBE", (request, remote) =>
      this.#onSubscribe(request, remote),
    );
  }

  /**
   * Stops answering SUBSCRIBE, ends every subscription with a terminating NOTIFY
   * (`deactivated`: RFC 6665 §4.1.3 lets the phone subscribe again at once, which is what we
   * want when hearth restarts) and waits up to `waitMs` for the phones to answer.
   */
  async stop(waitMs: number): Promise<void> {
    this.#unhook?.();
    this.#unhook = undefined;
    for (const { dialog, timer } of this.#dialogs.values()) {
      clearTimeout(timer);
      this.#end(dialog, "deactivated");
    }
    this.#dialogs.clear();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
    await Promise.race([this.#sender.idle(), deadline]);
    clearTimeout(timer);
  }

  /** Live subscriptions of one extension. */
  count(extension: string): number {
    let n = 0;
    for (const { dialog } of this.#dialogs.values()) if (dialog.extension === extension) n++;
    return n;
  }

  /** NOTIFYs every subscriber of `extension` with its current state (after a change). */
  notify(extension: string): void {
    for (const { dialog } of this.#dialogs.values())
      if (dialog.extension === extension) this.#sendActive(dialog);
  }

  #onSubscribe(request: SipRequest, remote: SipRemote): void {
    const { endpoint, auth } = this.#deps;
    const ask = readSubscribe(request, this.#options.limits);
    // Event first: a phone probing for presence or dialog packages learns that without a
    // challenge round-trip, and it reveals nothing an OPTIONS would not (RFC 6665 §8.3.2).
    if (ask.kind === "bad-event") {
      endpoint.reply(request, 489, "Bad Event", { "allow-events": MESSAGE_SUMMARY_EVENT });
      return;
    }
    const extension = auth.authenticate(request, remote, "registrar");
    if (extension === undefined) return;
    const wanted = sip.parseUri(request.uri)?.user;
    if (wanted !== extension.number || this.#deps.stateOf(wanted) === undefined) {
      endpoint.reply(request, 403, "Forbidden (only your own mailbox)");
      return;
    }
    if (ask.kind === "bad") {
      endpoint.reply(request, 400, `Bad Request (${ask.reason})`);
      return;
    }
    if (ask.kind === "too-brief") {
      endpoint.reply(request, 423, "Interval Too Brief", {
        "min-expires": String(this.#options.limits.minSec),
      });
      return;
    }
    const toTag = request.headers.to.params.tag;
    if (typeof toTag === "string" && toTag !== "")
      this.#refresh(request, remote, ask, toTag, extension.number);
    else this.#create(request, remote, ask, extension.number);
  }

  #create(request: SipRequest, remote: SipRemote, ask: SubscribeAsk, extension: string): void {
    const localTag = randomHex(6);
    const remoteTag = request.headers.from.params.tag;
    if (typeof remoteTag !== "string" || remoteTag === "") {
      this.#deps.endpoint.reply(request, 400, "Bad Request (From has no tag)");
      return;
    }
    // SipEndpoint.reply keeps a To tag the request already has and otherwise invents one it
    // does not tell us; setting ours first makes the 200 carry the tag our NOTIFYs will use.
    request.headers.to.params.tag = localTag;
    const dialog: SubscriptionDialog = {
      extension,
      callId: request.headers["call-id"],
      localTag,
      remoteTag,
      localAddress: { uri: request.headers.to.uri, params: {} },
      remoteAddress: { uri: request.headers.from.uri, params: {} },
      remoteCseq: request.headers.cseq.seq,
      localCseq: 0,
      remoteTarget: ask.remoteTarget,
      routeSet: ask.routeSet,
      eventId: ask.eventId,
      source: remote,
      localContact: this.#localContact(extension, remote),
      expiresAt: Date.now() + ask.expiresSec * 1000,
    };
    this.#answer(request, dialog, ask.expiresSec);
    if (ask.expiresSec === 0) {
      // RFC 6665 §4.4.3: a SUBSCRIBE with Expires 0 is a fetch: one NOTIFY with the state,
      // already terminated.
      this.#end(dialog, "timeout");
      return;
    }
    this.#evictBeyondLimit(extension);
    const key = dialogKey(dialog.callId, remoteTag, localTag);
    this.#dialogs.set(key, { dialog, timer: this.#arm(key, dialog) });
    this.#deps.log.debug({ extension, contact: dialog.remoteTarget }, "a phone subscribed to MWI");
    this.#sendActive(dialog);
  }

  #refresh(
    request: SipRequest,
    remote: SipRemote,
    ask: SubscribeAsk,
    localTag: string,
    extension: string,
  ): void {
    const { endpoint } = this.#deps;
    const remoteTag = String(request.headers.from.params.tag ?? "");
    const key = dialogKey(request.headers["call-id"], remoteTag, localTag);
    const entry = this.#dialogs.get(key);
    if (entry === undefined) {
      // Unknown or expired, or subscribed before a restart: the phone starts a new subscription.
      endpoint.reply(request, 481, "Subscription Does Not Exist");
      return;
    }
    const { dialog } = entry;
    // Call-ID and tags travel in clear text: knowing them must not let one extension refresh
    // or end another's subscription.
    if (dialog.extension !== extension) {
      endpoint.reply(request, 403, "Forbidden (only your own mailbox)");
      return;
    }
    if (request.headers.cseq.seq <= dialog.remoteCseq) {
      endpoint.reply(request, 500, "Server Internal Error (CSeq out of order)");
      return;
    }
    dialog.remoteCseq = request.headers.cseq.seq;
    dialog.remoteTarget = ask.remoteTarget;
    dialog.source = remote;
    dialog.expiresAt = Date.now() + ask.expiresSec * 1000;
    clearTimeout(entry.timer);
    this.#answer(request, dialog, ask.expiresSec);
    if (ask.expiresSec === 0) {
      this.#dialogs.delete(key);
      // RFC 6665 §4.2.1.4: an unsubscribe is answered with a final NOTIFY.
      this.#end(dialog, "timeout");
      return;
    }
    entry.timer = this.#arm(key, dialog);
    // RFC 6665 §4.2.1.2: every accepted SUBSCRIBE, a refresh too, is followed by a NOTIFY.
    this.#sendActive(dialog);
  }

  #answer(request: SipRequest, dialog: SubscriptionDialog, expiresSec: number): void {
    this.#deps.endpoint.reply(request, 200, "OK", {
      expires: String(expiresSec),
      contact: [{ uri: dialog.localContact, params: {} }],
    });
  }

  /** Our Contact for a new dialog; TCP subscribers are told to come back over TCP. */
  #localContact(extension: string, remote: SipRemote): string {
    const { endpoint } = this.#deps;
    const transport = remote.protocol === "TCP" ? ";transport=tcp" : "";
    return `sip:${extension}@${endpoint.advertisedHost}:${endpoint.port}${transport}`;
  }

  #evictBeyondLimit(extension: string): void {
    const mine = [...this.#dialogs.entries()]
      .filter(([, { dialog }]) => dialog.extension === extension)
      .sort(([, a], [, b]) => a.dialog.expiresAt - b.dialog.expiresAt);
    for (const [key, { timer }] of mine.slice(
      0,
      Math.max(0, mine.length + 1 - this.#options.maxPerExtension),
    )) {
      clearTimeout(timer);
      this.#dialogs.delete(key);
    }
  }

  #arm(key: string, dialog: SubscriptionDialog): NodeJS.Timeout {
    const delay = Math.min(Math.max(0, dialog.expiresAt - Date.now()), MAX_TIMER_MS);
    const timer = setTimeout(() => {
      const entry = this.#dialogs.get(key);
      if (entry?.dialog !== dialog) return;
      if (Date.now() < dialog.expiresAt) {
        entry.timer = this.#arm(key, dialog);
        return;
      }
      this.#dialogs.delete(key);
      this.#deps.log.debug({ extension: dialog.extension }, "an MWI subscription expired");
      this.#end(dialog, "timeout");
    }, delay);
    timer.unref();
    return timer;
  }

  #sendActive(dialog: SubscriptionDialog): void {
    this.#queue(dialog, () => {
      const remainingSec = Math.max(0, Math.round((dialog.expiresAt - Date.now()) / 1000));
      return { state: "active", expiresSec: remainingSec };
    });
  }

  /** Queues the terminating NOTIFY; the dialog is already out of the table. */
  #end(dialog: SubscriptionDialog, reason: "timeout" | "deactivated" | "noresource"): void {
    this.#queue(dialog, () => ({ state: "terminated", reason }));
  }

  /**
   * Sends a NOTIFY of the dialog once the previous one was answered; the state is read when it
   * is sent, so a burst of changes ends in one NOTIFY with the latest.
   */
  #queue(dialog: SubscriptionDialog, header: () => SubscriptionStateHeader): void {
    const key = dialogKey(dialog.callId, dialog.remoteTag, dialog.localTag);
    this.#sender.push(key, async () => {
      const state = this.#deps.stateOf(dialog.extension) ?? { new: 0, old: 0 };
      const subscriptionState = header();
      const body = messageSummaryBody(dialog.extension, this.#options.domain, state);
      const request = nextNotify(dialog, subscriptionState, body);
      const response = await this.#deps.endpoint.send(request, notifyDestination(dialog));
      const status = response.status ?? 0;
      this.#deps.onResult(dialog.extension, {
        at: Date.now(),
        via: "subscription",
        target: dialog.remoteTarget,
        status,
        reason: response.reason ?? "",
        lampOn: isLampOn(state),
      });
      // RFC 6665 §4.2.2: 481 means the phone forgot the subscription; a timeout means it is
      // gone. Either way stop notifying it; it will subscribe again when it comes back.
      if (subscriptionState.state === "active" && (status === 481 || status === 408))
        this.#drop(key, dialog);
    });
  }

  #drop(key: string, dialog: SubscriptionDialog): void {
    const entry = this.#dialogs.get(key);
    if (entry?.dialog !== dialog) return;
    clearTimeout(entry.timer);
    this.#dialogs.delete(key);
    this.#deps.log.debug(
      { extension: dialog.extension },
      "dropped an MWI subscription the phone no longer has",
    );
  }
}
