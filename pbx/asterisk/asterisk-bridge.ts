import type { Logger } from "pino";
import { describeError } from "../../services/errors.js";
import type { ServiceHealth } from "../../services/host/service.js";
import type { AmiClient } from "./ami-client.js";
import { AmiError } from "./ami-error.js";
import type { AmiMessage } from "./ami-message.js";
import { parseMailbox, type MailboxState } from "./asterisk-mailbox.js";
import { CallTracker, type ChannelView, type FinishedCall } from "./call-tracker.js";
import { Listeners } from "./listeners.js";
import { MwiUpdatePusher, type MwiPusher } from "./mwi-pusher.js";
import { RegistrationTracker, type ContactView } from "./registration-tracker.js";
import { SpoolMwiPusher } from "./spool-mwi-pusher.js";

/** Bridge settings; candidates for optional keys under `pbx.ami` (see the folder README). */
export interface AsteriskBridgeOptions {
  /** mwiupdate: res_mwi_external (default); spool: app_voicemail spool files + VoicemailRefresh. */
  mwi?: "mwiupdate" | "spool";
  /** app_voicemail's spool, for mwi: spool. */
  spoolDir?: string;
  /** Context for mailboxes given without `@context`. */
  voicemailContext?: string;
  /** Dialplan context click-to-call dials the callee in (FreePBX: from-internal). */
  originateContext?: string;
  /** Channel technology of the calling phone. */
  channelTech?: "PJSIP" | "SIP";
}

/** A click-to-call: ring `from` first, and when it answers dial `to`. */
export interface OriginateRequest {
  from: string;
  to: string;
  /** Caller ID shown on the `from` phone while it rings. */
  callerId?: string;
  /** How long `from` may ring. */
  ringTimeoutMs?: number;
}

export interface OriginateResult {
  isSuccess: boolean;
  /** Asterisk's Reason code (4 answered, 5 busy, 3 no answer, 0/1 failed). */
  reason: number | undefined;
  channel: string | undefined;
  uniqueid: string | undefined;
}

