import type { EventTimers } from "./event-timers.js";

/** An evented state variable of a service (sendEvents="yes" in its SCPD). */
export interface EventedVariable {
  /** The XML name, as in the SCPD ("SystemUpdateID"). */
  readonly name: string;
  /** Its current value; read for each new subscriber's initial event (SEQ 0). */
  initial(): string;
  /**
   * Combines a value a subscriber has not received yet with a newer one. Default: the newer
   * wins. A variable that lists what changed since the last event (ContainerUpdateIDs) joins them.
   */
  merge?(older: string, newer: string): string;
}

/** Where the publisher reports subscriptions and failed deliveries (per-request, so debug). */
export interface EventLog {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface EventPublisherOptions {
  /** Short name for logs and the event URL ("cds", "cms", "msr"). */
  service: string;
  variables: readonly EventedVariable[];
  log: EventLog;
  /** Least time between two events carrying changes (moderation). Default 0. */
  moderationMs?: number;
  /** Granted subscription durations. Defaults 60 / 3600 s, 1800 s when TIMEOUT is absent. */
  minTimeoutS?: number;
  maxTimeoutS?: number;
  defaultTimeoutS?: number;
  /** Caps: all subscriptions (default 256) and those of one address (default 16). */
  maxSubscriptions?: number;
  maxPerAddress?: number;
  /** NOTIFYs in a row that may fail before the subscriber is dropped. Default 3. */
  maxFailures?: number;
  /** Least wait before a failed NOTIFY's changes are tried again. Default 2000 ms. */
  retryMs?: number;
  /** Connect plus answer, per NOTIFY. Default 5000 ms. */
  notifyTimeoutMs?: number;
  timers?: EventTimers;
}

/** The answer to SUBSCRIBE, renewal or UNSUBSCRIBE. */
export type GenaAnswer = { status: 200; sid: string; timeoutS: number } | GenaRefusal;

/** Why a GENA request was not granted (UDA 1.0 §4.1: 412 for bad or unknown, 5xx for resources). */
export interface GenaRefusal {
  status: 412 | 503;
  reason: string;
}
