import type { EventTimers, TimerHandle } from "./event-timers.js";
import type { EventValues } from "./property-set.js";

/** One control point's subscription to one service. Owned by its SubscriptionTable. */
export interface Subscription {
  /** "uuid:…", random. */
  readonly sid: string;
  readonly callback: URL;
  /** The subscriber's address (the callback's host, checked at SUBSCRIBE). */
  readonly address: string;
  expiresAtMs: number;
  /** SEQ of the next NOTIFY: 0 for the initial event. */
  seq: number;
  /** False until the initial event went out: changes before it are in that event anyway. */
  isStarted: boolean;
  /** A NOTIFY to it is on the wire; later changes wait in `pending`. */
  isInFlight: boolean;
  /** Changes it has not been sent yet. */
  pending: EventValues;
  /** NOTIFYs in a row that did not arrive. */
  failures: number;
}

/** The largest SEQ; the next one is 1, not 0 (UDA 1.0 §4.2.1: 0 is only the initial event). */
export const MAX_SEQ = 4_294_967_295;

/** The SEQ after `seq`. */
export function nextSeq(seq: number): number {
  return seq >= MAX_SEQ ? 1 : seq + 1;
}

/** Why a subscription left the table. */
export type DropReason = "expired" | "evicted" | "unsubscribed" | "failed";

export interface SubscriptionTableOptions {
  maxTotal: number;
  maxPerAddress: number;
  timers: EventTimers;
  onDrop(subscription: Subscription, reason: DropReason): void;
}

/**
 * The subscriptions of one service, with caps and expiry. One timer, set for the earliest expiry
 * only while the table is not empty, drops whoever did not renew in time.
 */
export class SubscriptionTable {
  readonly #options: SubscriptionTableOptions;
  /** In order of subscription: the oldest of an address is the first found. */
  readonly #bySid = new Map<string, Subscription>();
  #timer: TimerHandle | undefined;
  #timerAtMs = Infinity;

  constructor(options: SubscriptionTableOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#bySid.size;
  }

  values(): IterableIterator<Subscription> {
    return this.#bySid.values();
  }

  /** The live subscription with this SID; one past its expiry counts as gone. */
  get(sid: string): Subscription | undefined {
    const subscription = this.#bySid.get(sid);
    if (subscription === undefined || subscription.expiresAtMs > this.#options.timers.now()) {
      return subscription;
    }
    this.#drop(subscription, "expired");
    return undefined;
  }

  /**
   * Adds a subscription unless the table is full. An address over its own cap loses its oldest
   * subscription instead: an app that restarts without unsubscribing only crowds out itself.
   */
  add(subscription: Subscription): boolean {
    this.#dropExpired();
    if (this.#bySid.size >= this.#options.maxTotal) return false;
    const ofAddress = [...this.#bySid.values()].filter((s) => s.address === subscription.address);
    const excess = Math.max(0, ofAddress.length + 1 - this.#options.maxPerAddress);
    for (const old of ofAddress.slice(0, excess)) this.#drop(old, "evicted");
    this.#bySid.set(subscription.sid, subscription);
    this.#schedule();
    return true;
  }

  /** Moves a subscription's expiry (renewal). */
  renew(subscription: Subscription, expiresAtMs: number): void {
    subscription.expiresAtMs = expiresAtMs;
    this.#schedule();
  }

  /** Removes a subscription; false when it was not there. */
  delete(sid: string, reason: DropReason): boolean {
    const subscription = this.#bySid.get(sid);
    if (subscription === undefined) return false;
    this.#drop(subscription, reason);
    return true;
  }

  /** Forgets every subscription without telling anyone (close) and stops the timer. */
  clear(): void {
    this.#bySid.clear();
    this.#schedule();
  }

  #drop(subscription: Subscription, reason: DropReason): void {
    this.#bySid.delete(subscription.sid);
    this.#schedule();
    this.#options.onDrop(subscription, reason);
  }

  #dropExpired(): void {
    const now = this.#options.timers.now();
    for (const subscription of [...this.#bySid.values()]) {
      if (subscription.expiresAtMs <= now) this.#drop(subscription, "expired");
    }
  }

  /** Keeps the one timer at the earliest expiry; none at all when the table is empty. */
  #schedule(): void {
    let earliestMs = Infinity;
    for (const subscription of this.#bySid.values()) {
      earliestMs = Math.min(earliestMs, subscription.expiresAtMs);
    }
    if (earliestMs === this.#timerAtMs) return;
    const timers = this.#options.timers;
    if (this.#timer !== undefined) timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAtMs = earliestMs;
    if (earliestMs === Infinity) return;
    this.#timer = timers.setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAtMs = Infinity;
        this.#dropExpired();
        this.#schedule();
      },
      Math.max(0, earliestMs - timers.now()),
    );
  }
}
