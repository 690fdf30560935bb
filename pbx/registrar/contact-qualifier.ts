import { performance } from "node:perf_hooks";
import type { Logger } from "pino";
import type { OutgoingRequest, SipEndpoint } from "../sip/sip-endpoint.js";
import type { ContactBinding } from "./contact-binding.js";
import { contactDestination } from "./contact-destination.js";
import type { Registrar } from "./registrar.js";
import { randomHex } from "../sip/random-hex.js";

/** Most OPTIONS out at once; more wait their turn (a whole house re-registering after a power cut). */
const MAX_IN_FLIGHT = 100;

/** What hearth's OPTIONS to one registered contact last showed. */
export interface Reachability {
  /** pending: not answered or timed out yet; reachable: the phone answered; unreachable: it did not in time. */
  state: "pending" | "reachable" | "unreachable";
  /** Round trip of the last answered OPTIONS, in ms. */
  roundTripMs?: number;
  /** The phone's answer: any final status proves it is there (200, but also 404 or 405). */
  status?: number;
  /** When the answer or the timeout was recorded, ms since the epoch. */
  checkedAt?: number;
}

/** Called when a contact's state changes (pending → reachable, reachable → unreachable…). */
export type ReachabilityListener = (
  binding: ContactBinding,
  now: Reachability,
  before: Reachability,
) => void;

export interface ContactQualifierDeps {
  endpoint: SipEndpoint;
  registrar: Pick<Registrar, "list" | "onBinding">;
  log: Logger;
}

export interface ContactQualifierOptions {
  /** SIP domain, for From. */
  domain: string;
  /** Time from one contact's answer (or timeout) to its next OPTIONS, ms. */
  intervalMs: number;
  /** A contact that has not answered by then is unreachable. Default 5 s, at most `intervalMs`. */
  timeoutMs?: number;
}

/** One watched contact; replaced, never reused, when the phone registers anew. */
interface Probe {
  binding: ContactBinding;
  result: Reachability;
  timer?: NodeJS.Timeout;
}

/**
 * OPTIONS "qualify" of every registered contact (what Asterisk calls qualify): asks each phone
 * at once when it first registers or moves, then about `intervalMs` after each answer or timeout, and keeps
 * whether it answered and how fast. Results live in memory only: they change every minute and
 * writing them would wear the SD card. Nothing else depends on them (calls still ring an
 * unreachable contact); they are for the Phones page and `hearth pbx status`. Also keeps NAT
 * bindings of phones behind a router open.
 */
export class ContactQualifier {
  readonly #deps: ContactQualifierDeps;
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #domain: string;
  readonly #probes = new Map<string, Probe>();
  readonly #listeners = new Set<ReachabilityListener>();
  #unhook: (() => void) | undefined;
  #inFlight = 0;

  constructor(deps: ContactQualifierDeps, options: ContactQualifierOptions) {
    this.#deps = deps;
    this.#domain = options.domain;
    this.#intervalMs = options.intervalMs;
    this.#timeoutMs = Math.min(options.timeoutMs ?? 5_000, options.intervalMs);
  }

