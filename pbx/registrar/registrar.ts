import type { Logger } from "pino";
import sip from "sip";
import type { CatalogNamespace } from "../../storage/catalog/catalog-namespace.js";
import type { DigestAuthenticator } from "../digest-auth/digest-authenticator.js";
import type { SipEndpoint } from "../sip/sip-endpoint.js";
import type { SipRequest } from "../sip/sip-message.js";
import type { SipRemote } from "../sip/sip-transport.js";
import { BindingStore } from "./binding-store.js";
import type { ContactBinding } from "./contact-binding.js";
import { readRegister, type ExpiryLimits, type RequestedContact } from "./register-request.js";

export interface RegistrarOptions {
  /** Shorter asked expiries get 423 (default 60). */
  minExpiresSec?: number;
  /** Longer asked expiries are cut to this (default 3600). */
  maxExpiresSec?: number;
  /** When a REGISTER asks for none (default 3600, then cut to the maximum). */
  defaultExpiresSec?: number;
  /** A new contact beyond this evicts the one expiring soonest (default 10). */
  maxContactsPerExtension?: number;
  /** How far the stored expiry may lag the live one; see BindingStore (default 600). */
  persistSlackSec?: number;
}

/** added: a new registration (new contact or a phone that restarted, i.e. a new Call-ID);
 * updated: the same registration now comes from another address; removed: unregistered or
 * evicted; expired: not refreshed in time. Plain refreshes raise no event. */
export type BindingEventKind = "added" | "updated" | "removed" | "expired";

export interface BindingEvent {
  kind: BindingEventKind;
  binding: ContactBinding;
}

/** One extension with its live contacts, for the status page. */
export interface ExtensionStatus {
  number: string;
  name: string;
  contacts: ContactBinding[];
}

export interface RegistrarDeps {
  endpoint: SipEndpoint;
  /** Knows the extensions and checks their passwords (shared with the proxy and MWI). */
  auth: DigestAuthenticator;
  /** The pbx namespace; the registrar uses keys under `binding/`. */
  catalog: CatalogNamespace;
  log: Logger;
}

/** setTimeout's longest delay; longer expiries re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The SIP registrar (RFC 3261 §10): digest-authenticated REGISTER for the configured
 * extensions, bindings with expiry kept in memory and in the catalog. The proxy and the MWI
 * notifier read `contacts()` and listen with `onBinding()`.
 */
export class Registrar {
  readonly #endpoint: SipEndpoint;
  readonly #log: Logger;
  readonly #auth: DigestAuthenticator;
  readonly #limits: ExpiryLimits;
  readonly #maxContacts: number;
  readonly #store: BindingStore;
  /** Live bindings: extension → contact URI → binding and its expiry timer. */
  readonly #bindings = new Map<
    string,
    Map<string, { binding: ContactBinding; timer: NodeJS.Timeout }>
  >();
  readonly #listeners = new Set<(event: BindingEvent) => void>();
  #unhook: (() => void) | undefined;

