import type { SipRemote } from "../sip/sip-transport.js";

/** trying: INVITE sent to the phones; ringing: one of them rings; answered: a dialog is up. */
export type CallState = "trying" | "ringing" | "answered";

/** One call as the dashboard shows it. */
export interface CallView {
  callId: string;
  /** Calling and called extension numbers. */
  from: string;
  to: string;
  state: CallState;
  /** ms since the epoch. */
  startedAt: number;
  answeredAt?: number;
}

/** A call the proxy is relaying, with where each side of its dialogs can be reached. */
interface CallRecord extends CallView {
  callerTag: string;
  caller: SipRemote;
  /** The phones that answered or sent an early dialog, by their To tag. */
  callees: Map<string, SipRemote>;
  idleTimer: NodeJS.Timeout;
}

/** A call leaves the table after this long without any in-dialog request (a lost BYE). */
const DEFAULT_IDLE_MS = 12 * 3600_000;
/** More simultaneous calls than a household makes; beyond it new calls are refused. */
const DEFAULT_MAX_CALLS = 200;

/**
 * The calls hearth relays, keyed by Call-ID, so in-dialog requests (ACK, BYE, re-INVITE, UPDATE,
 * INFO) go to the right phone: a request from the caller goes to the phone that answered (by its
 * To tag), one from a callee goes to the caller. Only dialogs listed here are relayed; anything
 * else gets 481, so hearth cannot be used as an open relay.
 */
export class CallTable {
  readonly #calls = new Map<string, CallRecord>();
  readonly #idleMs: number;
  readonly #maxCalls: number;

  constructor(options: { idleMs?: number; maxCalls?: number } = {}) {
    this.#idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    this.#maxCalls = options.maxCalls ?? DEFAULT_MAX_CALLS;
  }

  /** Adds a new call; false when the table is full or the Call-ID is already in use. */
  add(call: {
    callId: string;
    from: string;
    to: string;
    callerTag: string;
    caller: SipRemote;
  }): boolean {
    if (this.#calls.size >= this.#maxCalls || this.#calls.has(call.callId)) return false;
    this.#calls.set(call.callId, {
      ...call,
      state: "trying",
      startedAt: Date.now(),
      callees: new Map(),
      idleTimer: this.#idleTimer(call.callId),
    });
    return true;
  }

  has(callId: string): boolean {
    return this.#calls.has(callId);
  }

  /** Records that the phone at `target` answered (or rang in an early dialog) with `toTag`. */
  addCallee(callId: string, toTag: string, target: SipRemote): void {
    this.#calls.get(callId)?.callees.set(toTag, target);
  }

  setState(callId: string, state: CallState): void {
    const call = this.#calls.get(callId);
    if (call === undefined || call.state === "answered") return;
    call.state = state;
    if (state === "answered") call.answeredAt = Date.now();
  }

  /**
   * Where an in-dialog request goes: to the callee with the request's To tag when it comes from
   * the caller, to the caller when it comes from a known callee; undefined for any other dialog.
   * Finding one keeps the call alive.
   */
  peerOf(
    callId: string,
    fromTag: string | undefined,
    toTag: string | undefined,
  ): SipRemote | undefined {
    const call = this.#calls.get(callId);
    if (call === undefined || fromTag === undefined || toTag === undefined) return undefined;
    let target: SipRemote | undefined;
    if (fromTag === call.callerTag) target = call.callees.get(toTag);
    else if (toTag === call.callerTag && call.callees.has(fromTag)) target = call.caller;
    if (target !== undefined) {
      clearTimeout(call.idleTimer);
      call.idleTimer = this.#idleTimer(callId);
    }
    return target;
  }

  remove(callId: string): void {
    const call = this.#calls.get(callId);
    if (call === undefined) return;
    clearTimeout(call.idleTimer);
    this.#calls.delete(callId);
  }

  clear(): void {
    for (const callId of [...this.#calls.keys()]) this.remove(callId);
  }

  /** The calls in progress, oldest first. */
  list(): CallView[] {
    return [...this.#calls.values()].map((c) => ({
      callId: c.callId,
      from: c.from,
      to: c.to,
      state: c.state,
      startedAt: c.startedAt,
      ...(c.answeredAt === undefined ? {} : { answeredAt: c.answeredAt }),
    }));
  }

  #idleTimer(callId: string): NodeJS.Timeout {
    const timer = setTimeout(() => this.remove(callId), this.#idleMs);
    timer.unref();
    return timer;
  }
}
