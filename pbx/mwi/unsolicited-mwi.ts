import type { Logger } from "pino";
import type { ContactBinding } from "../registrar/contact-binding.js";
import type { Registrar } from "../registrar/registrar.js";
import type { OutgoingRequest, SipEndpoint } from "../sip/sip-endpoint.js";
import type { MailboxState } from "../voicemail/voicemail-source.js";
import { CoalescingSender } from "./coalescing-sender.js";
import { contactDestination } from "../registrar/contact-destination.js";
import {
  isLampOn,
  MESSAGE_SUMMARY_EVENT,
  MESSAGE_SUMMARY_TYPE,
  messageSummaryBody,
} from "./message-summary.js";
import type { NotifyResultSink } from "./notify-result.js";
import { randomHex } from "../sip/random-hex.js";

/** The part of the registrar unsolicited MWI needs: where the phones are and when they come. */
export type RegisteredContacts = Pick<Registrar, "contacts" | "onBinding">;

export interface UnsolicitedMwiDeps {
  endpoint: SipEndpoint;
  registrar: RegisteredContacts;
  log: Logger;
  /** The lamp state an extension should show now. */
  stateOf: (extension: string) => MailboxState | undefined;
  onResult: NotifyResultSink;
}

export interface UnsolicitedMwiOptions {
  domain: string;
  /** Extensions whose phones never subscribe and are told anyway (`mwi: unsolicited | both`). */
  extensions: ReadonlySet<string>;
  /** Repeat the state to every such phone this often; 0 turns it off. */
  periodicSec: number;
}

/**
 * Unsolicited MWI: out-of-dialog NOTIFYs with `Event: message-summary` to every registered
 * contact of the extensions configured for it. Cisco 79xx on SIP 8.x never SUBSCRIBE but light
 * the lamp on such a NOTIFY (what Asterisk chan_sip did for `mailbox=` peers). Sent on change,
 * when a phone registers anew (it may have rebooted with its lamp dark) and periodically, since
 * nothing tells us when a phone lost the state.
 */
export class UnsolicitedMwi {
  readonly #deps: UnsolicitedMwiDeps;
  readonly #options: UnsolicitedMwiOptions;
  readonly #sender = new CoalescingSender();
  #unhook: (() => void) | undefined;
  #periodic: NodeJS.Timeout | undefined;

  constructor(deps: UnsolicitedMwiDeps, options: UnsolicitedMwiOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  start(): void {
    this.#unhook = this.#deps.registrar.onBinding(({ kind, binding }) => {
      // "added" is also a known phone that restarted (new Call-ID); "updated" one that moved to
      // another address, e.g. after a NAT rebinding. Both may show a stale lamp.
      if ((kind === "added" || kind === "updated") && this.#wants(binding.extension))
        this.#send(binding);
    });
    if (this.#options.periodicSec > 0) {
      this.#periodic = setInterval(() => this.notifyAll(), this.#options.periodicSec * 1000);
      this.#periodic.unref();
    }
  }

  /** Stops listening and repeating, then waits up to `waitMs` for NOTIFYs in flight. */
  async stop(waitMs: number): Promise<void> {
    this.#unhook?.();
    this.#unhook = undefined;
    clearInterval(this.#periodic);
    this.#periodic = undefined;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
    await Promise.race([this.#sender.idle(), deadline]);
    clearTimeout(timer);
  }

  /** NOTIFYs every registered contact of `extension`, if it is configured for unsolicited MWI. */
  notify(extension: string): void {
    if (!this.#wants(extension)) return;
    for (const binding of this.#deps.registrar.contacts(extension)) this.#send(binding);
  }

  /** The periodic repeat: every contact of every extension configured for unsolicited MWI. */
  notifyAll(): void {
    for (const extension of this.#options.extensions) this.notify(extension);
  }

  #wants(extension: string): boolean {
    return this.#options.extensions.has(extension);
  }

  #send(binding: ContactBinding): void {
    const key = `${binding.extension}\n${binding.contact}`;
    this.#sender.push(key, async () => {
      const state = this.#deps.stateOf(binding.extension) ?? { new: 0, old: 0 };
      const response = await this.#deps.endpoint.send(
        this.#request(binding, state),
        contactDestination(binding),
      );
      this.#deps.onResult(binding.extension, {
        at: Date.now(),
        via: "unsolicited",
        target: binding.contact,
        status: response.status ?? 0,
        reason: response.reason ?? "",
        lampOn: isLampOn(state),
      });
    });
  }

  #request(binding: ContactBinding, state: MailboxState): OutgoingRequest {
    const { domain } = this.#options;
    const { endpoint } = this.#deps;
    const transport = binding.source.protocol === "TCP" ? ";transport=tcp" : "";
    return {
      method: "NOTIFY",
      uri: binding.contact,
      headers: {
        to: { uri: `sip:${binding.extension}@${domain}`, params: {} },
        from: {
          uri: `sip:${binding.extension}@${domain}`,
          params: { tag: randomHex(6) },
        },
        contact: [
          { uri: `sip:hearth@${endpoint.advertisedHost}:${endpoint.port}${transport}`, params: {} },
        ],
        // No Subscription-State: there is no subscription (the phones take it without one, as
        // they did from chan_sip).
        event: MESSAGE_SUMMARY_EVENT,
        "content-type": MESSAGE_SUMMARY_TYPE,
      },
      content: messageSummaryBody(binding.extension, domain, state),
    };
  }
}