  constructor(deps: RegistrarDeps, options: RegistrarOptions) {
    this.#endpoint = deps.endpoint;
    this.#log = deps.log;
    this.#auth = deps.auth;
    this.#limits = {
      minSec: options.minExpiresSec ?? 60,
      maxSec: options.maxExpiresSec ?? 3600,
      defaultSec: options.defaultExpiresSec ?? 3600,
    };
    this.#maxContacts = options.maxContactsPerExtension ?? 10;
    this.#store = new BindingStore(deps.catalog, (options.persistSlackSec ?? 600) * 1000, deps.log);
  }

  /** Restores stored bindings (raising no events) and starts answering REGISTER. */
  async start(): Promise<void> {
    for (const binding of await this.#store.load()) {
      if (this.#auth.extension(binding.extension) !== undefined) this.#put(binding);
      else await this.#store.remove(binding);
    }
    // Stateless: a retransmitted REGISTER is simply answered again (see #isRetransmission).
    this.#unhook = this.#endpoint.onRequest(
      "REGISTER",
      (request, remote) => this.#onRegister(request, remote),
      { stateless: true },
    );
  }

  /** Stops answering REGISTER, waits for pending catalog writes and forgets the live table. */
  async stop(): Promise<void> {
    this.#unhook?.();
    this.#unhook = undefined;
    for (const contacts of this.#bindings.values())
      for (const { timer } of contacts.values()) clearTimeout(timer);
    this.#bindings.clear();
    await this.#store.flush();
  }

  /** Live bindings of one extension (empty when none or unknown). */
  contacts(extension: string): ContactBinding[] {
    return [...(this.#bindings.get(extension)?.values() ?? [])].map(({ binding }) => ({
      ...binding,
    }));
  }

  /** Every configured extension with its live bindings, in number order. */
  list(): ExtensionStatus[] {
    return this.#auth
      .extensions()
      .sort((a, b) => a.number.localeCompare(b.number, "en", { numeric: true }))
      .map((e) => ({ number: e.number, name: e.name, contacts: this.contacts(e.number) }));
  }

  /** Calls `listener` on every binding change; returns a function that removes it. */
  onBinding(listener: (event: BindingEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #onRegister(request: SipRequest, remote: SipRemote): Promise<void> {
    const extension = this.#auth.authenticate(request, remote);
    if (extension === undefined) return;
    // The authenticated extension may change only its own bindings.
    if (sip.parseUri(request.headers.to.uri)?.user !== extension.number) {
      this.#endpoint.reply(request, 403, "Forbidden");
      return;
    }
    const action = readRegister(request, this.#limits);
    switch (action.kind) {
      case "bad":
        this.#endpoint.reply(request, 400, `Bad Request (${action.reason})`);
        return;
      case "too-brief":
        this.#endpoint.reply(request, 423, "Interval Too Brief", {
          "min-expires": String(this.#limits.minSec),
        });
        return;
      case "list":
        break;
      case "remove-all":
        await Promise.all(this.contacts(extension.number).map((b) => this.#remove(b, "removed")));
        break;
      case "update":
        // Answered statelessly, so a UDP retransmission comes back here: answer it the same.
        if (this.#isRetransmission(extension.number, request, action.contacts)) break;
        if (!this.#inOrder(extension.number, request, action.contacts)) {
          this.#endpoint.reply(request, 500, "Server Internal Error (REGISTER out of order)");
          return;
        }
        await this.#apply(extension.number, request, remote, action.contacts);
        break;
    }
    this.#answerBindings(request, extension.number);
  }

  /** Every contact is already bound by this very request (same Call-ID and CSeq). */
  #isRetransmission(
    extension: string,
    request: SipRequest,
    contacts: readonly RequestedContact[],
  ): boolean {
    const live = this.#bindings.get(extension);
    return contacts.every(({ uri, expiresSec }) => {
      const existing = live?.get(uri)?.binding;
      if (expiresSec === 0) return existing === undefined;
      return (
        existing !== undefined &&
        existing.callId === request.headers["call-id"] &&
        request.headers.cseq.seq === existing.cseq
      );
    });
  }

  /** RFC 3261 §10.3 step 7: the same Call-ID must come with a higher CSeq. */
  #inOrder(extension: string, request: SipRequest, contacts: readonly RequestedContact[]): boolean {
    const live = this.#bindings.get(extension);
    return contacts.every(({ uri }) => {
      const existing = live?.get(uri)?.binding;
      return !(
        existing &&
        existing.callId === request.headers["call-id"] &&
        request.headers.cseq.seq <= existing.cseq
      );
    });
  }

  async #apply(
    extension: string,
    request: SipRequest,
    remote: SipRemote,
    contacts: readonly RequestedContact[],
  ): Promise<void> {
    const now = Date.now();
    const writes: Promise<void>[] = [];
    const userAgent =
      typeof request.headers["user-agent"] === "string"
        ? request.headers["user-agent"].slice(0, 200)
        : undefined;
    for (const { uri, expiresSec } of contacts) {
      const existing = this.#bindings.get(extension)?.get(uri)?.binding;
      if (expiresSec === 0) {
        if (existing) writes.push(this.#remove(existing, "removed"));
        continue;
      }
      const isNewSession = existing === undefined || existing.callId !== request.headers["call-id"];
      const binding: ContactBinding = {
        extension,
        contact: uri,
        expiresAt: now + expiresSec * 1000,
        callId: request.headers["call-id"],
        cseq: request.headers.cseq.seq,
        source: { protocol: remote.protocol, address: remote.address, port: remote.port },
        ...(userAgent === undefined ? {} : { userAgent }),
        registeredAt: isNewSession ? now : existing.registeredAt,
      };
      const moved = !isNewSession && sourceOf(existing) !== sourceOf(binding);
      this.#put(binding);
      writes.push(this.#store.save(binding));
      if (isNewSession || moved) this.#emit(isNewSession ? "added" : "updated", binding);
    }
    writes.push(...this.#evictBeyondLimit(extension, contacts));
    await Promise.all(writes);
  }

  /** Keeps at most maxContacts per extension, dropping those expiring soonest first. */
  #evictBeyondLimit(extension: string, keep: readonly RequestedContact[]): Promise<void>[] {
    const live = this.#bindings.get(extension);
    if (live === undefined || live.size <= this.#maxContacts) return [];
    const wanted = new Set(keep.map((c) => c.uri));
    const candidates = [...live.values()]
      .map(({ binding }) => binding)
      .sort(
        (a, b) =>
          Number(wanted.has(a.contact)) - Number(wanted.has(b.contact)) ||
          a.expiresAt - b.expiresAt,
      );
    return candidates
      .slice(0, live.size - this.#maxContacts)
      .map((b) => this.#remove(b, "removed"));
  }

  #answerBindings(request: SipRequest, extension: string): void {
    const now = Date.now();
    const contacts = this.contacts(extension)
      .map((b) => `<${b.contact}>;expires=${Math.max(0, Math.round((b.expiresAt - now) / 1000))}`)
      .join(", ");
    // Cisco 79xx set their clock from the Date of the REGISTER answer.
    const headers: Record<string, unknown> = { date: new Date(now).toUTCString() };
    if (contacts !== "") headers.contact = contacts;
    this.#endpoint.reply(request, 200, "OK", headers);
  }

  #put(binding: ContactBinding): void {
    let live = this.#bindings.get(binding.extension);
    if (live === undefined) {
      live = new Map();
      this.#bindings.set(binding.extension, live);
    }
    const previous = live.get(binding.contact);
    if (previous) clearTimeout(previous.timer);
    live.set(binding.contact, { binding, timer: this.#arm(binding) });
  }

  #arm(binding: ContactBinding): NodeJS.Timeout {
    const delay = Math.min(Math.max(0, binding.expiresAt - Date.now()), MAX_TIMER_MS);
    const timer = setTimeout(() => {
      const current = this.#bindings.get(binding.extension)?.get(binding.contact);
      if (current?.binding !== binding) return;
      if (Date.now() < binding.expiresAt) current.timer = this.#arm(binding);
      else void this.#remove(binding, "expired");
    }, delay);
    timer.unref();
    return timer;
  }

  #remove(binding: ContactBinding, kind: "removed" | "expired"): Promise<void> {
    const live = this.#bindings.get(binding.extension);
    const current = live?.get(binding.contact);
    if (live === undefined || current === undefined) return Promise.resolve();
    clearTimeout(current.timer);
    live.delete(binding.contact);
    if (live.size === 0) this.#bindings.delete(binding.extension);
    this.#emit(kind, current.binding);
    return this.#store.remove(current.binding);
  }

  #emit(kind: BindingEventKind, binding: ContactBinding): void {
    if (kind === "added" || kind === "expired") {
      // debug, not info: after a power cut every phone re-registers at once, and a flood of
      // new registrations (a scanner, a bench) must not become a flood of journal lines.
      this.#log.debug(
        { extension: binding.extension, contact: binding.contact },
        `a phone's registration ${kind === "added" ? "started" : "expired"}`,
      );
    }
    for (const listener of this.#listeners) {
      try {
        listener({ kind, binding: { ...binding } });
      } catch (err) {
        // A listener's bug must not break registration; it is reported and the others still run.
        this.#log.error({ err, kind }, "a SIP binding listener failed");
      }
    }
  }
}

function sourceOf(binding: ContactBinding): string {
  return `${binding.source.protocol} ${binding.source.address}:${binding.source.port}`;
}
