import type { Logger } from "pino";
import type { DigestAuthenticator } from "../digest-auth/digest-authenticator.js";
import type { SipEndpoint } from "../sip/sip-endpoint.js";
import type { MailboxState } from "../voicemail/voicemail-source.js";
import { isLampOn } from "./message-summary.js";
import { MwiSubscriptions } from "./mwi-subscriptions.js";
import { isDelivered, type NotifyResult } from "./notify-result.js";
import { UnsolicitedMwi, type RegisteredContacts } from "./unsolicited-mwi.js";

/** How an extension's lamp is told (config `pbx.extensions.<n>.mwi`). */
export type MwiMode = "subscribe" | "unsolicited" | "both";

/** One extension as the notifier needs it. */
export interface MwiExtension {
  number: string;
  mwi: MwiMode;
  /** The voicemail source (name under `pbx.voicemail`) whose state it shows; none: always dark. */
  mailbox?: string;
}

export interface MwiNotifierDeps {
  endpoint: SipEndpoint;
  registrar: RegisteredContacts;
  /** Shared with the registrar, so one nonce key and one failure throttle cover both. */
  auth: DigestAuthenticator;
  log: Logger;
}

export interface MwiNotifierOptions {
  /** The SIP domain, written into `Message-Account: sip:<ext>@<domain>`. */
  domain: string;
  extensions: readonly MwiExtension[];
  /** Unsolicited NOTIFYs are repeated this often (default 600); 0 turns the repeat off. */
  periodicSec?: number;
  /** Subscription durations, like the registrar's (defaults 60, 3600, 3600). */
  minExpiresSec?: number;
  maxExpiresSec?: number;
  defaultExpiresSec?: number;
  /** Per extension (default 10): a phone that restarted often leaves dead subscriptions behind. */
  maxSubscriptionsPerExtension?: number;
  /** How long `stop` waits for phones to answer the terminating NOTIFYs (default 2000). */
  stopWaitMs?: number;
}

/** `hearth pbx mwi <ext> on|off`: force a lamp for a test; undefined follows the mailbox again. */
export type LampOverride = "on" | "off" | undefined;

/** One extension's lamp, for the dashboard and `hearth pbx status`. */
export interface MwiExtensionStatus {
  number: string;
  mwi: MwiMode;
  mailbox: string | undefined;
  /** What the phones are told: the mailbox state with the override applied. */
  lampOn: boolean;
  new: number;
  old: number;
  override: LampOverride;
  /** Live message-summary subscriptions. */
  subscribers: number;
  /** The last NOTIFY's outcome (subscribed or unsolicited); undefined before the first. */
  lastNotify: NotifyResult | undefined;
}

const DARK: MailboxState = { new: 0, old: 0 };

/**
 * Message-waiting lamps (RFC 3842): NOTIFYs subscribers and, for phones that never subscribe,
 * registered contacts (see {@link UnsolicitedMwi}). The pbx service feeds it each voicemail
 * source's state with `setState`; everything else (subscriptions, registrations, repeats) it
 * follows by itself between `start` and `stop`.
 */
export class MwiNotifier {
  readonly #log: Logger;
  readonly #extensions: ReadonlyMap<string, MwiExtension>;
  readonly #mailboxes = new Map<string, MailboxState>();
  readonly #overrides = new Map<string, "on" | "off">();
  readonly #results = new Map<string, NotifyResult>();
  /** Whether each phone (extension and contact) took its last NOTIFY, to log only changes. */
  readonly #deliveredByContact = new Map<string, boolean>();
  readonly #subscriptions: MwiSubscriptions;
  readonly #unsolicited: UnsolicitedMwi;
  readonly #stopWaitMs: number;