const DIALABLE = /^[0-9*#+]{1,32}$/;

/**
 * The Asterisk side of the pbx service: pushes hearth's mailbox state to Asterisk (MWIUpdate or the
 * spool method), follows registrations and calls for the dashboard, and places click-to-call
 * Originates. It uses a shared {@link AmiClient} it does not own; after every login it re-pushes
 * every mailbox and re-reads registrations and channels, so a gap never leaves a lamp or the
 * dashboard wrong for long.
 */
export class AsteriskBridge {
  readonly #client: AmiClient;
  readonly #log: Logger;
  readonly #context: string;
  readonly #originateContext: string;
  readonly #tech: string;
  readonly #pusher: MwiPusher;
  readonly #desired = new Map<string, MailboxState>();
  /** Per-mailbox push chains: spool edits for one mailbox must never interleave. */
  readonly #chains = new Map<string, Promise<void>>();
  readonly #registrations = new RegistrationTracker();
  readonly #calls = new CallTracker();
  readonly #changed: Listeners<void>;
  #unsubscribe: Array<() => void> = [];
  #problem: string | undefined;

  constructor(client: AmiClient, options: AsteriskBridgeOptions, log: Logger) {
    this.#client = client;
    this.#log = log;
    this.#context = options.voicemailContext ?? "default";
    this.#originateContext = options.originateContext ?? "from-internal";
    this.#tech = options.channelTech ?? "PJSIP";
    this.#pusher =
      options.mwi === "spool"
        ? new SpoolMwiPusher(client, options.spoolDir ?? "/var/spool/asterisk/voicemail")
        : new MwiUpdatePusher(client);
    this.#changed = new Listeners(log, "Asterisk bridge change");
  }

  /** Starts listening to the client (which the caller starts and stops). */
  start(): void {
    this.stop();
    this.#unsubscribe = [
      this.#client.onReady(() => void this.resync()),
      this.#client.onEvent((event) => this.#onEvent(event)),
    ];
    if (this.#client.state === "ready") void this.resync();
  }

  stop(): void {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
  }

  /** Called when registrations or calls changed (for the dashboard's live view). */
  onChange(listener: () => void): () => void {
    return this.#changed.add(listener);
  }

  /**
   * Records the waiting voicemail for `mailbox` (`1001` or `1001@context`) and pushes it now if
   * the link is up, else at the next login. Never rejects: failures are logged and shown in health.
   */
  setMailbox(mailbox: string, state: MailboxState): Promise<void> {
    const parsed = parseMailbox(mailbox, this.#context);
    if (parsed === undefined) {
      this.#log.warn({ mailbox }, "mailbox name is not a plain Asterisk mailbox; not pushed");
      return Promise.resolve();
    }
    this.#desired.set(parsed.id, { new: state.new, old: state.old });
    return this.#push(parsed.id);
  }

  registrations(): ContactView[] {
    return this.#registrations.list();
  }

  calls(): ChannelView[] {
    return this.#calls.channels();
  }

  recentCalls(): FinishedCall[] {
    return this.#calls.recent();
  }

  /** Click-to-call with `Async: true`; resolves when Asterisk reports the outcome (OriginateResponse). */
  async originate(request: OriginateRequest): Promise<OriginateResult> {
    if (!DIALABLE.test(request.from) || !DIALABLE.test(request.to)) {
      throw new RangeError("click-to-call numbers may only hold digits, *, # and +");
    }
    const ringTimeoutMs = request.ringTimeoutMs ?? 30_000;
    const result = await this.#client.send(
      "Originate",
      {
        Channel: `${this.#tech}/${request.from}`,
        Context: this.#originateContext,
        Exten: request.to,
        Priority: 1,
        CallerID: request.callerId?.replace(/[\r\n\0]/g, " ") ?? `Call ${request.to}`,
        Timeout: ringTimeoutMs,
        Async: "true",
      },
      { completionEvent: "OriginateResponse", timeoutMs: ringTimeoutMs + 15_000 },
    );
    const done = result.completion;
    return {
      isSuccess: done?.get("Response")?.toLowerCase() === "success",
      reason: done?.count("Reason"),
      channel: done?.get("Channel"),
      uniqueid: done?.get("Uniqueid"),
    };
  }

  health(): ServiceHealth {
    const link = this.#client.status();
    const details = {
      link: link.state,
      logins: link.logins,
      mailboxes: this.#desired.size,
      contacts: this.#registrations.list().length,
      calls: this.#calls.channels().length,
    };
    if (link.state !== "ready") {
      return {
        state: link.state === "auth-failed" ? "failed" : "degraded",
        reason: link.reason ?? `the Asterisk AMI link is ${link.state}`,
        fix:
          link.state === "auth-failed"
            ? "Check pbx.ami.user and pbx.ami.secret against manager.conf on the Asterisk box."
            : "Check that Asterisk runs and that manager.conf enables AMI for this host.",
        details,
      };
    }
    if (this.#problem !== undefined) {
      return { state: "degraded", reason: this.#problem, details };
    }
    return { state: "ok", details };
  }

  /** Full resync after a login: re-push every mailbox, re-read registrations and channels. */
  async resync(): Promise<void> {
    this.#problem = undefined;
    await Promise.all([...this.#desired.keys()].map((id) => this.#push(id)));
    await Promise.all([this.#readRegistrations(), this.#readChannels()]);
    this.#changed.emit();
  }

  #push(id: string): Promise<void> {
    const previous = this.#chains.get(id) ?? Promise.resolve();
    const next = previous.then(() => this.#pushNow(id));
    this.#chains.set(id, next);
    return next;
  }

  async #pushNow(id: string): Promise<void> {
    const state = this.#desired.get(id);
    const mailbox = parseMailbox(id, this.#context);
    if (state === undefined || mailbox === undefined || this.#client.state !== "ready") return;
    try {
      await this.#pusher.push(mailbox, state);
    } catch (err) {
      // The next login re-pushes every mailbox, so a failure here heals itself once the link does.
      this.#problem = `could not update the lamp state of mailbox ${id} in Asterisk: ${describeError(err)}`;
      this.#log.warn({ mailbox: id, err: describeError(err) }, this.#problem);
    }
  }

  async #readRegistrations(): Promise<void> {
    this.#registrations.replacePjsip(await this.#list("PJSIPShowContacts"));
    this.#registrations.replaceSip(await this.#list("SIPpeers"));
  }

  async #readChannels(): Promise<void> {
    this.#calls.replace(await this.#list("CoreShowChannels"));
  }

  /**
   * A list action's events; empty when Asterisk refuses it. PJSIPShowContacts answers an error
   * ("No Contacts found") when nobody is registered, and SIPpeers is unknown without chan_sip.
   */
  async #list(action: string): Promise<AmiMessage[]> {
    try {
      return (await this.#client.send(action)).events;
    } catch (err) {
      if (err instanceof AmiError && err.failure === "rejected") return [];
      this.#problem = `could not read ${action} from Asterisk: ${describeError(err)}`;
      return [];
    }
  }

  #onEvent(event: AmiMessage): void {
    if (this.#registrations.apply(event) || this.#calls.apply(event)) this.#changed.emit();
  }
}