  /** Starts asking every contact registered now (bindings restored from the catalog too) and every new one. */
  start(): void {
    this.#unhook = this.#deps.registrar.onBinding(({ kind, binding }) => {
      if (kind === "added" || kind === "updated") this.#watch(binding);
      else this.#forget(binding);
    });
    for (const extension of this.#deps.registrar.list())
      for (const binding of extension.contacts) this.#watch(binding);
  }

  /** Stops asking; answers still on their way are ignored. */
  stop(): void {
    this.#unhook?.();
    this.#unhook = undefined;
    for (const probe of this.#probes.values()) clearTimeout(probe.timer);
    this.#probes.clear();
  }

  /** The last result for one contact; undefined when it is not registered (or qualify is off). */
  reachability(extension: string, contact: string): Reachability | undefined {
    const result = this.#probes.get(keyOf(extension, contact))?.result;
    return result === undefined ? undefined : { ...result };
  }

  /** Registers a listener for state changes; returns the function that removes it. */
  onChange(listener: ReachabilityListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #watch(binding: ContactBinding): void {
    const key = keyOf(binding.extension, binding.contact);
    const previous = this.#probes.get(key);
    if (previous && sourceOf(previous.binding) === sourceOf(binding)) {
      // Same phone, same address (a refresh, or a new Call-ID: some phones and sipp pick one
      // per REGISTER): keep its schedule. Asking at every registration would send one OPTIONS
      // per REGISTER, and a burst of 1 000 REGISTER/s left 30 000 OPTIONS transactions alive.
      previous.binding = binding;
      return;
    }
    clearTimeout(previous?.timer);
    // A new phone, or one that moved, is asked at once; what it last showed stays until then.
    const probe: Probe = { binding, result: previous?.result ?? { state: "pending" } };
    this.#probes.set(key, probe);
    this.#askSoon(key, probe);
  }

  /**
   * Asks now, unless MAX_IN_FLIGHT questions are out already (a power cut brings every phone
   * back at once): then a little later, spread over a second.
   */
  #askSoon(key: string, probe: Probe): void {
    if (this.#inFlight < MAX_IN_FLIGHT) {
      void this.#ask(key, probe);
      return;
    }
    probe.timer = setTimeout(() => this.#askSoon(key, probe), 200 + Math.random() * 800);
  }

  #forget(binding: ContactBinding): void {
    const key = keyOf(binding.extension, binding.contact);
    clearTimeout(this.#probes.get(key)?.timer);
    this.#probes.delete(key);
  }

  /** One OPTIONS to the contact, then the next one after the interval. Never rejects. */
  async #ask(key: string, probe: Probe): Promise<void> {
    const { endpoint } = this.#deps;
    const startedAt = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.#timeoutMs);
      probe.timer = timer;
    });
    this.#inFlight++;
    const answer = await Promise.race([
      endpoint.send(this.#request(probe.binding), contactDestination(probe.binding)),
      timedOut,
    ]);
    this.#inFlight--;
    clearTimeout(timer);
    if (this.#probes.get(key) !== probe) return; // unregistered or re-registered meanwhile
    // A 408 or 503 made here (Timer F, a failed TCP dial) is no answer from the phone.
    const isAnswer = answer !== undefined && endpoint.cameFromPeer(answer);
    this.#record(
      probe,
      isAnswer
        ? {
            state: "reachable",
            roundTripMs: Math.round(performance.now() - startedAt),
            status: answer.status ?? 0,
            checkedAt: Date.now(),
          }
        : { state: "unreachable", checkedAt: Date.now() },
    );
    // ±10 %: phones that registered together are not all asked in the same second forever.
    const nextMs = this.#intervalMs * (0.9 + Math.random() * 0.2);
    probe.timer = setTimeout(() => this.#askSoon(key, probe), nextMs);
  }

  #record(probe: Probe, result: Reachability): void {
    const before = probe.result;
    probe.result = result;
    if (before.state === result.state) return;
    const { extension, source } = probe.binding;
    const where = { extension, via: `${source.protocol} ${source.address}:${source.port}` };
    if (result.state === "unreachable")
      this.#deps.log.info(where, `a phone of ${extension} does not answer OPTIONS`);
    else if (before.state === "unreachable")
      this.#deps.log.info(where, `a phone of ${extension} answers OPTIONS again`);
    for (const listener of this.#listeners) {
      try {
        listener({ ...probe.binding }, { ...result }, before);
      } catch (err) {
        // A broken listener must not stop the other contacts being asked.
        this.#deps.log.error({ err }, "a reachability listener threw; the others still ran");
      }
    }
  }

  #request(binding: ContactBinding): OutgoingRequest {
    const { endpoint } = this.#deps;
    const transport = binding.source.protocol === "TCP" ? ";transport=tcp" : "";
    return {
      method: "OPTIONS",
      uri: binding.contact,
      headers: {
        to: { uri: binding.contact, params: {} },
        from: {
          uri: `sip:hearth@${this.#domain}`,
          params: { tag: randomHex(6) },
        },
        contact: [
          { uri: `sip:hearth@${endpoint.advertisedHost}:${endpoint.port}${transport}`, params: {} },
        ],
        accept: "application/sdp",
      },
    };
  }
}

function sourceOf(binding: ContactBinding): string {
  const { protocol, address, port } = binding.source;
  return `${protocol} ${address}:${port}`;
}

function keyOf(extension: string, contact: string): string {
  return `${extension}\n${contact}`;
}
