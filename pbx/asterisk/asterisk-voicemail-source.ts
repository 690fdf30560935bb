import type { Logger } from "pino";
import { describeError } from "../../services/errors.js";
import type { ServiceHealth } from "../../services/host/service.js";
import type { AmiClient } from "./ami-client.js";
import type { AmiMessage } from "./ami-message.js";
import { clampCount, parseMailbox, type MailboxState } from "./asterisk-mailbox.js";
import { Listeners } from "./listeners.js";

export interface AsteriskVoicemailSourceOptions {
  /** Asterisk mailboxes to follow, `1001` or `1001@context`. */
  mailboxes: string[];
  /** Context for mailboxes given without one. */
  voicemailContext?: string;
  /** Re-read period; MessageWaiting events update in between. */
  pollMs?: number;
}

/** (mailbox as configured, its new state) */
export type MailboxListener = (mailbox: string, state: MailboxState) => void;

/**
 * The `asterisk` voicemail source: voicemail lives in Asterisk's app_voicemail and hearth reads
 * the counts with `MailboxCount` (main/manager.c action_mailboxcount) after every login and every
 * `pollMs`, and follows `MessageWaiting` events (main/manager_mwi.c) in between. Shares the pbx
 * service's {@link AmiClient}. Do not also push the same mailbox with the bridge: that would echo.
 */
export class AsteriskVoicemailSource {
  readonly #client: AmiClient;
  readonly #log: Logger;
  readonly #pollMs: number;
  /** Asterisk id (`1001@default`) → the name the user configured. */
  readonly #names = new Map<string, string>();
  readonly #states = new Map<string, MailboxState>();
  readonly #changes: Listeners<{ mailbox: string; state: MailboxState }>;
  #unsubscribe: Array<() => void> = [];
  #timer: NodeJS.Timeout | undefined;
  #problem: string | undefined;
  #lastReadAtMs: number | undefined;

  constructor(client: AmiClient, options: AsteriskVoicemailSourceOptions, log: Logger) {
    this.#client = client;
    this.#log = log;
    this.#pollMs = options.pollMs ?? 5 * 60_000;
    for (const name of options.mailboxes) {
      const parsed = parseMailbox(name, options.voicemailContext ?? "default");
      if (parsed === undefined)
        log.warn({ mailbox: name }, "not a plain Asterisk mailbox; ignored");
      else this.#names.set(parsed.id, name);
    }
    this.#changes = new Listeners(log, "voicemail change");
  }

  start(): void {
    this.stop();
    this.#unsubscribe = [
      this.#client.onReady(() => void this.refresh()),
      this.#client.onEvent((event) => this.#onEvent(event)),
    ];
    this.#timer = setInterval(() => void this.refresh(), this.#pollMs);
    this.#timer.unref();
    if (this.#client.state === "ready") void this.refresh();
  }

  stop(): void {
    clearInterval(this.#timer);
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
  }

  /** Last known state of a mailbox (as configured); undefined until first read. */
  state(mailbox: string): MailboxState | undefined {
    for (const [id, name] of this.#names) if (name === mailbox) return this.#states.get(id);
    return undefined;
  }

  onChange(listener: MailboxListener): () => void {
    return this.#changes.add(({ mailbox, state }) => listener(mailbox, state));
  }

  health(): ServiceHealth {
    const link = this.#client.status();
    const details = {
      mailboxes: this.#names.size,
      link: link.state,
      lastReadAtMs: this.#lastReadAtMs,
    };
    if (link.state !== "ready") {
      return {
        state: "degraded",
        reason: `voicemail counts from Asterisk are stale: ${link.reason ?? `the AMI link is ${link.state}`}`,
        fix: "See the AMI link state; the counts are re-read as soon as it is back.",
        details,
      };
    }
    if (this.#problem !== undefined) return { state: "degraded", reason: this.#problem, details };
    return { state: "ok", details };
  }

  /** Reads every mailbox now (MailboxCount); failures go to health, never to the caller. */
  async refresh(): Promise<void> {
    if (this.#client.state !== "ready") return;
    let problem: string | undefined;
    await Promise.all(
      [...this.#names.keys()].map(async (id) => {
        try {
          const { response } = await this.#client.send("MailboxCount", { Mailbox: id });
          this.#set(id, response.count("NewMessages"), response.count("OldMessages"));
        } catch (err) {
          problem = `could not read mailbox ${id} from Asterisk: ${describeError(err)}`;
        }
      }),
    );
    if (problem !== undefined && problem !== this.#problem) this.#log.warn(problem);
    this.#problem = problem;
    this.#lastReadAtMs = Date.now();
  }

  #onEvent(event: AmiMessage): void {
    if (event.event?.toLowerCase() !== "messagewaiting") return;
    const id = event.get("Mailbox");
    if (id !== undefined && this.#names.has(id))
      this.#set(id, event.count("New"), event.count("Old"));
  }

  /** Missing or non-numeric counts from the wire leave the state as it was. */
  #set(id: string, newCount: number | undefined, oldCount: number | undefined): void {
    const name = this.#names.get(id);
    if (name === undefined || newCount === undefined || oldCount === undefined) return;
    const state = { new: clampCount(newCount, 1_000_000), old: clampCount(oldCount, 1_000_000) };
    const before = this.#states.get(id);
    if (before?.new === state.new && before.old === state.old) return;
    this.#states.set(id, state);
    this.#changes.emit({ mailbox: name, state });
  }
}
