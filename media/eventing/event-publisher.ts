import { randomUUID } from "node:crypto";
import { realTimers, type EventTimers, type TimerHandle } from "./event-timers.js";
import type { RequestedTimeout } from "./gena-request.js";
import { NotifySender, type NotifyFailure } from "./notify-sender.js";
import type {
  EventedVariable,
  EventLog,
  EventPublisherOptions,
  GenaAnswer,
  GenaRefusal,
} from "./event-types.js";
import { NO_VALUES, propertySet, type EventValues } from "./property-set.js";
import {
  nextSeq,
  SubscriptionTable,
  type DropReason,
  type Subscription,
} from "./subscription-table.js";

/**
 * GENA publisher of one UPnP service (UDA 1.0 §4): its subscriptions, their initial events, and
 * NOTIFYs of changed variables. At most one NOTIFY per subscriber is in flight; changes meanwhile
 * merge into its next one, so memory per subscriber is bounded by the variables. With no
 * subscribers it holds no timer and `changed` does nothing.
 */
export class EventPublisher {
  readonly service: string;
  readonly #variables: ReadonlyMap<string, EventedVariable>;
  readonly #log: EventLog;
  readonly #timers: EventTimers;
  readonly #limits: Required<
    Omit<EventPublisherOptions, "service" | "variables" | "log" | "timers">
  >;
  readonly #table: SubscriptionTable;
  readonly #sender: NotifySender;
  /** Changes since the last flush, not yet handed to subscribers. */
  #pending: EventValues = NO_VALUES;
  #lastFlushAtMs = -Infinity;
  #flushTimer: TimerHandle | undefined;
  #notifiesInFlight = 0;
  readonly #refusedAddresses = new Set<string>();
  #isClosed = false;

