import { AmiError, type AmiFailure } from "./ami-error.js";
import type { AmiMessage } from "./ami-message.js";

/** What an action came back with. */
export interface AmiActionResult {
  /** The `Response:` message. */
  response: AmiMessage;
  /** For list actions (`EventList: start`): the list's events, without the closing …Complete. */
  events: AmiMessage[];
  /** The closing `…Complete` event of a list, or the awaited completion event (OriginateResponse). */
  completion?: AmiMessage;
}

/** Per-action options. */
export interface AmiSendOptions {
  /** How long to wait for the whole answer (list and completion event included). */
  timeoutMs?: number;
  /**
   * An event that finishes this action after its `Response: Success`, matched by ActionID: an
   * `Originate` with `Async: true` answers at once and reports the call's fate later in an
   * `OriginateResponse` event (main/manager.c fast_originate).
   */
  completionEvent?: string;
}

interface Pending {
  action: string;
  completionEvent: string | undefined;
  response: AmiMessage | undefined;
  isList: boolean;
  events: AmiMessage[];
  timer: NodeJS.Timeout;
  resolve(result: AmiActionResult): void;
  reject(err: AmiError): void;
}

/**
 * The table of actions waiting for their answer, keyed by ActionID. Asterisk echoes the ActionID in
 * the response and in every event that belongs to the action, and may interleave unrelated events
 * anywhere, so correlation is by ActionID only, never by order.
 */
export class AmiPendingActions {
  readonly #byId = new Map<string, Pending>();

  get size(): number {
    return this.#byId.size;
  }

  /** Registers `actionId`; the promise settles on the answer, on timeout or on {@link failAll}. */
  wait(actionId: string, action: string, timeoutMs: number, completionEvent?: string) {
    return new Promise<AmiActionResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#byId.delete(actionId);
        reject(new AmiError("timeout", `Asterisk did not answer ${action} within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.#byId.set(actionId, {
        action,
        completionEvent: completionEvent?.toLowerCase(),
        response: undefined,
        isList: false,
        events: [],
        timer,
        resolve,
        reject,
      });
    });
  }

  /** Offers a message to the waiting actions; true when it belonged to one (and was consumed). */
  take(message: AmiMessage): boolean {
    const id = message.actionId;
    const pending = id === undefined ? undefined : this.#byId.get(id);
    if (id === undefined || pending === undefined) return false;
    // Event first: OriginateResponse is an event that also carries a `Response:` header.
    if (message.event !== undefined) return this.#onEvent(id, pending, message);
    if (message.response !== undefined) this.#onResponse(id, pending, message);
    return true;
  }

  /** Rejects every waiting action, e.g. when the link drops. */
  failAll(failure: AmiFailure, message: string): void {
    const all = [...this.#byId.values()];
    this.#byId.clear();
    for (const pending of all) {
      clearTimeout(pending.timer);
      pending.reject(new AmiError(failure, `${pending.action}: ${message}`));
    }
  }

  #onResponse(id: string, pending: Pending, message: AmiMessage): void {
    if (pending.response !== undefined) return; // a second Response for one ActionID: ignore it
    if (message.response?.toLowerCase() === "error") {
      const text = message.get("Message") ?? "no reason given";
      this.#settle(id, pending);
      pending.reject(
        new AmiError(
          "rejected",
          `Asterisk refused ${pending.action}: ${text}`,
          message.get("Message"),
        ),
      );
      return;
    }
    pending.response = message;
    pending.isList = message.get("EventList")?.toLowerCase() === "start";
    if (!pending.isList && pending.completionEvent === undefined) {
      this.#settle(id, pending);
      pending.resolve({ response: message, events: [] });
    }
  }

  #onEvent(id: string, pending: Pending, message: AmiMessage): boolean {
    const response = pending.response;
    const listFlag = message.get("EventList")?.toLowerCase();
    if (response !== undefined && pending.isList) {
      // main/manager.c astman_send_list_complete_start: the closing event says EventList: Complete.
      if (listFlag === "complete" || listFlag === "cancelled") {
        this.#settle(id, pending);
        pending.resolve({ response, events: pending.events, completion: message });
      } else {
        pending.events.push(message);
      }
      return true;
    }
    if (message.event?.toLowerCase() === pending.completionEvent) {
      this.#settle(id, pending);
      // The completion can in principle overtake the Response; then it stands in for both.
      pending.resolve({ response: response ?? message, events: [], completion: message });
      return true;
    }
    return false;
  }

  #settle(id: string, pending: Pending): void {
    clearTimeout(pending.timer);
    this.#byId.delete(id);
  }
}