  constructor(deps: MwiNotifierDeps, options: MwiNotifierOptions) {
    this.#log = deps.log;
    this.#extensions = new Map(options.extensions.map((e) => [e.number, e]));
    this.#stopWaitMs = options.stopWaitMs ?? 2000;
    const stateOf = (extension: string) => this.#stateOf(extension);
    const onResult = (extension: string, result: NotifyResult) => this.#record(extension, result);
    this.#subscriptions = new MwiSubscriptions(
      { endpoint: deps.endpoint, auth: deps.auth, log: deps.log, stateOf, onResult },
      {
        domain: options.domain,
        limits: {
          minSec: options.minExpiresSec ?? 60,
          maxSec: options.maxExpiresSec ?? 3600,
          defaultSec: options.defaultExpiresSec ?? 3600,
        },
        maxPerExtension: options.maxSubscriptionsPerExtension ?? 10,
      },
    );
    const unsolicited = options.extensions
      .filter((e) => e.mwi !== "subscribe")
      .map((e) => e.number);
    this.#unsolicited = new UnsolicitedMwi(
      { endpoint: deps.endpoint, registrar: deps.registrar, log: deps.log, stateOf, onResult },
      {
        domain: options.domain,
        extensions: new Set(unsolicited),
        periodicSec: options.periodicSec ?? 600,
      },
    );
  }

  /** Starts answering SUBSCRIBE, following registrations and repeating unsolicited NOTIFYs. */
  async start(): Promise<void> {
    this.#subscriptions.start();
    this.#unsolicited.start();
  }

  /** Ends every subscription with a terminating NOTIFY and stops; waits briefly for answers. */
  async stop(): Promise<void> {
    await Promise.all([
      this.#subscriptions.stop(this.#stopWaitMs),
      this.#unsolicited.stop(this.#stopWaitMs),
    ]);
  }

  /**
   * The new state of one voicemail source (called from its onChange). Phones of the extensions
   * showing that mailbox are told only when what they show changed.
   */
  setState(mailbox: string, state: MailboxState): void {
    const before = this.#snapshot();
    this.#mailboxes.set(mailbox, { new: state.new, old: state.old });
    this.#notifyChanged(before);
  }

  /** Forces (or with undefined releases) one extension's lamp. False for an unknown extension. */
  lampOverride(extension: string, lamp: LampOverride): boolean {
    if (!this.#extensions.has(extension)) return false;
    const before = this.#snapshot();
    if (lamp === undefined) this.#overrides.delete(extension);
    else this.#overrides.set(extension, lamp);
    this.#notifyChanged(before);
    return true;
  }

  /** Every configured extension's lamp, in number order. Cheap, no I/O. */
  status(): MwiExtensionStatus[] {
    return [...this.#extensions.values()]
      .sort((a, b) => a.number.localeCompare(b.number, "en", { numeric: true }))
      .map((e) => {
        const state = this.#stateOf(e.number) ?? DARK;
        return {
          number: e.number,
          mwi: e.mwi,
          mailbox: e.mailbox,
          lampOn: isLampOn(state),
          new: state.new,
          old: state.old,
          override: this.#overrides.get(e.number),
          subscribers: this.#subscriptions.count(e.number),
          lastNotify: this.#results.get(e.number),
        };
      });
  }

  /** What `extension`'s phones should show now; undefined when it is not configured. */
  #stateOf(extension: string): MailboxState | undefined {
    const config = this.#extensions.get(extension);
    if (config === undefined) return undefined;
    const state =
      (config.mailbox === undefined ? undefined : this.#mailboxes.get(config.mailbox)) ?? DARK;
    switch (this.#overrides.get(extension)) {
      case "on":
        return { new: Math.max(1, state.new), old: state.old };
      case "off":
        return { new: 0, old: state.old };
      default:
        return state;
    }
  }

  #snapshot(): Map<string, string> {
    return new Map(
      [...this.#extensions.keys()].map((n) => {
        const s = this.#stateOf(n) ?? DARK;
        return [n, `${s.new}/${s.old}`];
      }),
    );
  }

  #notifyChanged(before: ReadonlyMap<string, string>): void {
    for (const [number, was] of before) {
      const now = this.#stateOf(number) ?? DARK;
      if (`${now.new}/${now.old}` === was) continue;
      this.#subscriptions.notify(number);
      this.#unsolicited.notify(number);
    }
  }

  /**
   * Keeps the last result per extension and says in the journal when a phone (one contact)
   * stops or starts taking NOTIFYs: once per change, not once per NOTIFY.
   */
  #record(extension: string, result: NotifyResult): void {
    this.#results.set(extension, result);
    const key = `${extension}\n${result.target}`;
    const delivered = isDelivered(result);
    const before = this.#deliveredByContact.get(key);
    this.#deliveredByContact.set(key, delivered);
    if (before === delivered) return;
    if (!delivered)
      this.#log.warn(
        { extension, contact: result.target, status: result.status, reason: result.reason },
        "a phone did not take its message-waiting NOTIFY; its lamp may be wrong",
      );
    else if (before !== undefined)
      this.#log.info(
        { extension, contact: result.target },
        "a phone takes message-waiting NOTIFYs again",
      );
  }
}