  constructor(options: EventPublisherOptions) {
    this.service = options.service;
    this.#variables = new Map(options.variables.map((v) => [v.name, v]));
    this.#log = options.log;
    this.#timers = options.timers ?? realTimers;
    this.#limits = {
      moderationMs: options.moderationMs ?? 0,
      minTimeoutS: options.minTimeoutS ?? 60,
      maxTimeoutS: options.maxTimeoutS ?? 3600,
      defaultTimeoutS: options.defaultTimeoutS ?? 1800,
      maxSubscriptions: options.maxSubscriptions ?? 256,
      maxPerAddress: options.maxPerAddress ?? 16,
      maxFailures: options.maxFailures ?? 3,
      retryMs: options.retryMs ?? 2000,
      notifyTimeoutMs: options.notifyTimeoutMs ?? 5000,
    };
    this.#sender = new NotifySender(this.#limits.notifyTimeoutMs);
    this.#table = new SubscriptionTable({
      maxTotal: this.#limits.maxSubscriptions,
      maxPerAddress: this.#limits.maxPerAddress,
      timers: this.#timers,
      onDrop: (subscription, reason) => this.#dropped(subscription, reason),
    });
  }

  /** Live subscriptions (for health and tests). */
  get subscriberCount(): number {
    return this.#table.size;
  }

  /** NOTIFYs sent and not yet answered or failed (for health and tests). */
  get notifiesInFlight(): number {
    return this.#notifiesInFlight;
  }

  /**
   * A new subscription (SUBSCRIBE with NT and CALLBACK). `address` is the request's remote
   * address: only a callback on that host is used, so nobody can point hearth's NOTIFYs at a third
   * machine. Call `sendInitialEvent(sid)` once the 200 has been sent.
   */
  subscribe(callbacks: readonly URL[], address: string, timeout: RequestedTimeout): GenaAnswer {
    if (this.#isClosed) return { status: 503, reason: "shutting down" };
    const callback = callbacks.find((url) => hostAddress(url) === address);
    if (callback === undefined) {
      this.#logRefused(address, callbacks);
      return { status: 412, reason: "CALLBACK is not on the subscriber's address" };
    }
    const timeoutS = this.#grant(timeout);
    const subscription: Subscription = {
      sid: `uuid:${randomUUID()}`,
      callback,
      address,
      expiresAtMs: this.#timers.now() + timeoutS * 1000,
      seq: 0,
      isStarted: false,
      isInFlight: false,
      pending: NO_VALUES,
      failures: 0,
    };
    if (!this.#table.add(subscription)) return { status: 503, reason: "too many subscriptions" };
    this.#log.debug(
      { svc: this.service, sid: subscription.sid, callback: callback.href, timeoutS },
      "GENA subscription",
    );
    return { status: 200, sid: subscription.sid, timeoutS };
  }

  /** Sends the initial event (SEQ 0, every evented variable) of a subscription just answered. */
  sendInitialEvent(sid: string): void {
    const subscription = this.#table.get(sid);
    if (this.#isClosed || subscription === undefined || subscription.isStarted) return;
    const initial = new Map<string, string>();
    try {
      for (const variable of this.#variables.values())
        initial.set(variable.name, variable.initial());
    } catch (err) {
      // Without its initial event a subscription is useless; the control point will resubscribe.
      this.#log.warn(
        { err, svc: this.service },
        "cannot read evented variables; subscription dropped",
      );
      this.#table.delete(sid, "failed");
      return;
    }
    subscription.isStarted = true;
    subscription.pending = initial;
    this.#send(subscription);
  }

  /** Renewal (SUBSCRIBE with SID): 412 for an unknown or expired SID. */
  renew(sid: string, timeout: RequestedTimeout): GenaAnswer {
    const subscription = this.#isClosed ? undefined : this.#table.get(sid);
    if (subscription === undefined) return { status: 412, reason: "unknown SID" };
    const timeoutS = this.#grant(timeout);
    this.#table.renew(subscription, this.#timers.now() + timeoutS * 1000);
    return { status: 200, sid, timeoutS };
  }

  /** UNSUBSCRIBE: 412 for an unknown SID. */
  unsubscribe(sid: string): { status: 200 } | GenaRefusal {
    if (!this.#table.delete(sid, "unsubscribed")) return { status: 412, reason: "unknown SID" };
    return { status: 200 };
  }

  /**
   * New values of some evented variables. Sent at once, or when the moderation interval since
   * the last event has passed, merged with whatever else changed meanwhile.
   * @throws Error for a name that is not one of the service's evented variables (a bug).
   */
  changed(values: Readonly<Record<string, string>>): void {
    for (const name of Object.keys(values)) {
      if (!this.#variables.has(name)) throw new Error(`${name} is not evented by ${this.service}`);
    }
    if (this.#isClosed || this.#table.size === 0) return;
    this.#pending = this.#merge(this.#pending, new Map(Object.entries(values)));
    this.#requestFlush(0);
  }

  /** Refuses new subscriptions, aborts NOTIFYs in flight, stops every timer. Subscribers are not told (GENA has no such message). */
  close(): void {
    this.#isClosed = true;
    this.#stopFlushing();
    this.#table.clear();
    this.#sender.close();
  }

  /** Flushes now if the moderation interval allows (and `floorMs` is 0), else sets the one flush timer. */
  #requestFlush(floorMs: number): void {
    if (this.#flushTimer !== undefined) return;
    const sinceMs = this.#timers.now() - this.#lastFlushAtMs;
    const waitMs = Math.max(this.#limits.moderationMs - sinceMs, floorMs);
    if (waitMs <= 0) return this.#flush();
    this.#flushTimer = this.#timers.setTimeout(() => {
      this.#flushTimer = undefined;
      this.#flush();
    }, waitMs);
  }

  /** One event round: every started subscriber gets what it has not received, unless busy. */
  #flush(): void {
    this.#lastFlushAtMs = this.#timers.now();
    const values = this.#pending;
    this.#pending = NO_VALUES;
    for (const subscription of this.#table.values()) {
      if (!subscription.isStarted) continue;
      subscription.pending = this.#merge(subscription.pending, values);
      if (!subscription.isInFlight && subscription.pending.size > 0) this.#send(subscription);
    }
  }

  #send(subscription: Subscription): void {
    const values = subscription.pending;
    subscription.pending = NO_VALUES;
    subscription.isInFlight = true;
    this.#notifiesInFlight += 1;
    const seq = subscription.seq;
    subscription.seq = nextSeq(seq);
    const message = { callback: subscription.callback, sid: subscription.sid, seq };
    void this.#sender
      .send({ ...message, body: propertySet(this.#ordered(values)) })
      .then((failure) => this.#delivered(subscription, values, failure));
  }

  #delivered(subscription: Subscription, values: EventValues, failure: NotifyFailure): void {
    subscription.isInFlight = false;
    this.#notifiesInFlight -= 1;
    if (this.#isClosed || this.#table.get(subscription.sid) !== subscription) return;
    if (failure === undefined) {
      subscription.failures = 0;
      if (subscription.pending.size > 0) this.#requestFlush(0);
      return;
    }
    subscription.failures += 1;
    this.#log.debug(
      { svc: this.service, sid: subscription.sid, failure, failures: subscription.failures },
      "GENA NOTIFY failed",
    );
    if (subscription.failures >= this.#limits.maxFailures) {
      this.#table.delete(subscription.sid, "failed");
      return;
    }
    // Keep what did not arrive (under anything newer) and try again later, not in a tight loop.
    subscription.pending = this.#merge(values, subscription.pending);
    this.#requestFlush(this.#limits.retryMs);
  }

  #dropped(subscription: Subscription, reason: DropReason): void {
    this.#log.debug(
      { svc: this.service, sid: subscription.sid, reason },
      "GENA subscription ended",
    );
    // Idle at idle: with nobody left, no timer and nothing kept.
    if (this.#table.size === 0) this.#stopFlushing();
  }

  #stopFlushing(): void {
    if (this.#flushTimer !== undefined) this.#timers.clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    this.#pending = NO_VALUES;
  }

  #merge(older: EventValues, newer: EventValues): EventValues {
    if (older.size === 0) return newer;
    if (newer.size === 0) return older;
    const merged = new Map(older);
    for (const [name, value] of newer) {
      const before = merged.get(name);
      const merge = this.#variables.get(name)?.merge;
      merged.set(name, before !== undefined && merge !== undefined ? merge(before, value) : value);
    }
    return merged;
  }

  /** Values in the SCPD's order, so every event reads the same way. */
  #ordered(values: EventValues): EventValues {
    const ordered = new Map<string, string>();
    for (const name of this.#variables.keys()) {
      const value = values.get(name);
      if (value !== undefined) ordered.set(name, value);
    }
    return ordered;
  }

  #grant(timeout: RequestedTimeout): number {
    const { minTimeoutS, maxTimeoutS, defaultTimeoutS } = this.#limits;
    const asked =
      timeout === undefined ? defaultTimeoutS : timeout === "infinite" ? maxTimeoutS : timeout;
    return Math.min(maxTimeoutS, Math.max(minTimeoutS, asked));
  }

  /** Once per address (a bounded memory of them): a refused callback is worth one debug line. */
  #logRefused(address: string, callbacks: readonly URL[]): void {
    if (this.#refusedAddresses.has(address)) return;
    if (this.#refusedAddresses.size >= 64) this.#refusedAddresses.clear();
    this.#refusedAddresses.add(address);
    this.#log.debug(
      { svc: this.service, client: address, callbacks: callbacks.map((url) => url.host) },
      "GENA SUBSCRIBE refused: its CALLBACK points to another host",
    );
  }
}

/** The callback's host as a plain address ("[::1]" → "::1"). */
function hostAddress(url: URL): string {
  const host = url.hostname;
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}
