import type { Logger } from "pino";

/**
 * Events that cross service boundaries. Services add their own entries by declaration merging:
 * `declare module "../services/host/event-bus.js" { interface HearthEvents { "media.changed": {...} } }`.
 */
export interface HearthEvents {
  /** The host's view of a service changed (state, reason, restart count). */
  "host.service-status": { name: string };
}

export type EventName = keyof HearthEvents;
type Listener<K extends EventName> = (payload: HearthEvents[K]) => void;

/** What a service sees of the bus: its listeners are registered under its own name. */
export interface EventBus {
  on<K extends EventName>(event: K, fn: Listener<K>): void;
  emit<K extends EventName>(event: K, payload: HearthEvents[K]): void;
}

/**
 * The typed in-process event hub. Listeners are registered per owner (a service name) so the host
 * can remove everything a service registered when it stops. A listener that throws is logged and
 * reaches neither the emitter nor the other listeners.
 */
export class EventHub {
  readonly #listeners = new Map<EventName, Array<{ owner: string; fn: Listener<never> }>>();
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
  }

  on<K extends EventName>(owner: string, event: K, fn: Listener<K>): void {
    const list = this.#listeners.get(event) ?? [];
    list.push({ owner, fn: fn as unknown as Listener<never> });
    this.#listeners.set(event, list);
  }

  emit<K extends EventName>(event: K, payload: HearthEvents[K]): void {
    for (const { owner, fn } of [...(this.#listeners.get(event) ?? [])]) {
      try {
        (fn as unknown as Listener<K>)(payload);
      } catch (err) {
        // A faulty listener is its owner's bug; the emitter must not pay for it.
        this.#log.error({ err, owner, event }, "event listener threw; ignored");
      }
    }
  }

  /** Removes every listener `owner` registered (called when the host stops a service). */
  removeOwner(owner: string): void {
    for (const [event, list] of this.#listeners) {
      this.#listeners.set(
        event,
        list.filter((l) => l.owner !== owner),
      );
    }
  }

  /** The bus as a service named `owner` sees it. */
  forOwner(owner: string): EventBus {
    return {
      on: (event, fn) => this.on(owner, event, fn),
      emit: (event, payload) => this.emit(event, payload),
    };
  }
}
